"""Matrix rows of the competitions API (/api/v1). Calls carry a token of the actor; trainees
cannot hold one, so their calls go without and are refused like anonymous ones (the public
results excepted). The judge actor is judge A of the staged event (who may mark every
entry); the chief judge supervises and does not mark, so the sheets refuse them. As on the
web rows: the competition is the province's, organised by an officer who is none of the
actors, so officer_province organises it; 南昌市's officers (officer_city) register its
delegation; every officer and the admin read it. The judging stages come from judging_world,
where officer_province also sits in the arbitration group. Write rows send a well-formed
body, so a refusal comes from the scope, not from the validation."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from tests.competitions import builders, judging_world
from tests.security.matrix import ACTORS, ALL_OFFICERS, Row
from trainhub.competitions.models import Entry, Mark
from trainhub.core.timeutil import local_today
from trainhub.extensions import db

ORGANISER = {"officer_province"}
ARBITRATOR = {"officer_province"}
# A correction after the lock is asked for by the event's chief judge or a member of the
# arbitration group (rules.competitions.correct), as on the web rows; another member decides.
CORRECTORS = ARBITRATOR | {"chief_judge"}
CITY = {"officer_city"}
JUDGES = {"judge", "chief_judge"}
MARKER = {"judge"}
READERS = ALL_OFFICERS | {"admin"}
# Well-formed, and nobody's: an allowed actor gets the documented 400, which the matrix
# counts as reaching the operation.
NUMBER = "360102199005170011"
C = "/api/v1/competitions/{competition}"
E = "/api/v1/competitions/events/{event}"
N = "/api/v1/competitions/entries/{entry}"


def _open(method: str, path: str, allowed: set[str], **kw: Any) -> Row:
    """A row on the province competition whose registration window is open."""
    return Row(method, lambda ids, p=path: p.format(**ids), allowed, api=True,
               prepare=builders.build, **kw)


def _world(stage: str, extra: str | None = None) -> Any:
    def prepare(app: Any, make: Any, ids: dict[str, Any]) -> dict[str, Any]:
        made = judging_world.build(app, make, stage, actors=ids["actors"],
                                   person_id=ids["person"])
        made["code"] = made["codes"][1]
        if extra == "correction":
            made["correction"] = judging_world.add_correction(app, made)
        return made
    return prepare


def _staged(method: str, path: str, allowed: set[str], stage: str,
            extra: str | None = None, **kw: Any) -> Row:
    return Row(method, lambda ids, p=path: p.format(**ids), allowed, api=True,
               prepare=_world(stage, extra), **kw)


def _substitute() -> Row:
    """The body names the entry's member, known once the entry is built."""
    body: dict[str, Any] = {"id_number": NUMBER}

    def prepare(app: Any, make: Any) -> dict[str, Any]:
        ids = builders.build(app, make)
        with app.app_context():
            body["leaving_person_id"] = db.session.get(Entry, ids["entry"]).members[0].person_id
        return ids

    return Row("POST", lambda ids: N.format(**ids) + "/substitute", CITY, data=body,
               api=True, prepare=prepare)


def _correction() -> Row:
    """The body names a locked mark of the event, known once it is built."""
    body: dict[str, Any] = {"new_value": "17", "reason": "录入错误"}
    locked = _world("locked")

    def prepare(app: Any, make: Any, ids: dict[str, Any]) -> dict[str, Any]:
        made = locked(app, make, ids)
        with app.app_context():
            body["mark_id"] = db.session.scalars(select(Mark.id).where(
                Mark.entry_id == made["entries"][0],
                Mark.aspect_id == made["aspects"]["A"])).one()
        return made

    return Row("POST", lambda ids: E.format(**ids) + "/corrections", CORRECTORS, data=body,
               api=True, prepare=prepare)


COMPETITION = {"name": "矩阵测试竞赛", "registration_opens": "2026-05-01",
               "registration_closes": "2026-05-20", "starts_on": "2026-06-01",
               "ends_on": "2026-06-03"}
EVENT = {"name": "盲人保健按摩", "occupation": "保健按摩师", "quota": 3,
         "age_reference_date": "2026-06-01",
         "aspects": [{"code": "A", "kind": "measurement", "max_mark": "20"}]}
# builders.build's competition as it stands (its dates follow today) under another name: the
# organiser's correction is made.
_TODAY = local_today()
CORRECTED = {"name": "江西省第八届残疾人职业技能竞赛（更正）", "venue": "南昌市",
             "registration_opens": str(_TODAY - timedelta(days=5)),
             "registration_closes": str(_TODAY + timedelta(days=10)),
             "starts_on": str(_TODAY + timedelta(days=20)),
             "ends_on": str(_TODAY + timedelta(days=22))}

ROWS: dict[str, Row] = {
    "competitions_api.list_competitions": _open("GET", "/api/v1/competitions", READERS),
    "competitions_api.get_competition": _open("GET", C, READERS),
    # Any officer may create a competition of their own federation.
    "competitions_api.create_competition": _open("POST", "/api/v1/competitions",
                                                 ALL_OFFICERS, data=COMPETITION),
    "competitions_api.create_event": _open("POST", C + "/events", ORGANISER, data=EVENT),
    "competitions_api.get_event": _open("GET", E, READERS),
    "competitions_api.update_competition": _open("PUT", C, ORGANISER, data=CORRECTED),
    # Its registered entry of 南昌 is still admitted by the corrected rules.
    "competitions_api.update_event": _open("PUT", E, ORGANISER, data=EVENT),
    # The window is still open: the organiser gets the documented 400.
    "competitions_api.draw_event": _open("POST", E + "/draw", ORGANISER),
    "competitions_api.event_entries": _open("GET", E + "/entries", ORGANISER),
    "competitions_api.confirm_entry": _open("POST", N + "/confirm", ORGANISER),
    "competitions_api.refuse_entry": _open("POST", N + "/refuse", ORGANISER,
                                           data={"reason": "材料不全"}),
    "competitions_api.delegation_table": _open("GET", C + "/delegations", READERS),
    "competitions_api.city_entries": _open("GET", C + "/delegations/{city}", CITY),
    "competitions_api.register_entry": _open("POST", E + "/delegations/{city}/entries", CITY,
                                             data={"id_numbers": [NUMBER]}),
    "competitions_api.withdraw_entry": _open("POST", N + "/withdraw", CITY),
    "competitions_api.substitute_entry": _substitute(),
    "competitions_api.judge_events": Row("GET", lambda ids: "/api/v1/competitions/marking",
                                         JUDGES, api=True),
    "competitions_api.judge_sheets": _staged("GET", E + "/sheets", MARKER, "drawn"),
    "competitions_api.judge_sheet": _staged("GET", E + "/sheets/{code}", MARKER, "drawn"),
    "competitions_api.save_sheet": _staged("PUT", E + "/sheets/{code}", MARKER, "drawn",
                                           data={"marks": [{"aspect": "A", "value": "10"}],
                                                 "submit": False}),
    "competitions_api.event_marks": _staged("GET", E + "/marks", ORGANISER, "marked"),
    "competitions_api.event_completeness": _staged("GET", E + "/completeness", ORGANISER,
                                                   "marked"),
    "competitions_api.decoded_entries": _staged("GET", E + "/decoded", ORGANISER, "locked"),
    "competitions_api.standings": _staged("GET", E + "/standings", ORGANISER, "marked"),
    "competitions_api.publish": _staged("POST", E + "/publish", ORGANISER, "locked"),
    "competitions_api.event_results": _staged("GET", E + "/results", set(ACTORS), "published",
                                              public=True),
    "competitions_api.competition_results": _staged("GET", C + "/results", set(ACTORS),
                                                    "published", public=True),
    "competitions_api.list_corrections": _staged("GET", E + "/corrections", CORRECTORS,
                                                 "locked"),
    "competitions_api.request_correction": _correction(),
    "competitions_api.decide_correction": _staged(
        "POST", "/api/v1/competitions/corrections/{correction}/decide", ARBITRATOR, "locked",
        "correction", data={"approve": True}),
}
