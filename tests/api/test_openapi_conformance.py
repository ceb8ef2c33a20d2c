"""Schemathesis against the API's own OpenAPI document (/api/v1/openapi.json), in process.

Every documented operation is fuzzed (schemathesis' coverage and fuzzing phases, positive and
negative inputs) with a real bearer token, and every response must carry a documented status
code, a JSON body matching the documented schema, and never a 5xx. All of schemathesis' default
checks run (not_a_server_error, status_code_conformance, content_type_conformance,
response_schema_conformance, response_headers_conformance, negative_data_rejection,
positive_data_acceptance, ignored_auth, unsupported_method, ...), plus the project's own error
contract: every error is JSON with an int `status` equal to the HTTP status, and string
`message` and `error`.

The operations are collected at import time from a throwaway app (the pytest plugin needs them
before fixtures exist); `test_the_schema_is_the_apps_own` proves it is the document the `app`
fixture serves, and every call goes to that fixture's app, inside the test's transaction.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig
from sqlalchemy import select

from tests.bases.builders import PDF, answers, at_city_level
from tests.conftest import TEST_CONFIG
from trainhub import create_app
from trainhub.core import policy
from trainhub.core.accounts import services as accounts
from trainhub.core.accounts.models import User
from trainhub.extensions import db

SPEC_PATH = "/api/v1/openapi.json"
# Coverage-phase cases are built at collection time, before a token exists: they carry this
# stand-in, which each test swaps for the token it issued (see `_authorise`).
PLACEHOLDER = "placeholder-token"
STAFF_ONLY = "bases.apply"

schema = schemathesis.openapi.from_wsgi(
    SPEC_PATH,
    create_app(dict(TEST_CONFIG, SQLALCHEMY_DATABASE_URI="sqlite://")),
    config=SchemathesisConfig.from_dict({
        "seed": 20260101,
        "generation": {"mode": "all", "max-examples": 30},
        "auth": {"openapi": {"BearerAuth": {"bearer": PLACEHOLDER}}},
        "operations": [{
            # The criteria questions are parameters (schema-free); a body valid by the
            # document may still miss an answer: the documented 400, not a rejected shape.
            "include-path": "/api/v1/base-applications", "include-method": "POST",
            "checks": {"positive_data_acceptance": {"expected-statuses": [
                "2xx", "400", "401", "403", "404", "409"]}},
        }],
    }),
)

FUZZ_SETTINGS = settings(
    max_examples=30, derandomize=True, deadline=None, database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

def error_body_contract(ctx: Any, response: Any, case: Any) -> None:
    """Errors are JSON objects with `status` (the HTTP status), `message` and `error`."""
    if response.status_code < 400:
        return
    body = response.json()
    assert isinstance(body, dict), f"error body is not a JSON object: {body!r}"
    assert body.get("status") == response.status_code, f"`status` != HTTP status: {body!r}"
    assert isinstance(body.get("message"), str), f"`message` missing: {body!r}"
    assert isinstance(body.get("error"), str), f"`error` missing: {body!r}"


def _authorise(case: Any, secret: str) -> None:
    if case.headers and case.headers.get("Authorization") == f"Bearer {PLACEHOLDER}":
        case.headers["Authorization"] = f"Bearer {secret}"


@pytest.fixture
def people(make) -> dict[str, int]:
    return {"in_scope": make.person("360102"), "outside": make.person("360702")}


def _issue(app, username: str) -> str:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        assert user is not None
        _row, secret = accounts.issue_token(user, "schemathesis")
        db.session.commit()
    return secret


@pytest.fixture
def officer(make) -> str:
    """A city-level federation officer (Nanchang, 3601)."""
    return make.user("federation_officer", region_code="3601")


@pytest.fixture
def bearer(app, officer, people) -> str:
    """A real token of the city officer, valid for this test."""
    return _issue(app, officer)


@pytest.fixture
def staff_bearer(app, make) -> str:
    """A real token of an institution's staff (东湖区), for the operations only staff may
    call: with the officer's token they would never get past the permission check."""
    return _issue(app, make.user("institution_staff"))


def _template(rule: str) -> str:
    return re.sub(r"<(?:[^<>:]+:)?([^<>]+)>", r"{\1}", rule)


def _staff_only(app, path: str, method: str) -> bool:
    """The operation is declared `bases.apply` (institution staff only)."""
    for rule in app.url_map.iter_rules():
        if _template(rule.rule) == path and method.upper() in (rule.methods or set()):
            return policy.declared_permission(app.view_functions[rule.endpoint]) == STAFF_ONLY
    return False


def _case(path: str, secret: str, method: str = "GET", **kwargs: Any) -> Any:
    """A hand-made case for one operation, sent with the real token."""
    return schema[path][method.upper()].Case(
        headers={"Authorization": f"Bearer {secret}"}, **kwargs)


def test_the_schema_is_the_apps_own(app, client):
    response = client.get(SPEC_PATH)
    assert response.status_code == 200
    assert response.json == schema.raw_schema


def test_every_api_route_is_documented(app):
    """An operation missing from the document would escape the fuzzing below."""
    documented = {(path, method.upper()) for path, item in schema.raw_schema["paths"].items()
                  for method in item}
    hidden = {"/api/v1/docs", SPEC_PATH}  # the HTML reference and the document itself
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or rule.rule in hidden:
            continue
        path = _template(rule.rule)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            assert (path, method) in documented, f"{method} {rule.rule} is not documented"


def test_the_token_reaches_every_operation(app, make, officer, bearer, people):
    """The fuzzing below is only worth something if the token gets past authentication and
    the permission check: every operation, called with the token the fuzzing uses for it and
    a real object, succeeds, and its answer matches the document."""
    ids = at_city_level(app, make, officer)
    staff = _issue(app, ids["staff"])
    with app.app_context():
        new = {"kind": "training", "level_sought": "city", "specialties": ["massage"],
               "answers": answers()}
    application = {"/evidence": ids["draft"], "/submit": ids["second_draft"],
                   "/review": ids["city_step"], "/certify": ids["notice_over"]}
    inputs: dict[tuple[str, str], dict[str, Any]] = {
        ("get", "/api/v1/base-applications/criteria"): {"query": {"kind": "training"}},
        ("post", "/api/v1/base-applications"): {"body": new},
        ("post", "/api/v1/base-applications/{application_id}/evidence"): {
            "body": {"file": PDF}, "media_type": "multipart/form-data"},
        ("post", "/api/v1/base-applications/{application_id}/review"): {
            "body": {"decision": "recommend", "comments": "同意"}},
    }
    for path, item in schema.raw_schema["paths"].items():
        for method in item:
            params = {"person_id": people["in_scope"], "base_id": ids["base"],
                      "application_id": next((i for end, i in application.items()
                                              if path.endswith(end)), ids["city_step"])}
            params = {k: v for k, v in params.items() if f"{{{k}}}" in path}
            secret = staff if _staff_only(app, path, method) else bearer
            response = _case(path, secret, method, path_parameters=params,
                             **inputs.get((method, path), {})).call_and_validate(
                app=app, additional_checks=[error_body_contract])
            assert response.status_code in (200, 201), (method, path, response.status_code)


def test_a_person_outside_the_scope_is_a_documented_refusal(app, bearer, people):
    case = _case("/api/v1/people/{person_id}", bearer,
                 path_parameters={"person_id": people["outside"]})
    response = case.call_and_validate(app=app, additional_checks=[error_body_contract])
    assert response.status_code in (403, 404)


@schema.parametrize()
@FUZZ_SETTINGS
def test_documented_operations_conform(case, app, bearer, staff_bearer):
    _authorise(case, staff_bearer if _staff_only(app, case.operation.path, case.method)
               else bearer)
    case.call_and_validate(app=app, additional_checks=[error_body_contract])


def test_person_id_beyond_the_column_range_is_a_documented_404(app, bearer):
    """Was a 500 (integer out of range) before ids in URLs were bounded to 32 bits."""
    response = _case("/api/v1/people/{person_id}", bearer,
                     path_parameters={"person_id": 2**63}).call(app=app)
    assert response.status_code == 404


def test_page_beyond_the_limit_is_a_documented_422(app, bearer):
    """Was a 500 (OFFSET overflow) before `page` got an upper bound."""
    response = _case("/api/v1/people", bearer,
                     query={"page": 2**62, "per_page": 200}).call(app=app)
    assert response.status_code == 422
