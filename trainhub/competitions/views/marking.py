"""Judges' marking: the events assigned to a judge, the entries of one event they may mark
(by station number and anonymous code: never names, cities or institutions), and the
keyboard-first sheet of one entry with a draft and a submit button."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user

from trainhub.competitions import marking, sheets
from trainhub.competitions.catalog import EventStatus
from trainhub.competitions.judging import display, loaders
from trainhub.competitions.views import bp
from trainhub.core import confirm, policy
from trainhub.core.confirm import Confirmation
from trainhub.core.errors import NotFound
from trainhub.core.forms import attempt
from trainhub.core.timeutil import utcnow

MARK = "competitions.mark"

display.register(bp)


@bp.get("/marking")
@policy.permission(MARK)
def marking_events() -> str:
    return render_template("competitions/marking_events.html",
                           rows=loaders.judge_events(current_user))


@bp.get("/events/<int:event_id>/marking")
@policy.permission(MARK)
def marking_entries(event_id: int) -> str:
    event = loaders.event(event_id, MARK, with_entries=False)
    # the list names entries by station and code only: their members are not read
    loaders.load_entries(event, with_names=False, with_members=False)
    assignment = sheets.marking_assignment(event, current_user)
    return render_template("competitions/marking_entries.html", event=event,
                           sheets=sheets.sheets_of(event, assignment),
                           open=event.status == EventStatus.DRAWN)


@bp.route("/events/<int:event_id>/marking/<code>", methods=["GET", "POST"])
@policy.permission(MARK)
def marking_sheet(event_id: int, code: str) -> ResponseReturnValue:
    event = loaders.event(event_id, MARK)
    assignment = sheets.marking_assignment(event, current_user)
    entry = loaders.entry_by_code(event, code)
    if not sheets.may_mark(event, assignment, entry):
        # Not found rather than "your own city": telling a judge which code is their city's
        # entry would undo the anonymity of every other entry they mark.
        raise NotFound(loaders.NOT_FOUND)
    sheet = sheets.sheet_of(event, assignment, entry)
    typed = None
    if request.method == "POST":
        submit = request.form.get("action") == "submit"
        typed = sheets.read_typed(sheet, request.form, submit)
        # Submitting is final: the marks are first kept as a draft, then confirmed.
        final = submit and confirm.confirmed()
        if not typed.problems and attempt(lambda: marking.save_sheet(
                event, assignment, entry, typed.values, final, utcnow())):
            if submit and not final:
                return _confirm_submit(event, sheet, typed)
            return _after_save(event, assignment, sheet, submit)
    status = 400 if typed is not None else 200
    return render_template("competitions/marking_sheet.html", event=event, sheet=sheet,
                           typed=typed, open=event.status == EventStatus.DRAWN,
                           field_name=sheets.field_name), status


def _confirm_submit(event: Any, sheet: sheets.Sheet,
                    typed: sheets.Typed) -> ResponseReturnValue:
    station = sheet.entry.station_no
    return confirm.ask(Confirmation(
        heading=gettext("Submit the sheet of station %(station)s?", station=station),
        effects=[gettext("Your marks below are submitted for station %(station)s · %(code)s "
                         "and can no longer be changed by you.", station=station,
                         code=sheet.entry.code),
                 gettext("They are kept as a draft until you confirm; Back leads to the "
                         "sheet to change them.")],
        facts=[(f"{c.aspect.code} {c.aspect.title}", typed.raw.get(c.aspect.id, ""))
               for c in sheet.editable],
        confirm_label=gettext("Confirm: submit the sheet"),
        back=url_for("competitions.marking_sheet", event_id=event.id, code=sheet.entry.code)))


def _after_save(event: Any, assignment: Any, sheet: sheets.Sheet,
                submit: bool) -> ResponseReturnValue:
    station = sheet.entry.station_no
    if not submit:
        flash(gettext("Draft saved for station %(station)s. It can still be changed.",
                      station=station), "success")
        return redirect(url_for("competitions.marking_sheet", event_id=event.id,
                                code=sheet.entry.code))
    flash(gettext("The sheet of station %(station)s has been submitted.", station=station),
          "success")
    following = sheets.next_to_mark(sheets.sheets_of(event, assignment), sheet.entry)
    if following is None:
        return redirect(url_for("competitions.marking_entries", event_id=event.id))
    return redirect(url_for("competitions.marking_sheet", event_id=event.id,
                            code=following.entry.code))
