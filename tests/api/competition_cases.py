"""The competition operations in the conformance test: the objects their paths name (one per
state-changing call, so that no call depends on the order of the others: the corrections
of a competition and of its event share a competition, whose name alone one of them
changes) and a body each accepts. Every competition here is 南昌市's (3601), organised by
the conformance test's city officer, who also registers 南昌's delegation and sits in each
arbitration group, so the one token reaches every operation but the judges' sheets, called
with the token of judge A of a drawn event (TOKENS)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Flask

from tests.competitions import api_world
from tests.competitions.judging_world import add_correction
from trainhub.core.timeutil import local_today

CITY = "3601"
E = "/competitions/events/{event_id}"
N = "/competitions/entries/{entry_id}"
PATH_IDS: dict[tuple[str, str], dict[str, str]] = {
    ("put", "/competitions/{competition_id}"): {"competition_id": "c_to_correct"},
    ("put", E): {"event_id": "c_event_to_correct"},
    ("post", E + "/draw"): {"event_id": "c_to_draw"},
    ("post", N + "/confirm"): {"entry_id": "c_to_confirm"},
    ("post", N + "/refuse"): {"entry_id": "c_to_refuse"},
    ("post", N + "/withdraw"): {"entry_id": "c_to_withdraw"},
    ("post", N + "/substitute"): {"entry_id": "c_to_substitute"},
    ("get", E + "/marks"): {"event_id": "c_marked"},
    ("get", E + "/completeness"): {"event_id": "c_marked"},
    ("get", E + "/standings"): {"event_id": "c_marked"},
    ("get", E + "/decoded"): {"event_id": "c_locked"},
    ("get", E + "/corrections"): {"event_id": "c_locked"},
    ("post", E + "/corrections"): {"event_id": "c_locked"},
    ("post", E + "/publish"): {"event_id": "c_to_publish"},
    ("get", E + "/results"): {"event_id": "c_published"},
    ("get", "/competitions/{competition_id}/results"): {"competition_id": "c_published_in"},
    ("get", E + "/sheets"): {"event_id": "c_drawn"},
    ("get", E + "/sheets/{code}"): {"event_id": "c_drawn", "code": "c_code"},
    ("put", E + "/sheets/{code}"): {"event_id": "c_drawn", "code": "c_code"},
}
# The judges' operations are called with the token of judge A of the drawn event.
TOKENS = {"competitions.mark": "c_judge"}
DEFAULT_IDS = {"competition_id": "c_competition", "event_id": "c_event",
               "entry_id": "c_to_confirm", "region_code": "c_city",
               "correction_id": "c_correction"}
# A body valid by its shape may still break a rule the document cannot state (dates out of
# order, an ineligible contestant, a scheme whose maximum is not a multiple of the step, a
# window not open, a blank reason): the documented 400 (or 409, 404 for a number nobody has).
POSITIVE_DATA = {"include-tag": "competitions", "checks": {"positive_data_acceptance": {
    "expected-statuses": ["2xx", "400", "401", "403", "404", "409"]}}}


def bodies(ids: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    today = local_today()
    return {
        ("post", "/competitions"): {"body": {
            "name": "南昌市残疾人职业技能竞赛", "registration_opens": str(today),
            "registration_closes": str(today + timedelta(days=30)),
            "starts_on": str(today + timedelta(days=60)),
            "ends_on": str(today + timedelta(days=62)), "venue": "南昌市"}},
        ("post", "/competitions/{competition_id}/events"): {"body": {
            "name": "盲人保健按摩", "occupation": "保健按摩师", "quota": 3, "categories": [1],
            "age_reference_date": str(today), "aspects": [
                {"code": "A", "kind": "measurement", "max_mark": "20", "step": "0.5"},
                {"code": "B", "kind": "judgement", "scale": "wsos", "max_mark": "30"}]}},
        # api_world's competition and event as they stand, each with one thing corrected.
        ("put", "/competitions/{competition_id}"): {"body": {
            "name": "南昌市第二届残疾人职业技能竞赛", "venue": "南昌市",
            "registration_opens": str(today - timedelta(days=5)),
            "registration_closes": str(today + timedelta(days=10)),
            "starts_on": str(today + timedelta(days=20)),
            "ends_on": str(today + timedelta(days=22))}},
        ("put", E): {"body": {
            "name": "盲人保健按摩", "occupation": "保健按摩师", "quota": 5, "categories": [1],
            "age_reference_date": str(today + timedelta(days=20)), "aspects": [
                {"code": "A", "kind": "measurement", "max_mark": "20", "step": "0.5"}]}},
        ("post", E + "/delegations/{region_code}/entries"): {
            "body": {"id_numbers": [ids["c_number"]]}},
        ("post", N + "/refuse"): {"body": {"reason": "材料不全"}},
        ("post", N + "/substitute"): {"body": {"leaving_person_id": ids["c_leaving"],
                                               "id_number": ids["c_joining"]}},
        ("post", E + "/corrections"): {"body": {"mark_id": ids["c_mark"], "new_value": "17",
                                                "reason": "录入错误"}},
        ("post", "/competitions/corrections/{correction_id}/decide"): {
            "body": {"approve": True}},
        ("put", E + "/sheets/{code}"): {"body": {"marks": [{"aspect": "A", "value": "10"}],
                                                 "submit": False}},
    }


def objects(app: Flask, make: Any, officer: str) -> dict[str, Any]:
    """An open competition with entries to confirm, refuse, withdraw and substitute; a
    closed one with an event to draw; events marked, locked (with a correction asked for by
    another arbitrator), locked and ready to publish, and published."""
    made = api_world.competition(app, officer, CITY)
    to_correct = api_world.competition(app, officer, CITY)
    entries = {name: api_world.registered(app, made["event"], CITY)
               for name in ("confirm", "refuse", "withdraw", "substitute")}
    closed = api_world.competition(app, officer, CITY, closed=True)
    for city in ("3601", "3607", "3602"):  # in time, while the window was open
        api_world.registered(app, closed["event"], city, confirm=True,
                             day=local_today() - timedelta(days=5))
    stages = {stage: api_world.staged(app, make, stage, organiser=officer, region=CITY,
                                      arbitrator=officer)
              for stage in ("drawn", "marked", "locked", "published")}
    to_publish = api_world.staged(app, make, "locked", organiser=officer, region=CITY,
                                  arbitrator=officer)
    locked = stages["locked"]
    return {
        "c_competition": made["competition"], "c_event": made["event"], "c_city": CITY,
        "c_to_correct": to_correct["competition"], "c_event_to_correct": to_correct["event"],
        **{f"c_to_{name}": entry["entry"] for name, entry in entries.items()},
        "c_leaving": entries["substitute"]["person"], "c_joining": api_world.person(app)[1],
        "c_number": api_world.person(app)[1], "c_to_draw": closed["event"],
        "c_marked": stages["marked"]["event"], "c_locked": locked["event"],
        "c_mark": api_world.mark_of(app, locked["entries"][0], locked["aspects"]["A"]),
        "c_correction": add_correction(app, locked),
        "c_to_publish": to_publish["event"], "c_published": stages["published"]["event"],
        "c_published_in": stages["published"]["competition"],
        "c_drawn": stages["drawn"]["event"], "c_code": stages["drawn"]["codes"][0],
        "c_judge": stages["drawn"]["judge_a"],
    }
