"""Schemathesis against the API's own OpenAPI document (/api/v1/openapi.json), in process.

Every documented operation is fuzzed (schemathesis' coverage and fuzzing phases, positive and
negative inputs) with a real bearer token, and every response must carry a documented status
code, a JSON body matching the documented schema, and never a 5xx. All of schemathesis' default
checks run (not_a_server_error, status_code_conformance, content_type_conformance,
response_schema_conformance, response_headers_conformance, negative_data_rejection,
positive_data_acceptance, ignored_auth, unsupported_method, ...), plus the project's own error
contract: every error is JSON with an int `status` equal to the HTTP status, and string
`message` and `error`.

The operations are collected at import time (the pytest plugin needs them before fixtures
exist) from the process's test app, the one the `app` fixture serves, so collecting them builds
no second app; `test_the_schema_is_the_apps_own` proves the document is that app's, and every
call goes to it inside the test's transaction. (Schemathesis' lazy `from_fixture` would run
the 114 operations as one test on one worker: several minutes nothing can share.)
"""

from __future__ import annotations

import functools
import re
from datetime import timedelta
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig
from sqlalchemy import select

from tests.api import competition_cases, reward_cases, subsidy_cases, training_cases
from tests.bases.builders import PDF, PNG, answers, at_city_level
from tests.conftest import process_app
from trainhub.bases import lifecycle
from trainhub.bases.models import Base
from trainhub.core import policy
from trainhub.core.accounts import services as accounts
from trainhub.core.accounts.models import User
from trainhub.core.timeutil import local_today
from trainhub.extensions import db

SPEC_PATH = "/api/v1/openapi.json"
# Coverage-phase cases are built at collection time, before a token exists: they carry this
# stand-in, which each test swaps for the token it issued (see `_authorise`).
PLACEHOLDER = "placeholder-token"
# Declared permission → who calls it (an `ids` entry of the objects' builders); anything
# else is called by the city officer.
TOKENS = {"bases.apply": "staff", **training_cases.TOKENS, **subsidy_cases.TOKENS,
          **competition_cases.TOKENS, **reward_cases.TOKENS}

schema = schemathesis.openapi.from_wsgi(
    SPEC_PATH,
    process_app(),
    config=SchemathesisConfig.from_dict({
        "seed": 20260101,
        # No field takes a NUL: trainhub.core.inputs refuses one anywhere with the documented
        # 400, so a NUL in a positive case is not positive data.
        "generation": {"mode": "all", "max-examples": 30, "allow-x00": False},
        "auth": {"openapi": {"BearerAuth": {"bearer": PLACEHOLDER}}},
        "operations": [{
            # The criteria questions are parameters (schema-free); a body valid by the
            # document may still miss an answer: the documented 400, not a rejected shape.
            "include-path": "/api/v1/base-applications", "include-method": "POST",
            "checks": {"positive_data_acceptance": {"expected-statuses": [
                "2xx", "400", "401", "403", "404", "409"]}},
        }, {
            # A demand valid by its shape may still break a rule the document cannot state
            # (a deadline in the past, a commitment above the head count): the documented 400.
            "include-path": "/api/v1/training/demands", "include-method": "POST",
            "checks": {"positive_data_acceptance": {"expected-statuses": [
                "2xx", "400", "401", "403", "404", "409"]}},
        }, subsidy_cases.POSITIVE_DATA, competition_cases.POSITIVE_DATA,
            reward_cases.POSITIVE_DATA],
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


@pytest.fixture
def enterprise_bearer(app, make) -> str:
    """A real token of an enterprise's contact, for the operations only enterprises call."""
    return _issue(app, make.user("enterprise_contact"))


def _template(rule: str) -> str:
    return re.sub(r"<(?:[^<>:]+:)?([^<>]+)>", r"{\1}", rule)


@functools.cache
def _callers(app) -> dict[tuple[str, str], str | None]:
    """Who calls each operation, by (path template, method): worked out once, not for each
    of the thousands of generated cases (scanning the URL map per case cost 7% of the run)."""
    return {(_template(rule.rule), method): TOKENS.get(
                policy.declared_permission(app.view_functions[rule.endpoint]))
            for rule in app.url_map.iter_rules() for method in rule.methods or ()}


def _caller(app, path: str, method: str) -> str | None:
    """Who calls the operation (see TOKENS); None for the city officer."""
    return _callers(app).get((path, method.upper()))


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


# Path parameters by operation; any other operation gets the defaults below. Every
# operation that changes an object has one of its own (see at_city_level).
PATH_IDS: dict[tuple[str, str], dict[str, str]] = {
    ("put", "/base-applications/{application_id}"): {"application_id": "draft"},
    ("post", "/base-applications/{application_id}/evidence"): {"application_id": "draft"},
    ("get", "/base-applications/{application_id}/evidence/{file_id}"): {
        "application_id": "city_step", "file_id": "city_file"},
    ("delete", "/base-applications/{application_id}/evidence/{file_id}"): {
        "application_id": "draft", "file_id": "draft_file"},
    ("post", "/base-applications/{application_id}/submit"): {"application_id": "second_draft"},
    ("post", "/base-applications/{application_id}/withdraw"): {"application_id": "third_draft"},
    ("post", "/base-applications/{application_id}/certify"): {"application_id": "notice_over"},
    ("post", "/base-applications/{application_id}/reviews/{review_id}/photos"): {
        "application_id": "notice_over", "review_id": "city_review"},
    ("post", "/base-applications/{application_id}/objections"): {"application_id": "objected"},
    ("post", "/base-applications/{application_id}/objections/{objection_id}/resolve"): {
        "application_id": "objected", "objection_id": "objection"},
    ("post", "/bases/{base_id}/suspend"): {"base_id": "to_suspend"},
    ("post", "/bases/{base_id}/reinstate"): {"base_id": "suspended"},
    ("post", "/bases/{base_id}/revoke"): {"base_id": "to_revoke"},
    ("get", "/bases/{base_id}/residents"): {"base_id": "incubator"},
    ("post", "/bases/{base_id}/residents"): {"base_id": "incubator"},
    ("put", "/bases/{base_id}/residents/{resident_id}"): {
        "base_id": "incubator", "resident_id": "resident"},
}
PATH_IDS.update(training_cases.PATH_IDS)
PATH_IDS.update(subsidy_cases.PATH_IDS)
PATH_IDS.update(competition_cases.PATH_IDS)
PATH_IDS.update(reward_cases.PATH_IDS)
DEFAULT_IDS = {"application_id": "city_step", "base_id": "base", **training_cases.DEFAULT_IDS,
               **subsidy_cases.DEFAULT_IDS, **competition_cases.DEFAULT_IDS,
               **reward_cases.DEFAULT_IDS}


def _bodies(app, ids: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    """A body each operation accepts, for the objects of at_city_level and training_cases."""
    today = local_today()
    with app.app_context():
        new = {"kind": "training", "level_sought": "city", "specialties": ["massage"],
               "answers": answers()}
        scores = {i["item"]: i["max_points"] for i in lifecycle.review_sheet(Base(
            region_code="360102"), today)}
    resident = {"name": "赣创直播工作室", "founder_name": "李明",
                "entry_date": str(today - timedelta(days=30)), "jobs_created": 2}
    multipart = {"media_type": "multipart/form-data"}
    return {
        ("get", "/base-applications/criteria"): {"query": {"kind": "training"}},
        ("post", "/base-applications"): {"body": new},
        ("put", "/base-applications/{application_id}"): {"body": new},
        ("post", "/base-applications/{application_id}/evidence"): {
            "body": {"file": PDF}, **multipart},
        ("post", "/base-applications/{application_id}/reviews/{review_id}/photos"): {
            "body": {"file": PNG}, **multipart},
        ("post", "/base-applications/{application_id}/review"): {
            "body": {"decision": "recommend", "comments": "同意"}},
        ("post", "/base-applications/{application_id}/objections"): {
            "body": {"received_on": str(today - timedelta(days=29)), "content": "异议"}},
        ("post", "/base-applications/{application_id}/objections/{objection_id}/resolve"): {
            "body": {"upheld": False, "resolution": "经核实，场地达标"}},
        ("post", "/bases/{base_id}/annual-review"): {
            "body": {"year": today.year, "scores": scores, "outcome": "pass"}},
        ("post", "/bases/{base_id}/suspend"): {"body": {"reason": "整改"}},
        ("post", "/bases/{base_id}/revoke"): {"body": {"reason": "年度考核不合格"}},
        ("post", "/bases/{base_id}/residents"): {"body": resident},
        ("put", "/bases/{base_id}/residents/{resident_id}"): {"body": resident},
        **training_cases.bodies(ids),
        **subsidy_cases.bodies(ids),
        **competition_cases.bodies(ids),
        **reward_cases.bodies(ids),
    }


def test_the_token_reaches_every_operation(app, make, officer, bearer, people):
    """The fuzzing below is only worth something if the token gets past authentication and
    the permission check: every operation, called with the token the fuzzing uses for it and
    a real object, succeeds, and its answer matches the document."""
    ids = dict(at_city_level(app, make, officer), person_id=people["in_scope"],
               **training_cases.objects(app), **subsidy_cases.objects(app),
               **competition_cases.objects(app, make, officer),
               **reward_cases.objects(app, make))
    secrets = {name: _issue(app, ids[name]) for name in set(TOKENS.values())}
    bodies = _bodies(app, ids)
    for path, item in schema.raw_schema["paths"].items():
        for method in item:
            short = path.removeprefix("/api/v1")
            names = {**DEFAULT_IDS, **PATH_IDS.get((method, short), {})}
            params = {k: ids[names.get(k, k)] for k in re.findall(r"{(\w+)}", path)}
            caller = _caller(app, path, method)
            secret = secrets[caller] if caller else bearer
            response = _case(path, secret, method, path_parameters=params,
                             **bodies.get((method, short), {})).call_and_validate(
                app=app, additional_checks=[error_body_contract])
            # 202: enrolling by ID number waits for the person's confirmation (issue 12.7)
            assert response.status_code in (200, 201, 202, 204), (
                method, path, response.status_code, response.text[:300])


def test_a_person_outside_the_scope_is_a_documented_refusal(app, bearer, people):
    case = _case("/api/v1/people/{person_id}", bearer,
                 path_parameters={"person_id": people["outside"]})
    response = case.call_and_validate(app=app, additional_checks=[error_body_contract])
    assert response.status_code in (403, 404)


@schema.parametrize()
@FUZZ_SETTINGS
def test_documented_operations_conform(case, app, bearer, staff_bearer, enterprise_bearer):
    caller = _caller(app, case.operation.path, case.method)
    _authorise(case, {None: bearer, "enterprise": enterprise_bearer}.get(caller, staff_bearer))
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
