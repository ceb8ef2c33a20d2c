"""Schemathesis with a token of every role that may hold one (issue 15, item 7): every
documented operation, called by each role, answers a documented status with a body of the
documented shape (mostly the 403 or 404 of a role the operation is not for, the error
contract of test_openapi_conformance), and never a 5xx.

test_openapi_conformance fuzzes each operation as the role it is for (30 examples, every
phase); here the other roles get the coverage phase only (schemathesis' deterministic
boundary and missing-value cases, no random fuzzing), each case sent once per role, so the
whole matrix costs a few seconds. The operations are collected from the process's test app,
as in test_openapi_conformance.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig
from sqlalchemy import select

from tests.api import competition_cases, subsidy_cases
from tests.api.test_openapi_conformance import PLACEHOLDER, SPEC_PATH, error_body_contract
from tests.conftest import process_app, rolled_back
from tests.factories import Factory
from trainhub.core.accounts import services as accounts
from trainhub.core.accounts.models import TOKEN_ROLES, Role, User
from trainhub.extensions import db

RULE_REFUSALS = ["2xx", "400", "401", "403", "404", "409"]
ROLE_EXAMPLES = 1  # per operation, each sent as every role

schema = schemathesis.openapi.from_wsgi(
    SPEC_PATH,
    process_app(),
    config=SchemathesisConfig.from_dict({
        "seed": 20260102,
        "phases": {"examples": {"enabled": False}, "coverage": {"enabled": False}},
        # No field takes a NUL (trainhub.core.inputs answers the documented 400)
        "generation": {"mode": "all", "max-examples": ROLE_EXAMPLES, "allow-x00": False},
        "auth": {"openapi": {"BearerAuth": {"bearer": PLACEHOLDER}}},
        "operations": [
            {"include-path": "/api/v1/base-applications", "include-method": "POST",
             "checks": {"positive_data_acceptance": {"expected-statuses": RULE_REFUSALS}}},
            {"include-path": "/api/v1/training/demands", "include-method": "POST",
             "checks": {"positive_data_acceptance": {"expected-statuses": RULE_REFUSALS}}},
            subsidy_cases.POSITIVE_DATA, competition_cases.POSITIVE_DATA],
    }),
)

ROLE_SETTINGS = settings(
    max_examples=ROLE_EXAMPLES, derandomize=True, deadline=None, database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def role_tokens(app) -> Iterator[tuple[Any, dict[str, str]]]:
    """A token of one account of each role that may hold one (a province officer, an
    institution's staff, an enterprise's contact, a judge...), made once for the module in
    its own transaction (the tests are marked `shared_transaction`), rolled back at the end.
    Yields the connection and the tokens."""
    with rolled_back(app) as connection:
        make = Factory(app)
        usernames = [make.user(role) for role in sorted(TOKEN_ROLES)]
        with app.app_context():
            users = db.session.scalars(select(User).where(User.username.in_(usernames)))
            tokens = {user.role: accounts.issue_token(user, "roles")[1] for user in users}
            db.session.commit()
            db.session.remove()
        yield connection, tokens


def test_every_role_that_holds_tokens_is_called():
    assert {Role.ADMIN, Role.FEDERATION_OFFICER, Role.INSTITUTION_STAFF,
            Role.ENTERPRISE_CONTACT, Role.JUDGE, Role.CHIEF_JUDGE} <= TOKEN_ROLES


def _as(case: Any, secret: str, previous: str) -> None:
    """The case's token swapped for `secret` (a case sent without one stays without)."""
    if case.headers and case.headers.get("Authorization") == f"Bearer {previous}":
        case.headers["Authorization"] = f"Bearer {secret}"


@pytest.mark.shared_transaction
@schema.parametrize()
@ROLE_SETTINGS
def test_every_role_gets_documented_answers(case, app, role_tokens):
    connection, tokens = role_tokens
    previous = PLACEHOLDER
    for secret in tokens.values():
        _as(case, secret, previous)
        previous = secret
        savepoint = connection.begin_nested()  # what one role's call changed, undone
        try:
            case.call_and_validate(app=app, additional_checks=[error_body_contract])
        finally:
            with app.app_context():
                db.session.remove()
            if savepoint.is_active:
                savepoint.rollback()
