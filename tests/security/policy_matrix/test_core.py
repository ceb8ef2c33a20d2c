"""Core actions (core/policy.py): accounts and tokens, audit, people, parameters,
institutions. Read grid.py for the actors; Y allowed, - refused."""

from __future__ import annotations

import pytest

from tests.security.policy_matrix import grid
from tests.security.policy_matrix.grid import (
    CITY,
    COUNTY,
    NOBODY,
    OTHER_CITY,
    OTHER_PERSON,
    OWN_INSTITUTION,
    PROVINCE,
    SELF_PERSON,
    For,
    Table,
    page,
)
from trainhub.core import policy
from trainhub.core.accounts.models import ApiToken, User
from trainhub.core.audit.models import AuditEntry
from trainhub.core.organisations import Institution
from trainhub.core.parameters.models import ParameterValue
from trainhub.core.people.models import Person
from trainhub.core.privacy.models import Consent

PERSON = Person(id=SELF_PERSON, household_region_code=COUNTY)

TABLES = [
    # own: a token of the acting user; other: somebody else's token.
    Table("account.api_tokens", page(
        own=For(lambda user: ApiToken(user_id=user.id if user else NOBODY)),
        other=ApiToken(user_id=NOBODY)), """
                              page  own  other
        anonymous               -    -     -
        admin                   Y    Y     -
        security_admin          -    -     -
        audit_admin             -    -     -
        officer_province        Y    Y     -
        officer_city            Y    Y     -
        officer_county          Y    Y     -
        officer_other_city      Y    Y     -
        officer_other_county    Y    Y     -
        staff_own               Y    Y     -
        staff_other             Y    Y     -
        enterprise_own          Y    Y     -
        enterprise_other        Y    Y     -
        trainee_self            -    -     -
        trainee_other           -    -     -
        judge_assigned          Y    Y     -
        judge_other             Y    Y     -
        chief_assigned          Y    Y     -
        chief_other             Y    Y     -
    """),
    # An audit entry of the county, one of 赣州市章贡区, one tied to no region.
    Table("audit.search", page(
        county=AuditEntry(region_code=COUNTY), other_city=AuditEntry(region_code="360702"),
        no_region=AuditEntry(region_code=None)), """
                              page  county  other_city  no_region
        anonymous               -     -         -           -
        admin                   -     -         -           -
        security_admin          -     -         -           -
        audit_admin             Y     Y         Y           Y
        officer_province        Y     Y         Y           -
        officer_city            Y     Y         -           -
        officer_county          Y     Y         -           -
        officer_other_city      Y     -         Y           -
        officer_other_county    Y     -         -           -
        staff_own               -     -         -           -
        staff_other             -     -         -           -
        enterprise_own          -     -         -           -
        enterprise_other        -     -         -           -
        trainee_self            -     -         -           -
        trainee_other           -     -         -           -
        judge_assigned          -     -         -           -
        judge_other             -     -         -           -
        chief_assigned          -     -         -           -
        chief_other             -     -         -           -
    """),
    # The security and audit administrators' accounts are beyond the system administrator.
    Table("users.manage", page(
        account=User(id=NOBODY, role="trainee"), security=User(id=NOBODY, role="security_admin"),
        audit=User(id=NOBODY, role="audit_admin")), """
                              page  account  security  audit
        anonymous               -      -       -        -
        admin                   Y      Y       -        -
        security_admin          -      -       -        -
        audit_admin             -      -       -        -
        officer_province        -      -       -        -
        officer_city            -      -       -        -
        officer_county          -      -       -        -
        officer_other_city      -      -       -        -
        officer_other_county    -      -       -        -
        staff_own               -      -       -        -
        staff_other             -      -       -        -
        enterprise_own          -      -       -        -
        enterprise_other        -      -       -        -
        trainee_self            -      -       -        -
        trainee_other           -      -       -        -
        judge_assigned          -      -       -        -
        judge_other             -      -       -        -
        chief_assigned          -      -       -        -
        chief_other             -      -       -        -
    """),
    # 三员分立: roles are the security administrator's alone, the system administrator's
    # accounts aside.
    Table("security.roles", page(), """
                              page
        anonymous               -
        admin                   -
        security_admin          Y
        audit_admin             -
        officer_province        -
        officer_city            -
        officer_county          -
        officer_other_city      -
        officer_other_county    -
        staff_own               -
        staff_other             -
        enterprise_own          -
        enterprise_other        -
        trainee_self            -
        trainee_other           -
        judge_assigned          -
        judge_other             -
        chief_assigned          -
        chief_other             -
    """),
    # The lock-out, timeouts and password age: the security administrator.
    Table("security.settings", page(), """
                              page
        anonymous               -
        admin                   -
        security_admin          Y
        audit_admin             -
        officer_province        -
        officer_city            -
        officer_county          -
        officer_other_city      -
        officer_other_county    -
        staff_own               -
        staff_other             -
        enterprise_own          -
        enterprise_other        -
        trainee_self            -
        trainee_other           -
        judge_assigned          -
        judge_other             -
        chief_assigned          -
        chief_other             -
    """),
]

# people.list and people.create: officers; for a person, those whose region holds the
# person's household. people.edit reads the same.
OFFICERS_OF_THE_PERSON = """
                              page  person
        anonymous               -     -
        admin                   -     -
        security_admin          -     -
        audit_admin             -     -
        officer_province        Y     Y
        officer_city            Y     Y
        officer_county          Y     Y
        officer_other_city      Y     -
        officer_other_county    Y     -
        staff_own               -     -
        staff_other             -     -
        enterprise_own          -     -
        enterprise_other        -     -
        trainee_self            -     -
        trainee_other           -     -
        judge_assigned          -     -
        judge_other             -     -
        chief_assigned          -     -
        chief_other             -     -
"""
# people.view and people.unmask: the officers in charge, and the person themself.
THE_PERSON_AND_THEIR_OFFICERS = """
                              page  person
        anonymous               -     -
        admin                   -     -
        security_admin          -     -
        audit_admin             -     -
        officer_province        Y     Y
        officer_city            Y     Y
        officer_county          Y     Y
        officer_other_city      Y     -
        officer_other_county    Y     -
        staff_own               -     -
        staff_other             -     -
        enterprise_own          -     -
        enterprise_other        -     -
        trainee_self            Y     Y
        trainee_other           Y     -
        judge_assigned          -     -
        judge_other             -     -
        chief_assigned          -     -
        chief_other             -     -
"""
TABLES += [
    *[Table(action, page(person=PERSON), OFFICERS_OF_THE_PERSON)
      for action in ("people.list", "people.create", "people.edit")],
    *[Table(action, page(person=PERSON), THE_PERSON_AND_THEIR_OFFICERS)
      for action in ("people.view", "people.unmask")],
    # One's own record: any trainee (each has a person); the rule reads no object.
    Table("people.me", page(person=PERSON), """
                              page  person
        anonymous               -     -
        admin                   -     -
        security_admin          -     -
        audit_admin             -     -
        officer_province        -     -
        officer_city            -     -
        officer_county          -     -
        officer_other_city      -     -
        officer_other_county    -     -
        staff_own               -     -
        staff_other             -     -
        enterprise_own          -     -
        enterprise_other        -     -
        trainee_self            Y     Y
        trainee_other           Y     Y
        judge_assigned          -     -
        judge_other             -     -
        chief_assigned          -     -
        chief_other             -     -
    """),
    # One's own copy of personal data and consents: own, a consent of the acting trainee's
    # person; other, another person's.
    Table("privacy.own", page(own=Consent(person_id=SELF_PERSON),
                              other=Consent(person_id=OTHER_PERSON)), """
                              page  own  other
        anonymous               -    -     -
        admin                   -    -     -
        security_admin          -    -     -
        audit_admin             -    -     -
        officer_province        -    -     -
        officer_city            -    -     -
        officer_county          -    -     -
        officer_other_city      -    -     -
        officer_other_county    -    -     -
        staff_own               -    -     -
        staff_other             -    -     -
        enterprise_own          -    -     -
        enterprise_other        -    -     -
        trainee_self            Y    Y     -
        trainee_other           Y    -     Y
        judge_assigned          -    -     -
        judge_other             -    -     -
        chief_assigned          -    -     -
        chief_other             -    -     -
    """),
    Table("parameters.view", page(), """
                              page
        anonymous               -
        admin                   Y
        security_admin          -
        audit_admin             -
        officer_province        Y
        officer_city            Y
        officer_county          Y
        officer_other_city      Y
        officer_other_county    Y
        staff_own               -
        staff_other             -
        enterprise_own          -
        enterprise_other        -
        trainee_self            -
        trainee_other           -
        judge_assigned          -
        judge_other             -
        chief_assigned          -
        chief_other             -
    """),
    # A province value, an override of the object's city, an override of another city.
    Table("parameters.edit", page(
        province=ParameterValue(region_code=PROVINCE), city=ParameterValue(region_code=CITY),
        other_city=ParameterValue(region_code=OTHER_CITY)), """
                              page  province  city  other_city
        anonymous               -      -        -       -
        admin                   Y      Y        Y       Y
        security_admin          -      -        -       -
        audit_admin             -      -        -       -
        officer_province        Y      Y        Y       Y
        officer_city            Y      -        Y       -
        officer_county          -      -        -       -
        officer_other_city      Y      -        -       Y
        officer_other_county    -      -        -       -
        staff_own               -      -        -       -
        staff_other             -      -        -       -
        enterprise_own          -      -        -       -
        enterprise_other        -      -        -       -
        trainee_self            -      -        -       -
        trainee_other           -      -        -       -
        judge_assigned          -      -        -       -
        judge_other             -      -        -       -
        chief_assigned          -      -        -       -
        chief_other             -      -        -       -
    """),
    Table("institutions.manage", page(
        institution=Institution(id=OWN_INSTITUTION, region_code=COUNTY)), """
                              page  institution
        anonymous               -       -
        admin                   Y       Y
        security_admin          -       -
        audit_admin             -       -
        officer_province        Y       Y
        officer_city            Y       Y
        officer_county          Y       Y
        officer_other_city      Y       -
        officer_other_county    Y       -
        staff_own               -       -
        staff_other             -       -
        enterprise_own          -       -
        enterprise_other        -       -
        trainee_self            -       -
        trainee_other           -       -
        judge_assigned          -       -
        judge_other             -       -
        chief_assigned          -       -
        chief_other             -       -
    """),
]


@pytest.mark.parametrize("table", TABLES, ids=grid.ids)
def test_policy_decides_as_the_table_says(table):
    grid.check(table)


def test_an_unknown_action_cannot_be_declared():
    with pytest.raises(KeyError):
        policy.permission("no.such.action")


def test_require_raises_with_the_object_named():
    with pytest.raises(policy.PermissionDenied) as raised:
        policy.require(grid.ACTORS["officer_other_city"], "people.view", PERSON)
    assert raised.value.object_type == "person" and raised.value.object_id == SELF_PERSON
