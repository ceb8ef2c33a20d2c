"""Role × scope × action → allowed, decided by core.policy on in-memory objects."""

from __future__ import annotations

import pytest

from trainhub.core import policy
from trainhub.core.accounts.models import User
from trainhub.core.audit.models import AuditEntry
from trainhub.core.people.models import Person

PERSON_DONGHU = Person(id=7, household_region_code="360102")
AUDIT_DONGHU = AuditEntry(region_code="360102")
AUDIT_GANZHOU = AuditEntry(region_code="360702")


def actor(role: str, region: str | None = None, person_id: int | None = None) -> User:
    return User(id=1, username=role, role=role, region_code=region, person_id=person_id)


PROVINCE = actor("federation_officer", "36")
NANCHANG = actor("federation_officer", "3601")
DONGHU = actor("federation_officer", "360102")
XIHU = actor("federation_officer", "360103")
GANZHOU = actor("federation_officer", "3607")
ADMIN = actor("admin")
STAFF = actor("institution_staff")
ENTERPRISE = actor("enterprise_contact")
SELF = actor("trainee", person_id=7)
OTHER = actor("trainee", person_id=8)
JUDGE = actor("judge")
CHIEF = actor("chief_judge")

MATRIX = [
    # (actor, action, object, allowed)
    *[(a, "people.view", PERSON_DONGHU, True) for a in (PROVINCE, NANCHANG, DONGHU, SELF)],
    *[(a, "people.view", PERSON_DONGHU, False)
      for a in (XIHU, GANZHOU, ADMIN, STAFF, ENTERPRISE, OTHER, JUDGE, CHIEF)],
    *[(a, "people.edit", PERSON_DONGHU, True) for a in (PROVINCE, NANCHANG, DONGHU)],
    *[(a, "people.edit", PERSON_DONGHU, False) for a in (XIHU, GANZHOU, ADMIN, SELF, STAFF)],
    *[(a, "people.unmask", PERSON_DONGHU, True) for a in (NANCHANG, SELF)],
    *[(a, "people.unmask", PERSON_DONGHU, False) for a in (GANZHOU, ADMIN, OTHER, JUDGE)],
    *[(a, "people.list", None, True) for a in (PROVINCE, GANZHOU, DONGHU)],
    *[(a, "people.list", None, False) for a in (ADMIN, STAFF, ENTERPRISE, SELF, JUDGE)],
    (NANCHANG, "people.create", Person(household_region_code="360111"), True),
    (NANCHANG, "people.create", Person(household_region_code="360702"), False),
    (DONGHU, "people.create", Person(household_region_code="360103"), False),
    (ADMIN, "audit.search", AUDIT_GANZHOU, True),
    (NANCHANG, "audit.search", AUDIT_DONGHU, True),
    (NANCHANG, "audit.search", AUDIT_GANZHOU, False),
    (GANZHOU, "audit.search", AUDIT_GANZHOU, True),
    *[(a, "audit.search", None, False) for a in (STAFF, ENTERPRISE, SELF, JUDGE, CHIEF)],
    (ADMIN, "users.manage", None, True),
    *[(a, "users.manage", None, False) for a in (PROVINCE, STAFF, SELF, CHIEF)],
    *[(a, "account.api_tokens", None, True)
      for a in (ADMIN, PROVINCE, STAFF, ENTERPRISE, JUDGE, CHIEF)],
    (SELF, "account.api_tokens", None, False),
]


@pytest.mark.parametrize(("user", "action", "obj", "allowed"), MATRIX,
                         ids=[f"{u.username}:{u.region_code or ''}-{a}-{ok}"
                              for u, a, o, ok in MATRIX])
def test_policy_matrix(user, action, obj, allowed):
    assert policy.may(user, action, obj) is allowed


def test_anonymous_may_nothing():
    for action in policy.registered_actions():
        assert policy.may(None, action) is False


def test_an_unknown_action_cannot_be_declared():
    with pytest.raises(KeyError):
        policy.permission("no.such.action")


def test_require_raises_with_the_object_named():
    with pytest.raises(policy.PermissionDenied) as raised:
        policy.require(GANZHOU, "people.view", PERSON_DONGHU)
    assert raised.value.object_type == "person" and raised.value.object_id == 7
