"""Permission-matrix rows of the judging, results and output pages of competitions. Each
row builds its own event (tests/competitions/judging_world.py) at the stage its page needs,
with the actor in the part its role plays: a judge actor is judge A of the event, the
chief-judge actor its chief judge, the provincial officer (who organises the provincial
competition) also sits in the arbitration group; the matrix's own person is the 南昌
contestant, so trainee_self holds the award. The harness passes every actor's username
in ids["actors"] (test_endpoint_matrix.py): the world is built once for all of them."""

from __future__ import annotations

from typing import Any

from tests.competitions import judging_world
from tests.security.matrix import ACTORS, Row

ORGANISER = {"officer_province"}
ARBITRATOR = {"officer_province"}
TRAINEES = {"trainee_self", "trainee_other"}
E = "/competitions/events/{event}"


def _world(stage: str, extra: str | None = None) -> Any:
    def prepare(app: Any, make: Any, ids: dict[str, Any]) -> dict[str, Any]:
        made = judging_world.build(app, make, stage, actors=ids["actors"],
                                   person_id=ids["person"])
        made["code"] = made["codes"][1]
        made["first_entry"] = made["entries"][0]
        made["result"] = made["results"].get(made["entries"][0])
        if extra == "correction":
            made["correction"] = judging_world.add_correction(app, made)
        if extra == "appeal":
            made["appeal"] = judging_world.add_appeal(app, made)
        if extra == "selection":
            made["selection"] = judging_world.add_selection(app, made)
        return made
    return prepare


def _row(method: str, path: str, allowed: set[str], stage: str = "drawn",
         extra: str | None = None, **kw: Any) -> Row:
    return Row(method, lambda ids, p=path: p.format(**ids), allowed,
               prepare=_world(stage, extra), **kw)


ROWS: dict[str, Row] = {
    "competitions.marking_events": Row("GET", lambda ids: "/competitions/marking",
                                       {"judge", "chief_judge"}),
    # The chief judge supervises and does not mark: the marking pages refuse them.
    "competitions.marking_entries": _row("GET", E + "/marking", {"judge"}),
    "competitions.marking_sheet": _row("GET", E + "/marking/{code}", {"judge"}),
    "competitions.chief_event": _row("GET", E + "/chief", {"chief_judge"}),
    "competitions.chief_resolve": _row("POST", E + "/chief/flags/{first_entry}/B",
                                       {"chief_judge"}),
    "competitions.chief_lock": _row("POST", E + "/chief/lock", {"chief_judge"},
                                    data={"confirmed": "1"}),
    "competitions.chief_decoded": _row("GET", E + "/decoded", {"chief_judge"}, "locked"),
    "competitions.corrections": _row("GET", E + "/corrections",
                                     {"chief_judge"} | ARBITRATOR, "locked"),
    "competitions.request_correction": _row("POST", E + "/corrections",
                                            {"chief_judge"} | ARBITRATOR, "locked"),
    "competitions.decide_correction": _row("POST", "/competitions/corrections/{correction}"
                                           "/decide", ARBITRATOR, "locked", "correction",
                                           data={"decision": "approve"}),
    # The officers of each city with a delegation in the competition (南昌 and 赣州 here).
    "competitions.appeal_form": _row("GET", E + "/appeal",
                                     {"officer_city", "officer_other_city"}, "locked"),
    "competitions.arbitration": _row("GET", E + "/arbitration", ARBITRATOR, "locked"),
    "competitions.decide_appeal": _row("POST", "/competitions/appeals/{appeal}/decide",
                                       ARBITRATOR, "locked", "appeal"),
    # The chief judge follows the standings (by code until the lock) while checking.
    "competitions.scoreboard": _row("GET", E + "/scoreboard", ORGANISER | {"chief_judge"},
                                    "marked"),
    "competitions.set_event_end": _row("POST", E + "/end", ORGANISER,
                                       data={"day": "2026-06-01", "at": "17:00"}),
    "competitions.publish_event": _row("POST", E + "/publish", ORGANISER, "locked",
                                       data={"confirmed": "1"}),
    "competitions.select_contestants": _row("POST", E + "/selections", ORGANISER, "published",
                                            data={"level": "national", "reason": "第一名"}),
    "competitions.withdraw_selection": _row("POST", E + "/selections/{selection}/withdraw",
                                            ORGANISER, "published", "selection"),
    "competitions.results_sheet_pdf": _row("GET", E + "/results-sheet.pdf", ORGANISER,
                                           "published"),
    "competitions.event_results": _row("GET", E + "/results", set(ACTORS), "published",
                                       public=True),
    "competitions.competition_results": _row("GET", "/competitions/{competition}/results",
                                             set(ACTORS), "published", public=True),
    "competitions.award_certificate": _row("GET", "/competitions/results/{result}"
                                           "/certificate.pdf",
                                           ORGANISER | {"trainee_self"}, "published"),
    "competitions.my_results": Row("GET", lambda ids: "/competitions/mine", TRAINEES),
}
