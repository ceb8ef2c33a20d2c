"""Training under /api/v1: demands (企业下单), batches with their sessions and lifecycle
(机构接单, 开班审批), enrolments (劳动者点单), attendance, results, employment follow-up and
hired versus committed. Thin endpoints, as in the web views: parse → load → authorise →
service → commit → respond. Domain errors are raised and answered as JSON by core.web.

Conventions of these operations: times are ISO 8601 with a timezone (stored in UTC, answered
with `+00:00`); money is integer fen in fields named `…_fen`; hours and percentages are
decimal strings (`"7.50"`, `"87.5"`), in requests and answers alike; ID numbers are answered
masked only, and are sent in request bodies, never in a URL."""

from __future__ import annotations

from typing import Any

from apiflask import APIBlueprint

from trainhub.core.api import ERRORS
from trainhub.training import rules  # noqa: F401 - registers the actions the endpoints declare

bp = APIBlueprint("training_api", __name__, url_prefix="/api/v1/training", tag="training")

RULE = {400: "A rule of training was not met (see `message`)"}
STATE = {409: "The demand, batch or application is no longer in a state that allows this "
              "(acted on already, or not yet at this step)"}
CREATE: dict[str, Any] = {"security": "BearerAuth", "responses": {**ERRORS, **RULE}}
WRITE: dict[str, Any] = {"security": "BearerAuth", "responses": {**ERRORS, **RULE, **STATE}}
REMOVED: dict[str, Any] = {"security": "BearerAuth", "responses": {
    204: "Removed", **ERRORS, **RULE, **STATE}}
# What an endpoint returns for its @bp.output schema to dump: a model (or a model with
# values computed by the endpoint), which Flask's route typing does not know.
Dumped = Any


class With:
    """A model with values the endpoint computed beside it, for a schema to dump: unknown
    attributes are read from the model."""

    def __init__(self, model: Any, **extra: Any) -> None:
        self._model = model
        self.__dict__.update(extra)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._model, name)



# The endpoint modules register their routes on `bp` when imported.
from trainhub.training.api import (  # noqa: E402, F401
    batches,
    demands,
    enrolments,
    lifecycle,
    running,
)
