"""Base certification under /api/v1: applications and their review chain, certified bases
and their life after certification, incubated enterprises, and the coverage figures. Thin
endpoints, as in the web views: parse → load → authorise → service → commit → respond.
Domain errors are raised and answered as JSON by core.web."""

from __future__ import annotations

from typing import Any

from apiflask import APIBlueprint

from trainhub.core.api import ERRORS

bp = APIBlueprint("bases_api", __name__, url_prefix="/api/v1", tag="bases")

RULE = {400: "A rule of the certification process was not met (see `message`)"}
MOVED = {409: "The application is no longer at this step (acted on already)"}
STATE = {409: "The base's status does not allow this (expired, revoked, already suspended…)"}
TOO_LARGE = {413: "The upload exceeds the request size limit"}
CREATE: dict[str, Any] = {"security": "BearerAuth", "responses": {**ERRORS, **RULE}}
WRITE: dict[str, Any] = {"security": "BearerAuth", "responses": {**ERRORS, **RULE, **MOVED}}
UPLOAD: dict[str, Any] = {"security": "BearerAuth", "responses": {
    **ERRORS, **RULE, **MOVED, **TOO_LARGE}}
BASE_WRITE: dict[str, Any] = {"security": "BearerAuth", "responses": {
    **ERRORS, **RULE, **STATE}}
# What an endpoint returns for its @bp.output schema to dump: a model, which Flask's route
# typing does not know as a response value.
Dumped = Any
PDF_MIME = "application/pdf"


# The endpoint modules register their routes on `bp` when imported.
from trainhub.bases.api import applications, bases, coverage  # noqa: E402, F401
