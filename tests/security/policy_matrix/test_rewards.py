"""Over-quota reward actions (rewards/rules.py): declaring, seeing and reviewing an
enterprise's declaration. Read grid.py for the actors; Y allowed, - refused.

Declaration states: draft, sub(mitted: waiting for the county), cty (county_reviewed:
waiting for the city), pass (city_reviewed), ret(urned), paid. Every declaration is
enterprise 1's, in the county it sits in (360102).
"""

from __future__ import annotations

import pytest

from tests.security.policy_matrix import grid
from tests.security.policy_matrix.grid import COUNTY, OWN_ENTERPRISE, Table, page
from trainhub.rewards.models import DeclarationStatus, RewardDeclaration


def declaration(status: DeclarationStatus) -> RewardDeclaration:
    return RewardDeclaration(id=1, enterprise_id=OWN_ENTERPRISE, region_code=COUNTY,
                             status=status.value)


EVERY_STATE = page(
    draft=declaration(DeclarationStatus.DRAFT), sub=declaration(DeclarationStatus.SUBMITTED),
    cty=declaration(DeclarationStatus.COUNTY_REVIEWED),
    pass_=declaration(DeclarationStatus.CITY_REVIEWED),
    notice=declaration(DeclarationStatus.IN_NOTICE),
    appr=declaration(DeclarationStatus.APPROVED),
    ret=declaration(DeclarationStatus.RETURNED), paid=declaration(DeclarationStatus.PAID))

TABLES = [
    # Prepare, edit, submit: the enterprise's own contact; which states allow which is the
    # service's check.
    Table("rewards.declare", EVERY_STATE, """
                              page draft sub cty pass_ notice appr ret paid
        anonymous               -    -   -   -     -      -    -   -   -
        admin                   -    -   -   -     -      -    -   -   -
        security_admin          -    -   -   -     -      -    -   -   -
        audit_admin             -    -   -   -     -      -    -   -   -
        officer_province        -    -   -   -     -      -    -   -   -
        officer_city            -    -   -   -     -      -    -   -   -
        officer_county          -    -   -   -     -      -    -   -   -
        officer_other_city      -    -   -   -     -      -    -   -   -
        officer_other_county    -    -   -   -     -      -    -   -   -
        staff_own               -    -   -   -     -      -    -   -   -
        staff_other             -    -   -   -     -      -    -   -   -
        enterprise_own          Y    Y   Y   Y     Y      Y    Y   Y   Y
        enterprise_other        Y    -   -   -     -      -    -   -   -
        trainee_self            -    -   -   -     -      -    -   -   -
        trainee_other           -    -   -   -     -      -    -   -   -
        judge_assigned          -    -   -   -     -      -    -   -   -
        judge_other             -    -   -   -     -      -    -   -   -
        chief_assigned          -    -   -   -     -      -    -   -   -
        chief_other             -    -   -   -     -      -    -   -   -
    """),
    # A declaration: its enterprise; once submitted, the officers covering it (a draft is
    # the enterprise's own until then).
    Table("rewards.view", EVERY_STATE, """
                              page draft sub cty pass_ notice appr ret paid
        anonymous               -    -   -   -     -      -    -   -   -
        admin                   -    -   -   -     -      -    -   -   -
        security_admin          -    -   -   -     -      -    -   -   -
        audit_admin             -    -   -   -     -      -    -   -   -
        officer_province        Y    -   Y   Y     Y      Y    Y   Y   Y
        officer_city            Y    -   Y   Y     Y      Y    Y   Y   Y
        officer_county          Y    -   Y   Y     Y      Y    Y   Y   Y
        officer_other_city      Y    -   -   -     -      -    -   -   -
        officer_other_county    Y    -   -   -     -      -    -   -   -
        staff_own               -    -   -   -     -      -    -   -   -
        staff_other             -    -   -   -     -      -    -   -   -
        enterprise_own          Y    Y   Y   Y     Y      Y    Y   Y   Y
        enterprise_other        Y    -   -   -     -      -    -   -   -
        trainee_self            -    -   -   -     -      -    -   -   -
        trainee_other           -    -   -   -     -      -    -   -   -
        judge_assigned          -    -   -   -     -      -    -   -   -
        judge_other             -    -   -   -     -      -    -   -   -
        chief_assigned          -    -   -   -     -      -    -   -   -
        chief_other             -    -   -   -     -      -    -   -   -
    """),
    # The county officer a declaration waiting for the county, then the city officer, each
    # inside their region; the province takes no review step.
    Table("rewards.review", EVERY_STATE, """
                              page draft sub cty pass_ notice appr ret paid
        anonymous               -    -   -   -     -      -    -   -   -
        admin                   -    -   -   -     -      -    -   -   -
        security_admin          -    -   -   -     -      -    -   -   -
        audit_admin             -    -   -   -     -      -    -   -   -
        officer_province        -    -   -   -     -      -    -   -   -
        officer_city            Y    -   -   Y     -      -    -   -   -
        officer_county          Y    -   Y   -     -      -    -   -   -
        officer_other_city      Y    -   -   -     -      -    -   -   -
        officer_other_county    Y    -   -   -     -      -    -   -   -
        staff_own               -    -   -   -     -      -    -   -   -
        staff_other             -    -   -   -     -      -    -   -   -
        enterprise_own          -    -   -   -     -      -    -   -   -
        enterprise_other        -    -   -   -     -      -    -   -   -
        trainee_self            -    -   -   -     -      -    -   -   -
        trainee_other           -    -   -   -     -      -    -   -   -
        judge_assigned          -    -   -   -     -      -    -   -   -
        judge_other             -    -   -   -     -      -    -   -   -
        chief_assigned          -    -   -   -     -      -    -   -   -
        chief_other             -    -   -   -     -      -    -   -   -
    """),
    # The notice, its objections, the approval and the payment: the city officer of the
    # declaration's region, once the city has passed it on and until it is paid.
    Table("rewards.decide", EVERY_STATE, """
                              page draft sub cty pass_ notice appr ret paid
        anonymous               -    -    -   -    -     -     -    -   -
        admin                   -    -    -   -    -     -     -    -   -
        security_admin          -    -    -   -    -     -     -    -   -
        audit_admin             -    -    -   -    -     -     -    -   -
        officer_province        -    -    -   -    -     -     -    -   -
        officer_city            Y    -    -   -    Y     Y     Y    -   -
        officer_county          -    -    -   -    -     -     -    -   -
        officer_other_city      Y    -    -   -    -     -     -    -   -
        officer_other_county    -    -    -   -    -     -     -    -   -
        staff_own               -    -    -   -    -     -     -    -   -
        staff_other             -    -    -   -    -     -     -    -   -
        enterprise_own          -    -    -   -    -     -     -    -   -
        enterprise_other        -    -    -   -    -     -     -    -   -
        trainee_self            -    -    -   -    -     -     -    -   -
        trainee_other           -    -    -   -    -     -     -    -   -
        judge_assigned          -    -    -   -    -     -     -    -   -
        judge_other             -    -    -   -    -     -     -    -   -
        chief_assigned          -    -    -   -    -     -     -    -   -
        chief_other             -    -    -   -    -     -     -    -   -
    """),
]


@pytest.mark.parametrize("table", TABLES, ids=grid.ids)
def test_policy_decides_as_the_table_says(table):
    grid.check(table)


@pytest.mark.parametrize("table", grid.scoped(TABLES), ids=grid.ids)
def test_the_list_filter_keeps_what_the_table_allows(table):
    grid.check_where(table)
