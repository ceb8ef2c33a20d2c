"""Subsidies under /api/v1: the dated parameters (read; new values with the permission, or a
dry run showing what they would change), an explain operation that computes a claim without
storing anything (like OpenFisca's /calculate, with the trace), decisions through their
lifecycle, budgets with their usage, and the officers' side of electronic vouchers. Thin
endpoints, as in the web views: parse → load → authorise → service → commit → respond.
Domain errors are raised and answered as JSON by core.web.

Conventions: money is integer fen in fields named `…_fen`; dates are ISO 8601; hours are
decimal strings; a person appears with a masked ID number only. An object outside the token
owner's scope is answered 404, like one that does not exist."""

from __future__ import annotations

from typing import Any

from apiflask import APIBlueprint

from trainhub.core.api import ERRORS
from trainhub.subsidies import rules  # noqa: F401 - registers the actions the endpoints declare

bp = APIBlueprint("subsidies_api", __name__, url_prefix="/api/v1", tag="subsidies")

RULE = {400: "A rule was not met (see `message`)"}
STATE = {409: "The decision is no longer in a state that allows this (acted on already), or "
              "the value would change an approved or paid decision"}
READ: dict[str, Any] = {"security": "BearerAuth", "responses": {**ERRORS, **RULE}}
WRITE: dict[str, Any] = {"security": "BearerAuth", "responses": {**ERRORS, **RULE, **STATE}}
# What an endpoint returns for its @bp.output schema to dump: a model (or a dict), which
# Flask's route typing does not know as a response value.
Dumped = Any



# The endpoint modules register their routes on `bp` when imported.
from trainhub.subsidies.api import (  # noqa: E402, F401
    budgets,
    calculate,
    decisions,
    parameters,
    vouchers,
)
