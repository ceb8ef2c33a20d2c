"""The JSON API shell under /api/v1: token-authenticated, scoped like the web pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from apiflask import APIBlueprint, Schema, abort
from apiflask.fields import Boolean, Dict, Integer, List, Nested, String
from apiflask.validators import Range
from flask import render_template
from flask_login import current_user
from sqlalchemy import func, select

from trainhub.core import files, policy
from trainhub.core.people.models import Person
from trainhub.core.people.services import display, record_view, visible_people
from trainhub.core.regions import Region
from trainhub.core.timeutil import local_today
from trainhub.core.web import MAX_PAGE
from trainhub.extensions import db

bp = APIBlueprint("api", __name__, url_prefix="/api/v1", tag="core")

ERRORS = {401: "Missing, revoked or expired token", 403: "Outside the token owner's scope",
          404: "Not found, or outside the token owner's scope"}
SECURED: dict[str, Any] = {"security": "BearerAuth", "responses": ERRORS}


class ErrorOut(Schema):
    """Every error answer of the API (also used for 422, with `detail` per field)."""

    status = Integer(required=True)
    message = String(required=True)
    error = String(required=True)
    detail = Dict()


class MeOut(Schema):
    username = String()
    display_name = String()
    role = String()
    region_code = String(allow_none=True)
    institution_id = Integer(allow_none=True)
    enterprise_id = Integer(allow_none=True)


class RegionOut(Schema):
    code = String()
    name = String()
    level = String()
    parent_code = String(allow_none=True)


class PersonOut(Schema):
    """A person with masked numbers and no birth date: beside the household county, the
    birth date (or an age) would rebuild the masked ID number (core.people.services)."""

    id = Integer()
    name = String()
    sex = String()
    id_number_masked = String()
    cert_number_masked = String(allow_none=True)
    phone_masked = String(allow_none=True)
    disability_category = Integer(allow_none=True)
    disability_grade = Integer(allow_none=True)
    household_region_code = String()
    employment_status = String()
    accessibility_needs = List(String())


class PageQuery(Schema):
    page = Integer(load_default=1, validate=Range(min=1, max=MAX_PAGE))
    per_page = Integer(load_default=50, validate=Range(min=1, max=200))


def file_answer(description: str, *media_types: str,
                errors: dict[int, str] | None = None) -> dict[str, Any]:
    """The documented 200 of an endpoint whose body is a file, not JSON; like every
    download, it is limited per account (core.downloads)."""
    return {"security": "BearerAuth", "responses": {
        200: {"description": description,
              "content": {m: {"schema": {"type": "string", "format": "binary"}}
                          for m in media_types}},
        **ERRORS, 429: "Too many documents downloaded by this account; try again later",
        **(errors or {})}}


def page(rows: Any, total: int, query: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """One page of a list answer, for a query read with PageQuery."""
    return {"items": list(rows), "total": total, "page": query["page"],
            "per_page": query["per_page"], **extra}


def offset(query: dict[str, Any]) -> int:
    return int((query["page"] - 1) * query["per_page"])


T = TypeVar("T")


def commit_or_discard(operation: Callable[[], T], stored: files.StoredUpload) -> T:
    """Run a write that records an upload already stored, as the request's one transaction:
    commit and return what it returned; if it is refused or the commit fails, remove the
    stored file (no orphan on disk) and let the error give the answer."""
    try:
        result = operation()
        db.session.commit()
    except Exception:
        files.discard(stored.storage_key)
        raise
    return result


class PeoplePage(Schema):
    items = List(Nested(PersonOut()))
    total = Integer()
    page = Integer()
    per_page = Integer()
    masked = Boolean()


def _person_out(person: Person) -> dict[str, object]:
    shown = display(person, local_today())
    return {
        "id": person.id, "name": person.name, "sex": person.sex,
        "id_number_masked": shown.id_number, "cert_number_masked": shown.cert_number,
        "phone_masked": shown.phone,
        "disability_category": person.disability_category,
        "disability_grade": person.disability_grade,
        "household_region_code": person.household_region_code,
        "employment_status": person.employment_status,
        "accessibility_needs": person.accessibility_needs(),
    }


@bp.get("/me")
@bp.output(MeOut)
@bp.doc(operation_id="getCurrentUser",
        summary="The token's owner", **SECURED)
@policy.signed_in
def me() -> dict[str, object]:
    return {k: getattr(current_user, k) for k in MeOut().fields}


@bp.get("/regions")
@bp.output(RegionOut(many=True))
@bp.doc(operation_id="listRegions",
        summary="The province, its 11 cities and 100 counties (GB/T 2260)", **SECURED)
@policy.signed_in
def regions() -> list[Region]:
    return list(db.session.scalars(select(Region).order_by(Region.code)))


@bp.get("/people")
@bp.input(PageQuery, location="query", arg_name="query")
@bp.output(PeoplePage)
@bp.doc(operation_id="listPeople",
        summary="People in the token owner's scope, masked", **SECURED)
@policy.permission("people.list")
def people(query: dict[str, int]) -> dict[str, object]:
    stmt = visible_people(current_user)
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = db.session.scalars(
        stmt.order_by(Person.id).limit(query["per_page"])
        .offset((query["page"] - 1) * query["per_page"])
    ).all()
    return {"items": [_person_out(p) for p in rows], "total": total, "page": query["page"],
            "per_page": query["per_page"], "masked": True}


@bp.get("/people/<int:person_id>")
@bp.output(PersonOut)
@bp.doc(operation_id="getPerson",
        summary="One person, masked", **SECURED)
@policy.permission("people.view")
def person(person_id: int) -> dict[str, object]:
    found = db.session.get(Person, person_id)
    if found is None:
        abort(404, "Not found, or outside the token owner's scope.")
    policy.require(current_user, "people.view", found)
    record_view(found, current_user)
    db.session.commit()
    return _person_out(found)


@bp.get("/docs")
@bp.doc(hide=True)
@policy.public
def docs() -> str:
    return render_template("api/docs.html")
