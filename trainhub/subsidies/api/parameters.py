"""The dated parameters under /api/v1: what is in force (province values and city
overrides), one parameter's history, and a new dated value, refused like on the parameter
page when it would change an approved or paid decision; `dry_run` shows the open decisions
it would change, old and new amounts, and saves nothing."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from flask_babel import gettext
from flask_login import current_user

from trainhub.core import policy
from trainhub.core.errors import N_, DomainError, NotFound
from trainhub.core.parameters import impact, service, values
from trainhub.core.parameters.models import Parameter, ParameterValue
from trainhub.core.timeutil import local_today
from trainhub.extensions import db
from trainhub.subsidies import recompute
from trainhub.subsidies.api import READ, WRITE, Dumped, bp
from trainhub.subsidies.api.inputs import ParameterQuery, ParameterValueIn
from trainhub.subsidies.api.outputs import ParameterDetailOut, ParameterOut, ValueChangeOut

NOT_FOUND = N_("The page or record was not found, or it is outside your scope.")
# Keys are dotted names; anything else (a NUL, a slash…) is simply not a parameter.
KEY = re.compile(r"[a-z][a-z0-9_]{0,39}(\.[a-z0-9_]{1,40}){1,3}")
DRY_RUN = {200: {"description": "A dry run: the changes the value would make; nothing saved",
                 "content": {"application/json": {
                     "schema": {"$ref": "#/components/schemas/ValueChangeOut"}}}}}


class AmountError(DomainError):
    field = "amount_fen"


def _load(key: str) -> Parameter:
    if not KEY.fullmatch(key):
        raise NotFound(NOT_FOUND)
    try:
        return service.get_parameter(key)
    except NotFound:
        raise NotFound(NOT_FOUND) from None


def _fen(parameter: Parameter, text: str) -> int | None:
    return int(text) if parameter.unit == "fen" else None


def _in_force(parameter: Parameter, version: service.ParameterVersion) -> dict[str, Any]:
    return {"id": version.parameter_value_id, "region_code": version.region_code,
            "effective_from": version.effective_from, "value": version.text,
            "amount_fen": _fen(parameter, version.text)}


def _history_item(row: ParameterValue) -> dict[str, Any]:
    return {"id": row.id, "region_code": row.region_code,
            "effective_from": row.effective_from, "value": row.value,
            "amount_fen": _fen(row.parameter, row.value), "note": row.note,
            "used": row.is_used, "created_at": row.created_at}


def _parameter_out(current: service.Current, on: date) -> dict[str, Any]:
    parameter = current.parameter
    return {
        "key": parameter.key, "domain": parameter.domain,
        "label": gettext(parameter.label_msgid),
        "description": gettext(parameter.description_msgid) if parameter.description_msgid
        else "",
        "unit": parameter.unit, "value_type": parameter.value_type,
        "legal_reference": parameter.legal_reference, "on": on,
        "province": _in_force(parameter, current.province) if current.province else None,
        "overrides": [_in_force(parameter, v) for _, v in sorted(current.overrides.items())],
    }


@bp.get("/parameters")
@bp.input(ParameterQuery, location="query", arg_name="query")
@bp.output(ParameterOut(many=True))
@bp.doc(operation_id="listParameters",
        summary="Every parameter with the values in force (province and city overrides)",
        **READ)
@policy.permission("parameters.view")
def list_parameters(query: dict[str, Any]) -> list[dict[str, Any]]:
    on = query.get("on") or local_today()
    found = service.overview(on)
    if query.get("domain"):
        found = [c for c in found if c.parameter.domain == query["domain"]]
    return [_parameter_out(c, on) for c in found]


@bp.get("/parameters/<key>")
@bp.output(ParameterDetailOut)
@bp.doc(operation_id="getParameter",
        summary="One parameter: the values in force today and its whole history", **READ)
@policy.permission("parameters.view")
def get_parameter(key: str) -> dict[str, Any]:
    parameter = _load(key)
    today = local_today()
    return {**_parameter_out(service.current(parameter, today), today),
            "history": [_history_item(row) for row in service.history(key)]}


def _text(parameter: Parameter, body: dict[str, Any]) -> str:
    """The stored text: amounts come as integer fen, everything else as text."""
    if parameter.unit == "fen":
        if body["amount_fen"] is None or body["value"] is not None:
            raise AmountError(N_("This parameter is an amount: give amount_fen, in fen."))
        return str(body["amount_fen"])
    if body["value"] is None or body["amount_fen"] is not None:
        raise values.InvalidValue(N_("This parameter is not an amount: give its value as "
                                     "text."))
    return str(body["value"])


def _proposed(parameter: Parameter, text: str, on: date, scope: str) -> impact.Change:
    try:
        return service.proposed_change(parameter.key, text, on, scope)
    except RecursionError:  # JSON nested thousands deep: the parser gives up
        raise values.InvalidValue(N_("The value is nested too deeply.")) from None


def _changes(change: impact.Change) -> list[dict[str, Any]]:
    return [{"decision_id": d.id, "kind": d.kind, "subject": f"{d.person.name} · {d.batch.title}",
             "old_amount_fen": d.amount_fen, "new_amount_fen": new}
            for d, new in recompute.open_changes(change)]


@bp.post("/parameters/<key>/values")
@bp.input(ParameterValueIn, location="json", arg_name="body")
@bp.output(ValueChangeOut, status_code=201)
@bp.doc(operation_id="addParameterValue",
        summary="Add a dated value (province, or a city override); refused when it would "
                "change an approved or paid decision; open decisions are recomputed. With "
                "dry_run, only the changes are shown",
        security=WRITE["security"], responses={**WRITE["responses"], **DRY_RUN})
@policy.permission("parameters.edit")
def add_parameter_value(key: str, body: dict[str, Any]) -> Dumped:
    parameter = _load(key)
    scope = body["region_code"]
    policy.require(current_user, "parameters.edit",
                   ParameterValue(parameter_id=parameter.id, region_code=scope))
    text = _text(parameter, body)
    change = _proposed(parameter, text, body["effective_from"], scope)
    impact.check(change)  # 409 before anything else: it would change a final decision
    changes = _changes(change)
    if body["dry_run"]:
        return {"saved": False, "value": None, "changes": changes}, 200
    row = service.add_value(parameter.key, text, body["effective_from"], scope, body["note"],
                            current_user)
    db.session.commit()
    return {"saved": True, "value": _history_item(row), "changes": changes}
