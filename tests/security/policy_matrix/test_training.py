"""Training actions (training/rules.py): demands, batches, enrolments, imports and exports,
follow-up. Read grid.py for the actors; Y allowed, - refused.

Batch states, in lifecycle order: draft, sub(mitted), ret(urned), rej(ected), appr(oved),
enrol(ling), run (in progress), done (completed, 结业), settl(ed, 结算), canc(elled). The rules
tell only a draft apart (an institution's own work until submitted); which step may follow
which is the services' business (training/batches.py), not the policy's.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tests.security.policy_matrix import grid
from tests.security.policy_matrix.grid import (
    COUNTY,
    OWN_ENTERPRISE,
    OWN_INSTITUTION,
    SELF_PERSON,
    For,
    Table,
    page,
)
from trainhub.core.timeutil import local_today
from trainhub.training.catalog import BatchStatus, DemandStatus, EnrolmentStatus
from trainhub.training.models import Batch, Demand, Enrolment

SHORT = {"draft": BatchStatus.DRAFT, "sub": BatchStatus.SUBMITTED, "ret": BatchStatus.RETURNED,
         "rej": BatchStatus.REJECTED, "appr": BatchStatus.APPROVED,
         "enrol": BatchStatus.ENROLLING, "run": BatchStatus.IN_PROGRESS,
         "done": BatchStatus.COMPLETED, "settl": BatchStatus.SETTLED,
         "canc": BatchStatus.CANCELLED}
assert set(SHORT.values()) == set(BatchStatus)


def batch(status: BatchStatus, demand: Demand | None = None) -> Batch:
    return Batch(id=1, institution_id=OWN_INSTITUTION, region_code=COUNTY,
                 status=status.value, demand=demand)


def demand(status: DemandStatus = DemandStatus.OPEN, days_left: int = 5) -> For:
    """An order of enterprise 1 located in the county; its deadline is read from today when
    the test runs."""
    return For(lambda user: Demand(
        id=1, enterprise_id=OWN_ENTERPRISE, region_code=COUNTY, status=status.value,
        deadline=local_today() + timedelta(days=days_left)))


BATCHES: dict[str, Any] = {name: batch(status) for name, status in SHORT.items()}

TABLES = [
    Table("training.batches.view", page(**BATCHES), """
                              page draft sub ret rej appr enrol run done settl canc
        anonymous               -    -    -   -   -   -     -    -   -    -     -
        admin                   Y    Y    Y   Y   Y   Y     Y    Y   Y    Y     Y
        security_admin          -    -    -   -   -   -     -    -   -    -     -
        audit_admin             -    -    -   -   -   -     -    -   -    -     -
        officer_province        Y    -    Y   Y   Y   Y     Y    Y   Y    Y     Y
        officer_city            Y    -    Y   Y   Y   Y     Y    Y   Y    Y     Y
        officer_county          Y    -    Y   Y   Y   Y     Y    Y   Y    Y     Y
        officer_other_city      Y    -    -   -   -   -     -    -   -    -     -
        officer_other_county    Y    -    -   -   -   -     -    -   -    -     -
        staff_own               Y    Y    Y   Y   Y   Y     Y    Y   Y    Y     Y
        staff_other             Y    -    -   -   -   -     -    -   -    -     -
        enterprise_own          -    -    -   -   -   -     -    -   -    -     -
        enterprise_other        -    -    -   -   -   -     -    -   -    -     -
        trainee_self            -    -    -   -   -   -     -    -   -    -     -
        trainee_other           -    -    -   -   -   -     -    -   -    -     -
        judge_assigned          -    -    -   -   -   -     -    -   -    -     -
        judge_other             -    -    -   -   -   -     -    -   -    -     -
        chief_assigned          -    -    -   -   -   -     -    -   -    -     -
        chief_other             -    -    -   -   -   -     -    -   -    -     -
    """),
    # Create, edit, enrol, mark attendance, record results: the batch's institution.
    Table("training.batches.run", page(**BATCHES), """
                              page draft sub ret rej appr enrol run done settl canc
        anonymous               -    -    -   -   -   -     -    -   -    -     -
        admin                   -    -    -   -   -   -     -    -   -    -     -
        security_admin          -    -    -   -   -   -     -    -   -    -     -
        audit_admin             -    -    -   -   -   -     -    -   -    -     -
        officer_province        -    -    -   -   -   -     -    -   -    -     -
        officer_city            -    -    -   -   -   -     -    -   -    -     -
        officer_county          -    -    -   -   -   -     -    -   -    -     -
        officer_other_city      -    -    -   -   -   -     -    -   -    -     -
        officer_other_county    -    -    -   -   -   -     -    -   -    -     -
        staff_own               Y    Y    Y   Y   Y   Y     Y    Y   Y    Y     Y
        staff_other             Y    -    -   -   -   -     -    -   -    -     -
        enterprise_own          -    -    -   -   -   -     -    -   -    -     -
        enterprise_other        -    -    -   -   -   -     -    -   -    -     -
        trainee_self            -    -    -   -   -   -     -    -   -    -     -
        trainee_other           -    -    -   -   -   -     -    -   -    -     -
        judge_assigned          -    -    -   -   -   -     -    -   -    -     -
        judge_other             -    -    -   -   -   -     -    -   -    -     -
        chief_assigned          -    -    -   -   -   -     -    -   -    -     -
        chief_other             -    -    -   -   -   -     -    -   -    -     -
    """),
    # 开班审批 and settlement: officers covering the batch (the state is the service's check).
    Table("training.batches.approve", page(**BATCHES), """
                              page draft sub ret rej appr enrol run done settl canc
        anonymous               -    -    -   -   -   -     -    -   -    -     -
        admin                   -    -    -   -   -   -     -    -   -    -     -
        security_admin          -    -    -   -   -   -     -    -   -    -     -
        audit_admin             -    -    -   -   -   -     -    -   -    -     -
        officer_province        Y    Y    Y   Y   Y   Y     Y    Y   Y    Y     Y
        officer_city            Y    Y    Y   Y   Y   Y     Y    Y   Y    Y     Y
        officer_county          Y    Y    Y   Y   Y   Y     Y    Y   Y    Y     Y
        officer_other_city      Y    -    -   -   -   -     -    -   -    -     -
        officer_other_county    Y    -    -   -   -   -     -    -   -    -     -
        staff_own               -    -    -   -   -   -     -    -   -    -     -
        staff_other             -    -    -   -   -   -     -    -   -    -     -
        enterprise_own          -    -    -   -   -   -     -    -   -    -     -
        enterprise_other        -    -    -   -   -   -     -    -   -    -     -
        trainee_self            -    -    -   -   -   -     -    -   -    -     -
        trainee_other           -    -    -   -   -   -     -    -   -    -     -
        judge_assigned          -    -    -   -   -   -     -    -   -    -     -
        judge_other             -    -    -   -   -   -     -    -   -    -     -
        chief_assigned          -    -    -   -   -   -     -    -   -    -     -
        chief_other             -    -    -   -   -   -     -    -   -    -     -
    """),
]

# An Excel import's rows and errors, and exports with full ID numbers: the batch's
# institution and the officers covering it, read-only. Unlike training.batches.view, the
# rule does not hold a draft back from the officers.
ROWS_OF_A_BATCH = """
                              page draft sub ret rej appr enrol run done settl canc
        anonymous               -    -    -   -   -   -     -    -   -    -     -
        admin                   -    -    -   -   -   -     -    -   -    -     -
        security_admin          -    -    -   -   -   -     -    -   -    -     -
        audit_admin             -    -    -   -   -   -     -    -   -    -     -
        officer_province        Y    Y    Y   Y   Y   Y     Y    Y   Y    Y     Y
        officer_city            Y    Y    Y   Y   Y   Y     Y    Y   Y    Y     Y
        officer_county          Y    Y    Y   Y   Y   Y     Y    Y   Y    Y     Y
        officer_other_city      Y    -    -   -   -   -     -    -   -    -     -
        officer_other_county    Y    -    -   -   -   -     -    -   -    -     -
        staff_own               Y    Y    Y   Y   Y   Y     Y    Y   Y    Y     Y
        staff_other             Y    -    -   -   -   -     -    -   -    -     -
        enterprise_own          -    -    -   -   -   -     -    -   -    -     -
        enterprise_other        -    -    -   -   -   -     -    -   -    -     -
        trainee_self            -    -    -   -   -   -     -    -   -    -     -
        trainee_other           -    -    -   -   -   -     -    -   -    -     -
        judge_assigned          -    -    -   -   -   -     -    -   -    -     -
        judge_other             -    -    -   -   -   -     -    -   -    -     -
        chief_assigned          -    -    -   -   -   -     -    -   -    -     -
        chief_other             -    -    -   -   -   -     -    -   -    -     -
"""
TABLES += [Table(action, page(**BATCHES), ROWS_OF_A_BATCH)
           for action in ("training.imports.view", "training.exports.full")]

TABLES += [
    # Follow-up of a completed batch that answers enterprise 1's demand, of one the
    # institution planned itself, and of a settled one answering the demand.
    Table("training.followup.record", page(
        for_demand=batch(BatchStatus.COMPLETED, Demand(enterprise_id=OWN_ENTERPRISE)),
        own_plan=batch(BatchStatus.COMPLETED),
        settled=batch(BatchStatus.SETTLED, Demand(enterprise_id=OWN_ENTERPRISE))), """
                              page  for_demand  own_plan  settled
        anonymous               -       -          -         -
        admin                   -       -          -         -
        security_admin          -       -          -         -
        audit_admin             -       -          -         -
        officer_province        Y       Y          Y         Y
        officer_city            Y       Y          Y         Y
        officer_county          Y       Y          Y         Y
        officer_other_city      Y       -          -         -
        officer_other_county    Y       -          -         -
        staff_own               Y       Y          Y         Y
        staff_other             Y       -          -         -
        enterprise_own          Y       Y          -         Y
        enterprise_other        Y       -          -         -
        trainee_self            -       -          -         -
        trainee_other           -       -          -         -
        judge_assigned          -       -          -         -
        judge_other             -       -          -         -
        chief_assigned          -       -          -         -
        chief_other             -       -          -         -
    """),
    # Trainees apply for themselves; whether the batch is open is the service's check.
    Table("training.apply", page(enrolling=BATCHES["enrol"], draft=BATCHES["draft"],
                                 done=BATCHES["done"]), """
                              page  enrolling  draft  done
        anonymous               -       -        -      -
        admin                   -       -        -      -
        security_admin          -       -        -      -
        audit_admin             -       -        -      -
        officer_province        -       -        -      -
        officer_city            -       -        -      -
        officer_county          -       -        -      -
        officer_other_city      -       -        -      -
        officer_other_county    -       -        -      -
        staff_own               -       -        -      -
        staff_other             -       -        -      -
        enterprise_own          -       -        -      -
        enterprise_other        -       -        -      -
        trainee_self            Y       Y        Y      Y
        trainee_other           Y       Y        Y      Y
        judge_assigned          -       -        -      -
        judge_other             -       -        -      -
        chief_assigned          -       -        -      -
        chief_other             -       -        -      -
    """),
    # Person 7's enrolment, in each of its states.
    Table("training.mine", page(**{
        s.value: Enrolment(id=1, person_id=SELF_PERSON, status=s.value)
        for s in EnrolmentStatus}), """
                              page  applied  waiting  admitted  declined  withdrawn
        anonymous               -      -        -        -         -          -
        admin                   -      -        -        -         -          -
        security_admin          -      -        -        -         -          -
        audit_admin             -      -        -        -         -          -
        officer_province        -      -        -        -         -          -
        officer_city            -      -        -        -         -          -
        officer_county          -      -        -        -         -          -
        officer_other_city      -      -        -        -         -          -
        officer_other_county    -      -        -        -         -          -
        staff_own               -      -        -        -         -          -
        staff_other             -      -        -        -         -          -
        enterprise_own          -      -        -        -         -          -
        enterprise_other        -      -        -        -         -          -
        trainee_self            Y      Y        Y        Y         Y          Y
        trainee_other           Y      -        -        -         -          -
        judge_assigned          -      -        -        -         -          -
        judge_other             -      -        -        -         -          -
        chief_assigned          -      -        -        -         -          -
        chief_other             -      -        -        -         -          -
    """),
    # Hired versus committed: each sees their own figures (the rule reads no object).
    Table("training.outcomes", page(), """
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
        staff_own               Y
        staff_other             Y
        enterprise_own          Y
        enterprise_other        Y
        trainee_self            -
        trainee_other           -
        judge_assigned          -
        judge_other             -
        chief_assigned          -
        chief_other             -
    """),
    # Enterprise 1's demand: open with 5 days left, open with its deadline today, open
    # past its deadline (yesterday), closed.
    Table("training.demands.view", page(
        open=demand(), due_today=demand(days_left=0), past=demand(days_left=-1),
        closed=demand(DemandStatus.CLOSED)), """
                              page  open  due_today  past  closed
        anonymous               -     -       -        -      -
        admin                   Y     Y       Y        Y      Y
        security_admin          -     -       -        -      -
        audit_admin             -     -       -        -      -
        officer_province        Y     Y       Y        Y      Y
        officer_city            Y     Y       Y        Y      Y
        officer_county          Y     Y       Y        Y      Y
        officer_other_city      Y     -       -        -      -
        officer_other_county    Y     -       -        -      -
        staff_own               Y     Y       Y        -      -
        staff_other             Y     Y       Y        -      -
        enterprise_own          Y     Y       Y        Y      Y
        enterprise_other        Y     -       -        -      -
        trainee_self            -     -       -        -      -
        trainee_other           -     -       -        -      -
        judge_assigned          -     -       -        -      -
        judge_other             -     -       -        -      -
        chief_assigned          -     -       -        -      -
        chief_other             -     -       -        -      -
    """),
    Table("training.demands.post", page(
        open=demand(), past=demand(days_left=-1), closed=demand(DemandStatus.CLOSED)), """
                              page  open  past  closed
        anonymous               -     -     -      -
        admin                   -     -     -      -
        security_admin          -     -     -      -
        audit_admin             -     -     -      -
        officer_province        -     -     -      -
        officer_city            -     -     -      -
        officer_county          -     -     -      -
        officer_other_city      -     -     -      -
        officer_other_county    -     -     -      -
        staff_own               -     -     -      -
        staff_other             -     -     -      -
        enterprise_own          Y     Y     Y      Y
        enterprise_other        Y     -     -      -
        trainee_self            -     -     -      -
        trainee_other           -     -     -      -
        judge_assigned          -     -     -      -
        judge_other             -     -     -      -
        chief_assigned          -     -     -      -
        chief_other             -     -     -      -
    """),
]


@pytest.mark.parametrize("table", TABLES, ids=grid.ids)
def test_policy_decides_as_the_table_says(table):
    grid.check(table)


@pytest.mark.parametrize("table", grid.scoped(TABLES), ids=grid.ids)
def test_the_list_filter_keeps_what_the_table_allows(table):
    grid.check_where(table)
