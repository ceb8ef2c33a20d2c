"""Results and outputs: the organiser's live scoreboard (by code until the lock), the end
of the event (the start of the appeal window), publication, the results sheet PDF; the
public results of an event and of a competition (medal table) once published; award
certificates for the organiser and for the contestant themself."""

from __future__ import annotations

from functools import partial
from typing import Any

from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import force_locale, gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup

from trainhub.competitions import (
    chief_review,
    live_board,
    marking,
    result_queries,
    results,
    selection,
)
from trainhub.competitions.catalog import AWARD_NAMES, EventStatus
from trainhub.competitions.judging import loaders
from trainhub.competitions.judging.forms import (
    EventEndForm,
    SelectionForm,
    WithdrawSelectionForm,
)
from trainhub.competitions.models import Event
from trainhub.competitions.views import bp
from trainhub.core import confirm, downloads, policy
from trainhub.core.confirm import Confirmation
from trainhub.core.documents import service as documents
from trainhub.core.documents.pdf import document_date, qr_svg, render_certificate, render_pdf
from trainhub.core.errors import N_, NotFound
from trainhub.core.forms import attempt
from trainhub.core.timeutil import from_local, to_local, utcnow

ORGANISE = "competitions.organise"
SCOREBOARD = "competitions.scoreboard"
CERTIFICATE = "competitions.certificate"
SHEET_TEMPLATE = "competitions/results_sheet_pdf.html"
SHEET_TITLE = N_("Results sheet")


def _end_form(event: Event) -> EventEndForm:
    form = EventEndForm()
    if request.method == "GET" and event.ends_at is not None:
        local = to_local(event.ends_at)
        form.day.data, form.at.data = local.date(), local.time().replace(second=0,
                                                                         microsecond=0)
    return form


@bp.get("/events/<int:event_id>/scoreboard")
@policy.permission(SCOREBOARD)
def scoreboard(event_id: int) -> str:
    return _page(loaders.event(event_id, SCOREBOARD, with_entries=False))


def _selection_form(lines: list[result_queries.PublishedLine],
                    form: SelectionForm | None) -> SelectionForm:
    form = form or SelectionForm(formdata=None)
    form.result_id.choices = [
        (line.result.id, f"{line.result.rank}. {result_queries.names_of(line.entry)} · "
                         f"{line.entry.delegation.name}") for line in lines]
    return form


def _withdraw_form(selection_id: int, **kwargs: Any) -> WithdrawSelectionForm:
    # one form a selection on the page: the prefix keeps their fields' ids apart
    return WithdrawSelectionForm(prefix=f"withdraw-{selection_id}", **kwargs)


def _page(event: Event, end_form: EventEndForm | None = None,
          selection_form: SelectionForm | None = None) -> str:
    """The scoreboard; a form refused on a POST is shown again as sent, with its errors."""
    may_organise = policy.may(current_user, ORGANISE, event)
    published = event.status == EventStatus.PUBLISHED
    selecting = published and may_organise
    live = event.status in (EventStatus.DRAWN, EventStatus.LOCKED)
    appeals = result_queries.appeals_of(event)
    # The entries (1,000 at a province's final) are read only for what names them here: the
    # frozen results and the appeals; the live table comes from the board, cached or not.
    named = (loaders.load_entries(event, with_names=True)
             if published or (appeals and marking.decoded(event)) else [])
    frozen = result_queries.published_lines(event) if published else []
    selections = selection.of_event(event) if published else []
    return render_template(
        "competitions/scoreboard.html", event=event, live=live, published=published,
        board=live_board.board(event, partial(_live_board, event)) if live else None,
        drawn=event.status == EventStatus.DRAWN,
        frozen=frozen,
        decoded=marking.decoded(event), names_of=result_queries.names_of,
        entries_by_id={e.id: e for e in named},
        selections=selections, selection_levels=selection.LEVELS,
        selection_form=_selection_form(frozen, selection_form) if selecting else None,
        withdraw_forms={s.id: _withdraw_form(s.id, formdata=None) for s in selections}
        if selecting else {},
        appeals=appeals,
        closes_at=results.appeal_closes_at(event),
        appeal_open=results.appeal_open(event, utcnow()),
        end_form=end_form or _end_form(event),
        end_editable=may_organise and event.status in (EventStatus.OPEN, EventStatus.DRAWN),
        may_publish=may_organise and event.status == EventStatus.LOCKED,
        may_organise=may_organise, refreshed_at=utcnow())


def _live_board(event: Event) -> live_board.Board:
    """The standings table and the review's counts, as every reader of the event sees them
    until its marks change (live_board)."""
    loaders.load_entries(event, with_names=marking.decoded(event))
    review = chief_review.review(event) if event.status == EventStatus.DRAWN else None
    table = render_template(
        "competitions/scoreboard_table.html", event=event, lines=results.standings(event),
        frozen_table=False, decoded=marking.decoded(event), names_of=result_queries.names_of,
        caption=gettext("Standings by total, then the tie-break chain; entries with equal "
                        "figures share a rank"))
    safe = Markup(table)  # noqa: S704 - rendered by Jinja with autoescaping on
    return live_board.Board(safe, review.missing_count if review else 0,
                            len(review.flags) if review else 0)


def _back(event: Event) -> ResponseReturnValue:
    return redirect(url_for("competitions.scoreboard", event_id=event.id))


@bp.post("/events/<int:event_id>/end")
@policy.permission(ORGANISE)
def set_event_end(event_id: int) -> ResponseReturnValue:
    event = loaders.event(event_id, ORGANISE)
    form = EventEndForm()
    if not form.validate_on_submit() or not attempt(
            lambda: results.set_end(event, from_local(form.day.data, form.at.data),
                                    current_user),
            N_("The end of the event is recorded."), form=form):
        return _page(loaders.event(event_id, SCOREBOARD, with_entries=False),
                     end_form=form), 400
    return _back(event)


@bp.post("/events/<int:event_id>/publish")
@policy.permission(ORGANISE)
def publish_event(event_id: int) -> ResponseReturnValue:
    event = loaders.event(event_id, ORGANISE, with_names=True)
    # Asked only when it can be done now; otherwise the rule not met is said at once.
    if not confirm.confirmed() and attempt(lambda: results.check_publishable(event, utcnow())):
        awards = results.awards_to_issue(event)
        return confirm.ask(Confirmation(
            heading=gettext("Publish the results of %(event)s?", event=event.name),
            effects=[gettext("The results are frozen: ranks, totals and awards no longer "
                             "change."),
                     gettext("Anyone can read them, with the names, on the public results "
                             "page and in the medal table."),
                     gettext("%(count)s award certificates are issued.", count=awards)],
            facts=[(gettext("Competition"), event.competition.name),
                   (gettext("Event"), event.name)],
            confirm_label=gettext("Confirm: publish the results"),
            back=url_for("competitions.scoreboard", event_id=event.id)))
    if frozen := attempt(lambda: results.publish(event, current_user, utcnow())):
        flash(gettext("The results are published; %(count)s award certificates were issued.",
                      count=sum(1 for r in frozen.result if r.award)), "success")
    return _back(event)


@bp.post("/events/<int:event_id>/selections")
@policy.permission(ORGANISE)
def select_contestants(event_id: int) -> ResponseReturnValue:
    event = loaders.event(event_id, ORGANISE, with_names=True)
    lines = result_queries.published_lines(event) if event.status == EventStatus.PUBLISHED \
        else []
    form = _selection_form(lines, SelectionForm())
    if not form.validate_on_submit() or not attempt(
            lambda: selection.select_result(event, form.result_id.data, form.level.data,
                                            form.reason.data, current_user),
            N_("The contestants are selected."), form=form):
        return _page(event, selection_form=form), 400
    return _back(event)


@bp.post("/events/<int:event_id>/selections/<int:selection_id>/withdraw")
@policy.permission(ORGANISE)
def withdraw_selection(event_id: int, selection_id: int) -> ResponseReturnValue:
    event = loaders.event(event_id, ORGANISE)
    form = _withdraw_form(selection_id)
    if not form.validate_on_submit():
        flash(gettext("Write why the selection is withdrawn."), "danger")
    else:
        attempt(lambda: selection.withdraw(event, selection_id, form.reason.data),
                N_("The selection is withdrawn."))
    return _back(event)


def public_url(endpoint: str, **values: Any) -> str:
    """An absolute address for print: PUBLIC_BASE_URL when set (as on certificates)."""
    base = current_app.config.get("PUBLIC_BASE_URL")
    if base:
        return str(base).rstrip("/") + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


def _pdf(body: bytes, filename: str) -> Response:
    response = Response(body, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f"attachment; filename={filename}"
    return response


@bp.get("/events/<int:event_id>/results-sheet.pdf")
@policy.permission(ORGANISE)
@downloads.document("competition_results_sheet", "event_id", _l("Results sheet"))
def results_sheet_pdf(event_id: int) -> Response:
    event = loaders.event(event_id, ORGANISE, with_names=True)
    if event.status != EventStatus.PUBLISHED:
        raise NotFound(loaders.NOT_PUBLISHED)
    address = public_url("competitions.event_results", event_id=event.id)
    # The sheet is an official document: in the federation's language, like certificates.
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        body = render_pdf(
            SHEET_TEMPLATE, event=event, title=gettext(SHEET_TITLE),
            lines=result_queries.published_lines(event), log=result_queries.corrections_log(event),
            names_of=result_queries.names_of, address=address,
            published_on=document_date(to_local(event.published_at).date())
            if event.published_at else "",
            qr=Markup(qr_svg(address, title=gettext(  # noqa: S704 - generated SVG
                "QR code of the public results page: %(url)s", url=address))))
    return _pdf(body, f"results-{event.id}.pdf")


@bp.get("/events/<int:event_id>/results")
@policy.public
def event_results(event_id: int) -> str:
    event = loaders.published_event(event_id)
    return render_template(
        "competitions/results_event.html", event=event, lines=result_queries.published_lines(event),
        log=result_queries.corrections_log(event), names_of=result_queries.names_of,
        standardised=request.args.get("standardised") == "1")


@bp.get("/<int:competition_id>/results")
@policy.public
def competition_results(competition_id: int) -> str:
    competition = loaders.competition(competition_id)
    events = result_queries.published_events(competition.events)
    if not events:
        raise NotFound(loaders.NOT_PUBLISHED)
    return render_template("competitions/results_competition.html", competition=competition,
                           events=events, medals=results.medal_table(competition),
                           award_names=AWARD_NAMES)


@bp.get("/results/<int:result_id>/certificate.pdf")
@policy.permission(CERTIFICATE)
@downloads.document("competition_certificate", "result_id", _l("Award certificate"))
def award_certificate(result_id: int) -> Response:
    found = loaders.result(result_id, CERTIFICATE)
    verification = documents.find(found.verification_code or "")
    if verification is None:
        raise NotFound(loaders.NOT_FOUND)
    return _pdf(render_certificate(verification, results.CERTIFICATE_TITLE),
                f"award-{found.id}.pdf")


@bp.get("/mine")
@policy.permission("competitions.mine")
def my_results() -> str:
    return render_template("competitions/results_mine.html",
                           rows=result_queries.person_results(current_user.person_id),
                           entries=result_queries.person_entries(current_user.person_id),
                           selection_levels=selection.LEVELS)
