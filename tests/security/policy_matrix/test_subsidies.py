"""Subsidy actions (subsidies/rules.py): decisions and claims, approval and payment,
budgets, reports, vouchers, a trainee's own. Read grid.py for the actors; Y allowed,
- refused.

Decision states: comp(uted), subm(itted), appr(oved), paid, rej(ected). A decision is person
7's, for a batch of institution 1 in county 360102. The rules tell no state apart: which
step may follow which is the services' check (subsidies/decisions.py).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.security.policy_matrix import grid
from tests.security.policy_matrix.grid import (
    CITY,
    COUNTY,
    OTHER_CITY,
    OWN_INSTITUTION,
    PROVINCE,
    SELF_PERSON,
    Table,
    page,
)
from trainhub.core.people.models import Person
from trainhub.subsidies.loaders import Scope
from trainhub.subsidies.models import Budget, Decision, Voucher
from trainhub.subsidies.values import DecisionStatus
from trainhub.subsidies.vouchers import VoucherStatus
from trainhub.training.catalog import BatchStatus
from trainhub.training.models import Batch, Enrolment

SHORT = {"comp": DecisionStatus.COMPUTED, "subm": DecisionStatus.SUBMITTED,
         "appr": DecisionStatus.APPROVED, "paid": DecisionStatus.PAID,
         "rej": DecisionStatus.REJECTED}
assert set(SHORT.values()) == set(DecisionStatus)

DECISIONS: dict[str, Any] = {
    name: Decision(id=1, person_id=SELF_PERSON, institution_id=OWN_INSTITUTION,
                   region_code=COUNTY, status=status.value)
    for name, status in SHORT.items()}
BATCH = Batch(id=1, institution_id=OWN_INSTITUTION, region_code=COUNTY,
              status=BatchStatus.COMPLETED.value)

TABLES = [
    # A decision, or a completed batch's decisions: its institution, officers covering it,
    # the admin. (The trainee reads their own through subsidies.mine.)
    Table("subsidies.view", page(**DECISIONS, batch=BATCH), """
                              page  comp  subm  appr  paid  rej  batch
        anonymous               -     -     -     -     -    -     -
        admin                   Y     Y     Y     Y     Y    Y     Y
        security_admin          -     -     -     -     -    -     -
        audit_admin             -     -     -     -     -    -     -
        officer_province        Y     Y     Y     Y     Y    Y     Y
        officer_city            Y     Y     Y     Y     Y    Y     Y
        officer_county          Y     Y     Y     Y     Y    Y     Y
        officer_other_city      Y     -     -     -     -    -     -
        officer_other_county    Y     -     -     -     -    -     -
        staff_own               Y     Y     Y     Y     Y    Y     Y
        staff_other             Y     -     -     -     -    -     -
        enterprise_own          -     -     -     -     -    -     -
        enterprise_other        -     -     -     -     -    -     -
        trainee_self            -     -     -     -     -    -     -
        trainee_other           -     -     -     -     -    -     -
        judge_assigned          -     -     -     -     -    -     -
        judge_other             -     -     -     -     -    -     -
        chief_assigned          -     -     -     -     -    -     -
        chief_other             -     -     -     -     -    -     -
    """),
    # Compute and submit the claims of a batch (or one decision): its institution's staff.
    Table("subsidies.claim", page(**DECISIONS, batch=BATCH), """
                              page  comp  subm  appr  paid  rej  batch
        anonymous               -     -     -     -     -    -     -
        admin                   -     -     -     -     -    -     -
        security_admin          -     -     -     -     -    -     -
        audit_admin             -     -     -     -     -    -     -
        officer_province        -     -     -     -     -    -     -
        officer_city            -     -     -     -     -    -     -
        officer_county          -     -     -     -     -    -     -
        officer_other_city      -     -     -     -     -    -     -
        officer_other_county    -     -     -     -     -    -     -
        staff_own               Y     Y     Y     Y     Y    Y     Y
        staff_other             Y     -     -     -     -    -     -
        enterprise_own          -     -     -     -     -    -     -
        enterprise_other        -     -     -     -     -    -     -
        trainee_self            -     -     -     -     -    -     -
        trainee_other           -     -     -     -     -    -     -
        judge_assigned          -     -     -     -     -    -     -
        judge_other             -     -     -     -     -    -     -
        chief_assigned          -     -     -     -     -    -     -
        chief_other             -     -     -     -     -    -     -
    """),
    # Approve, reject, pay: officers covering the decision; not the admin.
    Table("subsidies.approve", page(**DECISIONS), """
                              page  comp  subm  appr  paid  rej
        anonymous               -     -     -     -     -    -
        admin                   -     -     -     -     -    -
        security_admin          -     -     -     -     -    -
        audit_admin             -     -     -     -     -    -
        officer_province        Y     Y     Y     Y     Y    Y
        officer_city            Y     Y     Y     Y     Y    Y
        officer_county          Y     Y     Y     Y     Y    Y
        officer_other_city      Y     -     -     -     -    -
        officer_other_county    Y     -     -     -     -    -
        staff_own               -     -     -     -     -    -
        staff_other             -     -     -     -     -    -
        enterprise_own          -     -     -     -     -    -
        enterprise_other        -     -     -     -     -    -
        trainee_self            -     -     -     -     -    -
        trainee_other           -     -     -     -     -    -
        judge_assigned          -     -     -     -     -    -
        judge_other             -     -     -     -     -    -
        chief_assigned          -     -     -     -     -    -
        chief_other             -     -     -     -     -    -
    """),
    # The budget of the county, of its city, of the province, of another city; and the
    # region a budget form posts (subsidies.loaders.Scope), here the county.
    Table("subsidies.budgets", page(
        county=Budget(region_code=COUNTY), city=Budget(region_code=CITY),
        province=Budget(region_code=PROVINCE), other_city=Budget(region_code=OTHER_CITY),
        form=Scope(COUNTY)), """
                              page  county  city  province  other_city  form
        anonymous               -     -       -      -          -         -
        admin                   -     -       -      -          -         -
        security_admin          -     -       -      -          -         -
        audit_admin             -     -       -      -          -         -
        officer_province        Y     Y       Y      Y          Y         Y
        officer_city            Y     Y       Y      -          -         Y
        officer_county          Y     Y       -      -          -         Y
        officer_other_city      Y     -       -      -          Y         -
        officer_other_county    Y     -       -      -          -         -
        staff_own               -     -       -      -          -         -
        staff_other             -     -       -      -          -         -
        enterprise_own          -     -       -      -          -         -
        enterprise_other        -     -       -      -          -         -
        trainee_self            -     -       -      -          -         -
        trainee_other           -     -       -      -          -         -
        judge_assigned          -     -       -      -          -         -
        judge_other             -     -       -      -          -         -
        chief_assigned          -     -       -      -          -         -
        chief_other             -     -       -      -          -         -
    """),
    Table("subsidies.reports", page(), """
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
    # Person 7's voucher of the county in each state, and person 7 (to issue one to).
    Table("subsidies.vouchers.issue", page(**{
        s.value: Voucher(id=1, person_id=SELF_PERSON, region_code=COUNTY, status=s.value)
        for s in VoucherStatus}, person=Person(id=SELF_PERSON, household_region_code=COUNTY)),
        """
                              page  issued  claimed  redeemed  settled  cancelled  person
        anonymous               -     -        -        -         -         -         -
        admin                   -     -        -        -         -         -         -
        security_admin          -     -        -        -         -         -         -
        audit_admin             -     -        -        -         -         -         -
        officer_province        Y     Y        Y        Y         Y         Y         Y
        officer_city            Y     Y        Y        Y         Y         Y         Y
        officer_county          Y     Y        Y        Y         Y         Y         Y
        officer_other_city      Y     -        -        -         -         -         -
        officer_other_county    Y     -        -        -         -         -         -
        staff_own               -     -        -        -         -         -         -
        staff_other             -     -        -        -         -         -         -
        enterprise_own          -     -        -        -         -         -         -
        enterprise_other        -     -        -        -         -         -         -
        trainee_self            -     -        -        -         -         -         -
        trainee_other           -     -        -        -         -         -         -
        judge_assigned          -     -        -        -         -         -         -
        judge_other             -     -        -        -         -         -         -
        chief_assigned          -     -        -        -         -         -         -
        chief_other             -     -        -        -         -         -         -
    """),
    # Person 7's decisions, voucher and enrolment: the trainee themself.
    Table("subsidies.mine", page(
        **DECISIONS,
        voucher=Voucher(id=1, person_id=SELF_PERSON, region_code=COUNTY,
                        status=VoucherStatus.ISSUED.value),
        enrolment=Enrolment(id=1, person_id=SELF_PERSON)), """
                              page  comp  subm  appr  paid  rej  voucher  enrolment
        anonymous               -     -     -     -     -    -      -         -
        admin                   -     -     -     -     -    -      -         -
        security_admin          -     -     -     -     -    -      -         -
        audit_admin             -     -     -     -     -    -      -         -
        officer_province        -     -     -     -     -    -      -         -
        officer_city            -     -     -     -     -    -      -         -
        officer_county          -     -     -     -     -    -      -         -
        officer_other_city      -     -     -     -     -    -      -         -
        officer_other_county    -     -     -     -     -    -      -         -
        staff_own               -     -     -     -     -    -      -         -
        staff_other             -     -     -     -     -    -      -         -
        enterprise_own          -     -     -     -     -    -      -         -
        enterprise_other        -     -     -     -     -    -      -         -
        trainee_self            Y     Y     Y     Y     Y    Y      Y         Y
        trainee_other           Y     -     -     -     -    -      -         -
        judge_assigned          -     -     -     -     -    -      -         -
        judge_other             -     -     -     -     -    -      -         -
        chief_assigned          -     -     -     -     -    -      -         -
        chief_other             -     -     -     -     -    -      -         -
    """),
]


@pytest.mark.parametrize("table", TABLES, ids=grid.ids)
def test_policy_decides_as_the_table_says(table):
    grid.check(table)


@pytest.mark.parametrize("table", grid.scoped(TABLES), ids=grid.ids)
def test_the_list_filter_keeps_what_the_table_allows(table):
    grid.check_where(table)
