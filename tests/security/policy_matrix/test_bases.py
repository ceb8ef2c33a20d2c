"""Base certification actions (bases/rules.py): applications, their review chain (county →
city → province), public notice and certification, certified bases. Read grid.py for the
actors; Y allowed, - refused.

Application states: draft, review (in review; the step it has reached is named where the
rule reads it), ret(urned), rej(ected), notice (公示), cert(ified), wdrawn (withdrawn).
Base states: base (valid), susp(ended), revok(ed). Every application is institution 1's,
for the county it sits in (360102), seeking the province level unless its state says which.
"""

from __future__ import annotations

import pytest

from tests.security.policy_matrix import grid
from tests.security.policy_matrix.grid import COUNTY, NOBODY, OWN_INSTITUTION, Table, page, uid
from trainhub.bases.models import (
    ApplicationStatus,
    Base,
    BaseApplication,
    BaseStatus,
    Level,
    Review,
)


def application(status: ApplicationStatus, step: Level | None = None,
                sought: Level = Level.PROVINCE) -> BaseApplication:
    return BaseApplication(id=1, institution_id=OWN_INSTITUTION, region_code=COUNTY,
                           status=status.value, current_level=step and step.value,
                           level_sought=sought.value)


def base(status: BaseStatus = BaseStatus.VALID, level: Level = Level.COUNTY) -> Base:
    return Base(id=1, institution_id=OWN_INSTITUTION, region_code=COUNTY, level=level.value,
                status=status.value)


def review(level: Level, reviewer_id: int = NOBODY) -> Review:
    return Review(id=1, level=level.value, reviewer_id=reviewer_id,
                  application=application(ApplicationStatus.IN_REVIEW, level))


EVERY_STATE = page(
    draft=application(ApplicationStatus.DRAFT),
    review=application(ApplicationStatus.IN_REVIEW, Level.COUNTY),
    ret=application(ApplicationStatus.RETURNED),
    rej=application(ApplicationStatus.REJECTED),
    notice=application(ApplicationStatus.NOTICE),
    cert=application(ApplicationStatus.CERTIFIED),
    wdrawn=application(ApplicationStatus.WITHDRAWN),
    base=base(), susp=base(BaseStatus.SUSPENDED), revok=base(BaseStatus.REVOKED))

TABLES = [
    # An application once submitted (a draft is the institution's own), and a base: its
    # institution, the officers covering it, the admin.
    Table("bases.view", EVERY_STATE, """
                              page draft review ret rej notice cert wdrawn base susp revok
        anonymous               -    -     -     -   -    -     -     -     -    -     -
        admin                   Y    Y     Y     Y   Y    Y     Y     Y     Y    Y     Y
        security_admin          -    -     -     -   -    -     -     -     -    -     -
        audit_admin             -    -     -     -   -    -     -     -     -    -     -
        officer_province        Y    -     Y     Y   Y    Y     Y     Y     Y    Y     Y
        officer_city            Y    -     Y     Y   Y    Y     Y     Y     Y    Y     Y
        officer_county          Y    -     Y     Y   Y    Y     Y     Y     Y    Y     Y
        officer_other_city      Y    -     -     -   -    -     -     -     -    -     -
        officer_other_county    Y    -     -     -   -    -     -     -     -    -     -
        staff_own               Y    Y     Y     Y   Y    Y     Y     Y     Y    Y     Y
        staff_other             Y    -     -     -   -    -     -     -     -    -     -
        enterprise_own          -    -     -     -   -    -     -     -     -    -     -
        enterprise_other        -    -     -     -   -    -     -     -     -    -     -
        trainee_self            -    -     -     -   -    -     -     -     -    -     -
        trainee_other           -    -     -     -   -    -     -     -     -    -     -
        judge_assigned          -    -     -     -   -    -     -     -     -    -     -
        judge_other             -    -     -     -   -    -     -     -     -    -     -
        chief_assigned          -    -     -     -   -    -     -     -     -    -     -
        chief_other             -    -     -     -   -    -     -     -     -    -     -
    """),
    # Prepare, edit, submit, withdraw, renew (on a base): its institution's staff; which
    # states allow which is the services' check.
    Table("bases.apply", EVERY_STATE, """
                              page draft review ret rej notice cert wdrawn base susp revok
        anonymous               -    -     -     -   -    -     -     -     -    -     -
        admin                   -    -     -     -   -    -     -     -     -    -     -
        security_admin          -    -     -     -   -    -     -     -     -    -     -
        audit_admin             -    -     -     -   -    -     -     -     -    -     -
        officer_province        -    -     -     -   -    -     -     -     -    -     -
        officer_city            -    -     -     -   -    -     -     -     -    -     -
        officer_county          -    -     -     -   -    -     -     -     -    -     -
        officer_other_city      -    -     -     -   -    -     -     -     -    -     -
        officer_other_county    -    -     -     -   -    -     -     -     -    -     -
        staff_own               Y    Y     Y     Y   Y    Y     Y     Y     Y    Y     Y
        staff_other             Y    -     -     -   -    -     -     -     -    -     -
        enterprise_own          -    -     -     -   -    -     -     -     -    -     -
        enterprise_other        -    -     -     -   -    -     -     -     -    -     -
        trainee_self            -    -     -     -   -    -     -     -     -    -     -
        trainee_other           -    -     -     -   -    -     -     -     -    -     -
        judge_assigned          -    -     -     -   -    -     -     -     -    -     -
        judge_other             -    -     -     -   -    -     -     -     -    -     -
        chief_assigned          -    -     -     -   -    -     -     -     -    -     -
        chief_other             -    -     -     -   -    -     -     -     -    -     -
    """),
    # Only the officer of the step the application has reached, inside their region.
    Table("bases.review", page(
        draft=application(ApplicationStatus.DRAFT),
        at_county=application(ApplicationStatus.IN_REVIEW, Level.COUNTY),
        at_city=application(ApplicationStatus.IN_REVIEW, Level.CITY),
        at_prov=application(ApplicationStatus.IN_REVIEW, Level.PROVINCE),
        ret=application(ApplicationStatus.RETURNED, Level.CITY),
        notice=application(ApplicationStatus.NOTICE, Level.PROVINCE),
        cert=application(ApplicationStatus.CERTIFIED, Level.PROVINCE)), """
                              page draft at_county at_city at_prov ret notice cert
        anonymous               -    -       -        -       -     -    -     -
        admin                   -    -       -        -       -     -    -     -
        security_admin          -    -       -        -       -     -    -     -
        audit_admin             -    -       -        -       -     -    -     -
        officer_province        Y    -       -        -       Y     -    -     -
        officer_city            Y    -       -        Y       -     -    -     -
        officer_county          Y    -       Y        -       -     -    -     -
        officer_other_city      Y    -       -        -       -     -    -     -
        officer_other_county    Y    -       -        -       -     -    -     -
        staff_own               -    -       -        -       -     -    -     -
        staff_other             -    -       -        -       -     -    -     -
        enterprise_own          -    -       -        -       -     -    -     -
        enterprise_other        -    -       -        -       -     -    -     -
        trainee_self            -    -       -        -       -     -    -     -
        trainee_other           -    -       -        -       -     -    -     -
        judge_assigned          -    -       -        -       -     -    -     -
        judge_other             -    -       -        -       -     -    -     -
        chief_assigned          -    -       -        -       -     -    -     -
        chief_other             -    -       -        -       -     -    -     -
    """),
    # Open the notice, record objections, certify: the officer at the level sought, inside
    # their region. The rule reads no status (the service checks the notice is open): an
    # application still at the county step, seeking the city level, is the city's.
    Table("bases.certify", page(
        for_county=application(ApplicationStatus.NOTICE, sought=Level.COUNTY),
        for_city=application(ApplicationStatus.NOTICE, sought=Level.CITY),
        for_prov=application(ApplicationStatus.NOTICE, sought=Level.PROVINCE),
        city_in_review=application(ApplicationStatus.IN_REVIEW, Level.COUNTY, Level.CITY)),
        """
                              page for_county for_city for_prov city_in_review
        anonymous               -       -         -        -           -
        admin                   -       -         -        -           -
        security_admin          -       -         -        -           -
        audit_admin             -       -         -        -           -
        officer_province        Y       -         -        Y           -
        officer_city            Y       -         Y        -           Y
        officer_county          Y       Y         -        -           -
        officer_other_city      Y       -         -        -           -
        officer_other_county    Y       -         -        -           -
        staff_own               -       -         -        -           -
        staff_other             -       -         -        -           -
        enterprise_own          -       -         -        -           -
        enterprise_other        -       -         -        -           -
        trainee_self            -       -         -        -           -
        trainee_other           -       -         -        -           -
        judge_assigned          -       -         -        -           -
        judge_other             -       -         -        -           -
        chief_assigned          -       -         -        -           -
        chief_other             -       -         -        -           -
    """),
    # Photos added to a review after it was made: a county, city or province review made
    # by someone else, and a county review made by officer_other_county (whose region has
    # changed since): the officer who made it, or one at its level covering the application.
    Table("bases.inspection_photos", page(
        county=review(Level.COUNTY), city=review(Level.CITY), prov=review(Level.PROVINCE),
        by_moved=review(Level.COUNTY, uid("officer_other_county"))), """
                              page  county  city  prov  by_moved
        anonymous               -     -       -     -      -
        admin                   -     -       -     -      -
        security_admin          -     -       -     -      -
        audit_admin             -     -       -     -      -
        officer_province        Y     -       -     Y      -
        officer_city            Y     -       Y     -      -
        officer_county          Y     Y       -     -      Y
        officer_other_city      Y     -       -     -      -
        officer_other_county    Y     -       -     -      Y
        staff_own               -     -       -     -      -
        staff_other             -     -       -     -      -
        enterprise_own          -     -       -     -      -
        enterprise_other        -     -       -     -      -
        trainee_self            -     -       -     -      -
        trainee_other           -     -       -     -      -
        judge_assigned          -     -       -     -      -
        judge_other             -     -       -     -      -
        chief_assigned          -     -       -     -      -
        chief_other             -     -       -     -      -
    """),
    # Yearly review, suspension, revocation: officers at or above the base's level, covering
    # it. A county, city and province base, and a suspended county base.
    Table("bases.manage", page(
        county=base(), city=base(level=Level.CITY), prov=base(level=Level.PROVINCE),
        susp=base(BaseStatus.SUSPENDED)), """
                              page  county  city  prov  susp
        anonymous               -     -       -     -     -
        admin                   -     -       -     -     -
        security_admin          -     -       -     -     -
        audit_admin             -     -       -     -     -
        officer_province        Y     Y       Y     Y     Y
        officer_city            Y     Y       Y     -     Y
        officer_county          Y     Y       -     -     Y
        officer_other_city      Y     -       -     -     -
        officer_other_county    Y     -       -     -     -
        staff_own               -     -       -     -     -
        staff_other             -     -       -     -     -
        enterprise_own          -     -       -     -     -
        enterprise_other        -     -       -     -     -
        trainee_self            -     -       -     -     -
        trainee_other           -     -       -     -     -
        judge_assigned          -     -       -     -     -
        judge_other             -     -       -     -     -
        chief_assigned          -     -       -     -     -
        chief_other             -     -       -     -     -
    """),
    # Resident enterprises of an incubator: its staff and the officers covering it.
    Table("bases.residents", page(base=base(), susp=base(BaseStatus.SUSPENDED)), """
                              page  base  susp
        anonymous               -     -     -
        admin                   -     -     -
        security_admin          -     -     -
        audit_admin             -     -     -
        officer_province        Y     Y     Y
        officer_city            Y     Y     Y
        officer_county          Y     Y     Y
        officer_other_city      Y     -     -
        officer_other_county    Y     -     -
        staff_own               Y     Y     Y
        staff_other             Y     -     -
        enterprise_own          -     -     -
        enterprise_other        -     -     -
        trainee_self            -     -     -
        trainee_other           -     -     -
        judge_assigned          -     -     -
        judge_other             -     -     -
        chief_assigned          -     -     -
        chief_other             -     -     -
    """),
    # The coverage dashboard reads no object.
    Table("bases.coverage", page(), """
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
]


@pytest.mark.parametrize("table", TABLES, ids=grid.ids)
def test_policy_decides_as_the_table_says(table):
    grid.check(table)


@pytest.mark.parametrize("table", grid.scoped(TABLES), ids=grid.ids)
def test_the_list_filter_keeps_what_the_table_allows(table):
    grid.check_where(table)
