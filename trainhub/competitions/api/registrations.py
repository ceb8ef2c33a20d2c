"""Registration under /api/v1: a city's officers read their delegation's entries, enter
contestants found by ID number (in the body, never in a URL), withdraw and substitute them
within the window; the organiser lists an event's entries and confirms or refuses each; the
delegation table for every officer, with contestants' names for the organiser and each
delegation's own officers only (as on the web)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from flask_login import current_user

from trainhub.competitions import admission, loaders, registration, tables
from trainhub.competitions.api import READ, WRITE, Dumped, bp
from trainhub.competitions.api.inputs import RefuseIn, RegisterIn, SubstituteIn
from trainhub.competitions.api.outputs import CityOut, DelegationTableOut, EntryList, EntryOut
from trainhub.competitions.api.present import delegation_out, entry_out, table_out
from trainhub.competitions.models import Competition, Entry
from trainhub.core import policy
from trainhub.core.errors import NotFound
from trainhub.core.people.models import Person
from trainhub.core.throttle import id_lookups
from trainhub.core.timeutil import local_today
from trainhub.extensions import db

VIEW = "competitions.view"
ORGANISE = "competitions.organise"
REGISTER = "competitions.register"
CITY_CODE = re.compile(r"36[0-9]{2}")
THROTTLED = {429: "Too many ID numbers entered by this account; try again later"}


def _city(competition_id: int, region_code: str) -> tuple[Competition, loaders.City]:
    """The competition and a city of the province; the city's officers only. The code is
    checked before any query: a path may carry anything, NUL included."""
    made = loaders.competition(competition_id, VIEW)
    if not CITY_CODE.fullmatch(region_code):
        raise NotFound(loaders.NOT_FOUND)
    city = loaders.city(region_code)
    policy.require(current_user, REGISTER, city)
    return made, city


def _people(numbers: Sequence[str], city: loaders.City) -> list[Person]:
    """The contestants named by resident ID or certificate number among the people of the
    city; a number of nobody and one of another city's person get the same answer, masked,
    as on the web. The lookups' audit rows are committed whatever comes next."""
    try:
        return admission.contestants_by_number(numbers, city.region_code)
    finally:
        db.session.commit()


@bp.get("/competitions/<int:competition_id>/delegations")
@bp.output(DelegationTableOut)
@bp.doc(operation_id="listDelegations",
        summary="The delegation table (代表队): each city's entries in each event against "
                "the quota; contestants' names for the organiser and the delegation's own "
                "officers only", **READ)
@policy.permission(VIEW)
def delegation_table(competition_id: int) -> Dumped:
    made = loaders.competition(competition_id, VIEW)
    table = tables.delegation_table(made.events, loaders.delegations_of(made),
                                    loaders.entries_of(made))
    organiser = policy.may(current_user, ORGANISE, made)
    named = {row.delegation.id for row in table.rows
             if organiser or policy.may(current_user, REGISTER, row.delegation)}
    return table_out(made, table, named)


@bp.get("/competitions/<int:competition_id>/delegations/<region_code>")
@bp.output(CityOut)
@bp.doc(operation_id="getDelegation",
        summary="A city's delegation: its entries in each event, the places left and "
                "whether registration is open (the city's officers)", **READ)
@policy.permission(REGISTER)
def city_entries(competition_id: int, region_code: str) -> Dumped:
    made, city = _city(competition_id, region_code)
    delegation = loaders.delegation(made, city.region_code)
    entries = loaders.entries_of(made, delegation.id) if delegation else []
    today = local_today()
    return {
        "competition_id": made.id, "region_code": city.region_code, "city_name": city.name,
        "delegation": delegation_out(delegation) if delegation else None,
        "events": [{"event_id": cell.event.id, "event_name": cell.event.name,
                    "quota": cell.event.quota, "places_left": cell.places_left,
                    "registration_open": registration.registration_open(cell.event, today),
                    "entries": [entry_out(e) for e in cell.entries]}
                   for cell in tables.cells_of(made.events, entries)]}


@bp.post("/competitions/events/<int:event_id>/delegations/<region_code>/entries")
@id_lookups
@bp.input(RegisterIn, location="json", arg_name="body")
@bp.output(EntryOut, status_code=201)
@bp.doc(operation_id="registerEntry",
        summary="Enter contestants of the city (found by ID number, in the body) within "
                "the window and the quota; eligibility is checked, with the reason for a "
                "refusal (400); the organiser then confirms the entry. A number of nobody "
                "and one of another city get the same answer; each lookup is audited and "
                "throttled per account", security=WRITE["security"],
        responses={**WRITE["responses"], **THROTTLED})
@policy.permission(REGISTER)
def register_entry(event_id: int, region_code: str, body: dict[str, Any]) -> Dumped:
    found = loaders.event(event_id, VIEW)
    made, city = _city(found.competition_id, region_code)
    people = _people([n.strip() for n in body["id_numbers"]], city)
    team = registration.delegation_for(made, city.region_code)
    entry = registration.register(found, team, people, current_user, local_today())
    db.session.commit()
    return entry_out(loaders.entry(entry.id))


def _own_entry(entry_id: int) -> Entry:
    found = loaders.entry(entry_id)
    policy.require(current_user, REGISTER, found.delegation)
    return found


@bp.post("/competitions/entries/<int:entry_id>/withdraw")
@bp.output(EntryOut)
@bp.doc(operation_id="withdrawEntry",
        summary="Withdraw an entry of the city's delegation, within the window", **WRITE)
@policy.permission(REGISTER)
def withdraw_entry(entry_id: int) -> Dumped:
    found = _own_entry(entry_id)
    registration.withdraw(found, current_user, local_today())
    db.session.commit()
    return entry_out(loaders.entry(entry_id))


@bp.post("/competitions/entries/<int:entry_id>/substitute")
@id_lookups
@bp.input(SubstituteIn, location="json", arg_name="body")
@bp.output(EntryOut)
@bp.doc(operation_id="substituteEntry",
        summary="Replace one contestant of an entry by another of the city (by ID number, "
                "in the body), within the window; the organiser confirms the entry again",
        security=WRITE["security"], responses={**WRITE["responses"], **THROTTLED})
@policy.permission(REGISTER)
def substitute_entry(entry_id: int, body: dict[str, Any]) -> Dumped:
    found = _own_entry(entry_id)
    leaving = next((m.person for m in found.members
                    if m.person_id == body["leaving_person_id"]), None)
    if leaving is None:
        raise NotFound(loaders.NOT_FOUND)
    joining = _people([body["id_number"].strip()], loaders.city(found.delegation.region_code))[0]
    registration.substitute(found, leaving, joining, current_user, local_today())
    db.session.commit()
    return entry_out(loaders.entry(entry_id))


# --- the organiser's side ---------------------------------------------------------------

@bp.get("/competitions/events/<int:event_id>/entries")
@bp.output(EntryList)
@bp.doc(operation_id="listEventEntries",
        summary="An event's entries in order of registration, with contestants (ID numbers "
                "masked), delegation, status and station; never the anonymous code", **READ)
@policy.permission(ORGANISE)
def event_entries(event_id: int) -> Dumped:
    found = loaders.event(event_id, ORGANISE)
    return {"items": [entry_out(e) for e in found.entries]}


def _decide(entry_id: int, operation: Callable[[Entry], None]) -> Dumped:
    found = loaders.entry(entry_id)
    policy.require(current_user, ORGANISE, found.event.competition)
    operation(found)
    db.session.commit()
    return entry_out(loaders.entry(entry_id))


@bp.post("/competitions/entries/<int:entry_id>/confirm")
@bp.output(EntryOut)
@bp.doc(operation_id="confirmEntry",
        summary="Confirm a registered entry after checking it (the organiser)", **WRITE)
@policy.permission(ORGANISE)
def confirm_entry(entry_id: int) -> Dumped:
    return _decide(entry_id, lambda e: registration.decide(e, True, current_user))


@bp.post("/competitions/entries/<int:entry_id>/refuse")
@bp.input(RefuseIn, location="json", arg_name="body")
@bp.output(EntryOut)
@bp.doc(operation_id="refuseEntry",
        summary="Refuse a registered entry, with the reason its delegation reads", **WRITE)
@policy.permission(ORGANISE)
def refuse_entry(entry_id: int, body: dict[str, str]) -> Dumped:
    return _decide(entry_id,
                   lambda e: registration.decide(e, False, current_user, body["reason"]))
