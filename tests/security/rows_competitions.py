"""Permission-matrix rows of the organisers' and delegations' competition pages. The
competition is organised by the province (36) through an officer who is none of the
actors: officer_province organises it; 南昌市's officers (officer_city) register its
delegation; every officer and the admin read it; nobody else reaches these pages."""

from __future__ import annotations

from tests.competitions.builders import build
from tests.security.matrix import ALL_OFFICERS, Row

ORGANISER = {"officer_province"}
CITY = {"officer_city"}
READERS = ALL_OFFICERS | {"admin"}


def _row(method: str, path: str, allowed: set[str], **kw: object) -> Row:
    return Row(method, lambda ids, p=path: p.format(**ids), allowed, prepare=build, **kw)


C = "/competitions/{competition}"
E = "/competitions/events/{event}"
REGISTRY_KEEPERS = {"officer_province", "officer_city", "officer_other_city"}

ROWS: dict[str, Row] = {
    "competitions.competition_list": _row("GET", "/competitions/", READERS),
    # Any officer may organise a competition of their own federation.
    "competitions.new_competition": _row("GET", "/competitions/new", ALL_OFFICERS),
    "competitions.competition": _row("GET", C, READERS),
    "competitions.edit_competition": _row("GET", C + "/edit", ORGANISER),
    "competitions.add_arbitrator": _row("POST", C + "/arbitrators", ORGANISER),
    "competitions.remove_arbitrator": _row("POST", C + "/arbitrators/{member}/remove",
                                           ORGANISER),
    "competitions.new_event": _row("GET", C + "/events/new", ORGANISER),
    "competitions.event": _row("GET", E, READERS),
    "competitions.edit_event": _row("GET", E + "/edit", ORGANISER),
    "competitions.confirm_entry": _row("POST", "/competitions/entries/{entry}/confirm",
                                       ORGANISER),
    "competitions.refuse_entry": _row("POST", "/competitions/entries/{entry}/refuse",
                                      ORGANISER, data={"reason": "材料不全"}),
    "competitions.draw": _row("POST", E + "/draw", ORGANISER),
    "competitions.delegation_table": _row("GET", C + "/delegations", READERS),
    "competitions.delegation": _row("GET", C + "/delegations/{city}", CITY),
    "competitions.register_entry": _row("POST", E + "/delegations/{city}/entries", CITY),
    "competitions.withdraw_entry": _row("POST", "/competitions/entries/{entry}/withdraw",
                                        CITY),
    "competitions.substitute_entry": _row("POST", "/competitions/entries/{entry}/substitute",
                                          CITY),
    # The judges' registry is not one competition's: province and city officers keep it.
    "competitions.judges": _row("GET", "/competitions/judges", REGISTRY_KEEPERS),
    "competitions.register_judge": _row("POST", "/competitions/judges", REGISTRY_KEEPERS),
    "competitions.event_judges": _row("GET", E + "/judges", ORGANISER),
    "competitions.assign_judge": _row("POST", E + "/judges", ORGANISER),
    "competitions.unassign_judge": _row("POST", E + "/judges/{assignment}/remove",
                                        ORGANISER),
}
