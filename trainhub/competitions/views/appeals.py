"""Appeals: a delegation's officers appeal about one of their entries within the window
after the event ends; the arbitration group decides each with its reasons. Both are
recorded and shown to the delegation, the arbitration group and the organiser."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from trainhub.competitions import result_queries, results
from trainhub.competitions.catalog import EntryStatus
from trainhub.competitions.judging import loaders
from trainhub.competitions.judging.forms import AppealDecisionForm, AppealForm
from trainhub.competitions.models import Delegation, Event
from trainhub.competitions.views import bp
from trainhub.core import policy
from trainhub.core.errors import N_, NotFound
from trainhub.core.forms import attempt
from trainhub.core.timeutil import utcnow

REGISTER = "competitions.register"
ARBITRATE = "competitions.arbitrate"


def _appeal_form(event: Event, delegation: Delegation) -> AppealForm:
    form = AppealForm()
    # The delegation's own entries, by name: its officers registered them.
    form.entry_id.choices = [
        SelectChoice(e.id, gettext("Station %(station)s · %(names)s", station=e.station_no or "—",
                       names=result_queries.names_of(e)))
        for e in sorted(event.entries, key=lambda e: e.station_no or 0)
        if e.delegation_id == delegation.id and e.status == EntryStatus.CONFIRMED]
    return form


@bp.route("/events/<int:event_id>/appeal", methods=["GET", "POST"])
@policy.permission(REGISTER)
def appeal_form(event_id: int) -> ResponseReturnValue:
    event = loaders.event(event_id, "competitions.view", with_names=True)
    delegation = loaders.own_delegation(event, current_user)
    form = _appeal_form(event, delegation)
    if request.method == "POST" and form.validate_on_submit():
        entry = next((e for e in event.entries if e.id == form.entry_id.data), None)
        if entry is None or entry.delegation_id != delegation.id:
            raise NotFound(loaders.NOT_FOUND)
        if attempt(lambda: results.file_appeal(event, entry, form.content.data or "",
                                               current_user, utcnow()),
                   N_("The appeal is filed. The arbitration group will decide it."), form=form):
            return redirect(url_for("competitions.appeal_form", event_id=event.id))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "competitions/results_appeal.html", event=event, delegation=delegation, form=form,
        appeals=result_queries.appeals_of(event, delegation.id), names_of=result_queries.names_of,
        entries={e.id: e for e in event.entries}, window_open=results.appeal_open(event, utcnow()),
        closes_at=results.appeal_closes_at(event)), status


def _decision_form(appeal_id: int) -> AppealDecisionForm:
    return AppealDecisionForm(prefix=f"appeal-{appeal_id}")


@bp.get("/events/<int:event_id>/arbitration")
@policy.permission(ARBITRATE)
def arbitration(event_id: int) -> str:
    return _arbitration_page(loaders.event(event_id, ARBITRATE, with_names=True))


def _arbitration_page(event: Event,
                      posted: tuple[int, AppealDecisionForm] | None = None) -> str:
    """The appeals to decide; a decision refused on a POST is shown again on its appeal as
    sent (the decision chosen, the reasons typed), its errors summed up at the top."""
    appeals = result_queries.appeals_of(event)
    forms = {a.id: _decision_form(a.id) for a in appeals if a.decision is None}
    if posted:
        forms[posted[0]] = posted[1]
    return render_template(
        "competitions/results_arbitration.html", event=event, appeals=appeals,
        entries={e.id: e for e in event.entries}, names_of=result_queries.names_of,
        forms=forms, posted=posted[1] if posted else None)


@bp.post("/appeals/<int:appeal_id>/decide")
@policy.permission(ARBITRATE)
def decide_appeal(appeal_id: int) -> ResponseReturnValue:
    event, found = loaders.appeal(appeal_id, ARBITRATE)
    form = _decision_form(found.id)
    if not form.validate_on_submit() or not attempt(
            lambda: results.decide_appeal(event, found, form.decision.data == "upheld",
                                          form.note.data or "", current_user, utcnow()),
            N_("The decision on the appeal is recorded."), form=form):
        return _arbitration_page(event, (found.id, form)), 400
    return redirect(url_for("competitions.arbitration", event_id=event.id))
