"""Competitions under /api/v1: competitions and their events (the organising federation's
officers create them, every officer reads them), registration (each city's officers enter
and withdraw their contestants by ID number; the organiser confirms or refuses), the close
of registration and the draw, read access to the marks for the organiser, corrections after
the lock for the arbitration group, judges' sheets (drafts and submission, within their
assignments), standings, publication, and the public results with the
delegations' medal table. Thin endpoints, as in the web views: parse → load → authorise →
service → commit → respond. Domain errors are raised and answered as JSON by core.web.

Conventions: marks are decimal strings ("18", "40.5"); ID numbers are sent in request
bodies, never in a URL, and answered masked only; an entry is named (contestants,
delegation) in the answers of the registration side, and by station and anonymous code
only in the answers of the marking side until the chief judge locks the event."""

from __future__ import annotations

from typing import Any

from apiflask import APIBlueprint

from trainhub.competitions import rules  # noqa: F401 - registers the actions the endpoints declare
from trainhub.core.api import ERRORS

# The tag's description is where a client reads how marks are handled (shown in Swagger UI).
TAG = {"name": "competitions", "description": (
    "Skills competitions (职业技能竞赛). **Marks:** a judge marks with their own token, "
    "within their assignments only: their sheets list the entries they may mark, by station "
    "and anonymous code (never a name, city, institution or entry id), under the same "
    "conflict-of-interest, range, step and lock rules as the web sheets. The chief judge "
    "checks and locks on the web pages. The organiser reads the submitted marks, the "
    "completeness check and the live standings here, by station and anonymous code only "
    "until the lock (as on the web scoreboard); names are decoded after the lock. After the "
    "lock a mark changes only by a correction: asked for by the event's chief judge or a "
    "member of the arbitration group with a reason, approved by another member of the "
    "group, and logged publicly.")}

bp = APIBlueprint("competitions_api", __name__, url_prefix="/api/v1", tag=TAG)

RULE = {400: "A rule of the competition was not met (see `message`): eligibility, the "
             "quota, the registration window, the marking scheme, a mark's range or step, "
             "a second approver…"}
STATE = {409: "The competition, event, entry or correction is no longer in a state that "
              "allows this (drawn, locked, decided already…), or not yet"}
MISSING_PARAMETER = {400: "A parameter the answer needs has no value in force on the "
                          "event's dates (see `message`)"}
READ: dict[str, Any] = {"security": "BearerAuth", "responses": {
    **ERRORS, **MISSING_PARAMETER, **STATE}}
WRITE: dict[str, Any] = {"security": "BearerAuth", "responses": {**ERRORS, **RULE, **STATE}}
PUBLIC: dict[str, Any] = {"responses": {404: "Not found, or not published yet"}}
# What an endpoint returns for its @bp.output schema to dump: a dict built from the models,
# which Flask's route typing does not know as a response value.
Dumped = Any



# The endpoint modules register their routes on `bp` when imported.
from trainhub.competitions.api import (  # noqa: E402, F401
    competitions,
    marks,
    registrations,
    results,
    sheets,
)
