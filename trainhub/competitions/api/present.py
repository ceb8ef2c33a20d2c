"""Competition objects as the API answers them. Two ways of naming an entry: the registration
side names its contestants (with masked ID numbers) and delegation; the marking side
(`coded`) gives station and anonymous code, and names only once the event is decoded."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_login import current_user

from trainhub.competitions import admission, display, registration, tables
from trainhub.competitions.judging.display import mark_text
from trainhub.competitions.models import Aspect, Competition, Delegation, Entry, Event
from trainhub.competitions.scoring import DEFAULT_TIE_BREAKS
from trainhub.core import policy
from trainhub.core.errors import DomainError
from trainhub.core.idnumbers import mask_id
from trainhub.core.parameters import service as parameters
from trainhub.core.timeutil import local_today

ORGANISE = "competitions.organise"


def event_summary(event: Event) -> dict[str, Any]:
    return {"id": event.id, "name": event.name, "occupation": event.occupation,
            "team_size": event.team_size, "quota": event.quota, "status": event.status}


def delegation_out(delegation: Delegation) -> dict[str, Any]:
    return {"id": delegation.id, "region_code": delegation.region_code,
            "name": delegation.name, "leader": delegation.leader}


def competition_out(made: Competition, delegations: Iterable[Delegation] | None = None,
                    ) -> dict[str, Any]:
    found = {
        "id": made.id, "name": made.name, "region_code": made.region_code,
        "starts_on": made.starts_on, "ends_on": made.ends_on,
        "registration_opens": made.registration_opens,
        "registration_closes": made.registration_closes, "venue": made.venue,
        "created_at": made.created_at, "organiser": policy.may(current_user, ORGANISE, made),
        "events": [event_summary(e) for e in made.events]}
    if delegations is not None:
        found["delegations"] = [delegation_out(d) for d in delegations]
    return found


def aspect_out(aspect: Aspect) -> dict[str, Any]:
    return {"id": aspect.id, "code": aspect.code, "title": aspect.title, "kind": aspect.kind,
            "scale": aspect.scale, "max_mark": mark_text(aspect.max_mark),
            "step": mark_text(aspect.step)}


def _eligibility(event: Event) -> dict[str, Any]:
    found: dict[str, Any] = {
        "categories": list(event.categories), "grades": list(event.grades),
        "age_reference_date": event.age_reference_date,
        "exclude_title_holders": event.exclude_title_holders,
        "age_min": None, "age_max_male": None, "age_max_female": None}
    try:
        rules = admission.rules_of(event)
    except DomainError:  # no age limit is in force on that date: shown as unknown
        return found
    found.update(age_min=rules.age_min, age_max_male=rules.age_max_male,
                 age_max_female=rules.age_max_female)
    return found


def _min_entries(event: Event) -> int | None:
    try:
        return parameters.int_value("competitions.min_entries", local_today(),
                                    event.competition.region_code)
    except DomainError:
        return None


def event_out(event: Event) -> dict[str, Any]:
    counts = dict.fromkeys(("registered", "confirmed", "refused", "withdrawn"), 0)
    for entry in event.entries:
        counts[entry.status] = counts.get(entry.status, 0) + 1
    return {
        **event_summary(event), "competition_id": event.competition_id,
        "competition_name": event.competition.name,
        "cancellation_note": display.cancellation_note(event.cancellation_note),
        "registration_open": registration.registration_open(event, local_today()),
        "min_entries": _min_entries(event), "eligibility": _eligibility(event),
        "award_rule": event.award_rule,
        "award_ratios": [{"award": name, "percent": mark_text(share)}
                         for name, share in event.award_ratios],
        "tie_breaks": list(event.tie_breaks or DEFAULT_TIE_BREAKS),
        "aspects": [aspect_out(a) for a in event.aspects], "entries": counts,
        "draw_seed": event.draw_seed, "drawn_at": event.drawn_at,
        "locked_at": event.locked_at, "ends_at": event.ends_at,
        "published_at": event.published_at}


# --- the registration side: named entries -------------------------------------------------

def entry_out(entry: Entry) -> dict[str, Any]:
    """An entry for the organiser or its delegation: contestants with masked numbers."""
    return {
        "id": entry.id, "event_id": entry.event_id, "event_name": entry.event.name,
        "delegation": delegation_out(entry.delegation), "status": entry.status,
        "refusal_reasons": display.reasons(entry.refusal_reasons),
        "station_no": entry.station_no, "registered_at": entry.registered_at,
        "members": [{"person_id": m.person_id, "name": m.person.name,
                     "id_number_masked": mask_id(m.person.id_number),
                     "disability_category": m.person.disability_category,
                     "disability_grade": m.person.disability_grade} for m in entry.members]}


def table_out(made: Competition, table: tables.DelegationTable,
              named: set[int]) -> dict[str, Any]:
    """The delegation table; contestants' names only in the rows of `named` delegations."""
    def entry(found: Entry, shown: bool) -> dict[str, Any]:
        return {"id": found.id, "status": found.status, "station_no": found.station_no,
                "contestant_count": len(found.members),
                "contestants": [m.person.name for m in found.members] if shown else None,
                "refusal_reasons": display.reasons(found.refusal_reasons) if shown else None}

    rows = [{"delegation": delegation_out(row.delegation), "active": row.active,
             "cells": [{"event_id": cell.event.id, "active": cell.active,
                        "places_left": cell.places_left, "counts": dict(cell.counts),
                        "entries": [entry(e, row.delegation.id in named)
                                    for e in cell.entries]} for cell in row.cells]}
            for row in table.rows]
    return {"competition_id": made.id, "events": [event_summary(e) for e in table.events],
            "rows": rows,
            "totals": [{"event_id": t.event.id, "active": t.active, "confirmed": t.confirmed,
                        "delegations": t.delegations} for t in table.totals]}


# --- the marking side: entries by code ------------------------------------------------------

def coded(entry: Entry, decoded: bool) -> dict[str, Any]:
    """An entry by station and code; its id, contestants and delegation only when decoded
    (the event locked): whoever reads a coded answer before the lock cannot tell whose it
    is, not even by matching the entry's id with the registration answers."""
    return {"entry_id": entry.id if decoded else None, "station_no": entry.station_no,
            "code": entry.code,
            "contestants": [m.person.name for m in entry.members] if decoded else None,
            "delegation": entry.delegation.name if decoded else None}
