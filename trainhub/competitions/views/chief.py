"""The chief judge: completeness and disagreement flags by entry code, each flag resolved
(confirmed with a reason or reopened for re-marking), the lock, and after the lock the
decoded list. Corrections after the lock: asked for by the chief judge or an arbitrator,
approved or refused by another member of the arbitration group."""

from __future__ import annotations

from decimal import Decimal

from flask import redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from trainhub.competitions import chief_review, marking, result_queries, sheets
from trainhub.competitions.catalog import EventStatus
from trainhub.competitions.judging import loaders
from trainhub.competitions.judging.forms import CorrectionForm, ResolveFlagForm
from trainhub.competitions.models import Event
from trainhub.competitions.views import bp
from trainhub.core import confirm, policy
from trainhub.core.confirm import Confirmation
from trainhub.core.errors import N_, DomainError, NotFound
from trainhub.core.forms import attempt, validate_all
from trainhub.core.timeutil import utcnow
from trainhub.core.web import page_number

CHIEF = "competitions.chief"
CORRECT = "competitions.correct"
ARBITRATE = "competitions.arbitrate"
MISSING_PER_PAGE = 50  # entries with a mark missing, on the chief judge's page


# the prefix of the blank flag form drawn once a page and given each flag's own prefix
# (issue 13: WTForms drew the two controls of each of the open flags, a fifth of the page)
FLAG_STAMP = "flag-@@flag@@"


@bp.get("/events/<int:event_id>/chief")
@policy.permission(CHIEF)
def chief_event(event_id: int) -> str:
    event = loaders.event(event_id, CHIEF, with_entries=False)
    # the page names entries by station and code only: their members are not read
    loaders.load_entries(event, with_names=False, with_members=False)
    # the marks' version as the event was just read (nothing written since): the review
    # kept under it is found without reading the version again
    return _chief_page(event, version=event.marks_version)


def _chief_page(event: Event,
                posted: tuple[tuple[int, str], ResolveFlagForm] | None = None,
                version: int | None = None) -> str:
    """The chief judge's page; a flag's form refused on a POST is shown again in its row as
    sent (the choice made, the reason typed), its errors summed up at the top."""
    review = chief_review.review(event, version)
    # a flag's own form only for the one refused on a POST; the others are the blank form
    forms = {posted[0]: posted[1]} if posted else {}
    # a thousand entries being marked leave most of them missing a mark: listed 50 a page
    # (all at once they were a 115 KB page, 16× /healthz; issue 13)
    page = page_number(request.args)
    return render_template("competitions/chief_event.html", event=event, review=review,
                           forms=forms, blank=ResolveFlagForm(prefix=FLAG_STAMP, formdata=None),
                           flag_stamp=FLAG_STAMP, posted=posted[1] if posted else None,
                           drawn=event.status == EventStatus.DRAWN,
                           decoded=marking.decoded(event), page=page,
                           pages=max(1, -(-len(review.missing) // MISSING_PER_PAGE)),
                           missing=review.missing[(page - 1) * MISSING_PER_PAGE:
                                                  page * MISSING_PER_PAGE])


def _back(event: Event) -> ResponseReturnValue:
    return redirect(url_for("competitions.chief_event", event_id=event.id))


@bp.post("/events/<int:event_id>/chief/flags/<int:entry_id>/<aspect>")
@policy.permission(CHIEF)
def chief_resolve(event_id: int, entry_id: int, aspect: str) -> ResponseReturnValue:
    event = loaders.event(event_id, CHIEF)
    form = ResolveFlagForm(prefix=f"flag-{entry_id}-{aspect}")
    if not form.validate_on_submit():
        return _chief_page(event, ((entry_id, aspect), form)), 400
    remark = form.action.data == "remark"

    def resolve() -> None:
        flag = chief_review.open_flag(event, entry_id, aspect)
        marking.resolve_flag(event, flag, current_user, remark, form.reason.data or "")

    if not attempt(resolve, N_("Aspect %(aspect)s of station %(station)s is reopened: its "
                               "judges mark it again.") if remark
                   else N_("The marks of aspect %(aspect)s of station %(station)s are "
                           "confirmed."),
                   form=form, aspect=aspect, station=flag_station(event, entry_id)):
        return _chief_page(event, ((entry_id, aspect), form)), 400
    return _back(event)


def flag_station(event: Event, entry_id: int) -> int | None:
    return next((e.station_no for e in event.entries if e.id == entry_id), None)


@bp.post("/events/<int:event_id>/chief/lock")
@policy.permission(CHIEF)
def chief_lock(event_id: int) -> ResponseReturnValue:
    event = loaders.event(event_id, CHIEF)
    # Asked only when the event can be locked; otherwise the refusal says why at once.
    if not confirm.confirmed() and chief_review.review(event).ready:
        return confirm.ask(Confirmation(
            heading=gettext("Lock the marks of %(event)s?", event=event.name),
            effects=[gettext("Marking closes for every judge of this event."),
                     gettext("The anonymous codes are decoded: names, cities and "
                             "institutions can be read with the marks."),
                     gettext("After the lock a mark changes only by a correction approved "
                             "by a second member of the arbitration group.")],
            facts=[(gettext("Competition"), event.competition.name),
                   (gettext("Event"), event.name)],
            confirm_label=gettext("Confirm: lock the marks"),
            back=url_for("competitions.chief_event", event_id=event.id)))
    attempt(lambda: marking.lock(event, current_user, utcnow()),
            N_("The marks of %(event)s are locked. The codes can now be decoded."),
            event=event.name)
    return _back(event)


@bp.get("/events/<int:event_id>/decoded")
@policy.permission(CHIEF)
def chief_decoded(event_id: int) -> str:
    event = loaders.event(event_id, CHIEF, with_names=True)
    marking.require_decoded(event)  # refused before the lock, whoever asks
    entries = sorted((e for e in event.entries if e.code), key=lambda e: e.station_no or 0)
    return render_template("competitions/chief_decoded.html", event=event, entries=entries,
                           names_of=result_queries.names_of)


# --- corrections after the lock --------------------------------------------------------

def _correction_form(event: Event, choices: list[result_queries.MarkChoice]) -> CorrectionForm:
    form = CorrectionForm()
    form.mark_id.choices = [SelectChoice(c.mark.id, _choice_label(c)) for c in choices]
    return form


def _choice_label(choice: result_queries.MarkChoice) -> str:
    who = choice.judge or gettext("measurement")
    return gettext("Station %(station)s · %(code)s (%(names)s) · %(aspect)s · %(who)s: "
                   "%(mark)s", station=choice.entry.station_no, code=choice.entry.code,
                   names=result_queries.names_of(choice.entry), aspect=choice.aspect.code, who=who,
                   mark=format(choice.mark.value.normalize(), "f"))


@bp.get("/events/<int:event_id>/corrections")
@policy.permission(CORRECT)
def corrections(event_id: int) -> ResponseReturnValue:
    event = loaders.event(event_id, CORRECT, with_names=True)
    choices = result_queries.locked_marks(event) if event.status == EventStatus.LOCKED else []
    return _corrections_page(event, _correction_form(event, choices))


def _corrections_page(event: Event, form: CorrectionForm, status: int = 200,
                      ) -> tuple[str, int]:
    return render_template(
        "competitions/results_corrections.html", event=event, form=form,
        log=result_queries.corrections_log(event), locked=event.status == EventStatus.LOCKED,
        may_decide=policy.may(current_user, ARBITRATE, event),
        names_of=result_queries.names_of), status


@bp.post("/events/<int:event_id>/corrections")
@policy.permission(CORRECT)
def request_correction(event_id: int) -> ResponseReturnValue:
    event = loaders.event(event_id, CORRECT, with_names=True)
    choices = result_queries.locked_marks(event) if event.status == EventStatus.LOCKED else []
    form = _correction_form(event, choices)
    chosen = next((c for c in choices if c.mark.id == form.mark_id.data), None)

    def corrected_value() -> Decimal:
        """The mark typed, refused on its field when it is none or off the scale (checked
        even when another field is wrong, so that one answer says both)."""
        value = marking.parse_mark(form.new_value.data or "")
        if value is None:
            raise DomainError(N_("Enter the corrected mark.")).on("new_value")
        if chosen is not None and (problem := sheets.check_value(chosen.aspect, value)):
            raise DomainError(N_("%(aspect)s: %(problem)s"), aspect=chosen.aspect.title,
                              problem=problem).on("new_value")
        return value

    if validate_all(form, corrected_value):
        if chosen is None:
            raise NotFound(loaders.NOT_FOUND)
        found = chosen

        def correct() -> None:
            marking.request_correction(event, found.mark, corrected_value(),
                                       form.reason.data or "", current_user)

        if attempt(correct, N_("The correction is recorded. Another member of the "
                               "arbitration group must approve it."), form=form):
            return redirect(url_for("competitions.corrections", event_id=event.id))
    return _corrections_page(event, form, 400)


@bp.post("/corrections/<int:correction_id>/decide")
@policy.permission(ARBITRATE)
def decide_correction(correction_id: int) -> ResponseReturnValue:
    event, found = loaders.correction(correction_id, ARBITRATE)
    approve = request.form.get("decision") == "approve"
    attempt(lambda: marking.approve_correction(event, found, current_user, approve, utcnow()),
            N_("The correction is approved and applied.") if approve
            else N_("The correction is refused; the mark stands."))
    return redirect(url_for("competitions.corrections", event_id=event.id))
