"""The yearly plan report (reports/rules.py). Read grid.py for the actors; Y allowed, - refused.

States: the report of a county (county: 360102), of its city (city: 3601), of the province
(prov: 36), of another city (ocity: 3607); sub is 南昌市's submitted report (3601)."""

from __future__ import annotations

import pytest

from tests.security.policy_matrix import grid
from tests.security.policy_matrix.grid import CITY, COUNTY, OTHER_CITY, PROVINCE, Table, page
from trainhub.reports.models import PlanReport
from trainhub.reports.views import Asked

STATES = page(county=Asked(COUNTY, 2025), city=Asked(CITY, 2025),
              prov=Asked(PROVINCE, 2025), ocity=Asked(OTHER_CITY, 2025),
              sub=PlanReport(id=1, year=2025, region_code=CITY))

TABLES = [
    # Officers read the report of their region and of the regions below it.
    Table("reports.view", STATES, """
                              page county city prov ocity sub
        anonymous               -     -     -    -    -    -
        admin                   -     -     -    -    -    -
        security_admin          -     -     -    -    -    -
        audit_admin             -     -     -    -    -    -
        officer_province        Y     Y     Y    Y    Y    Y
        officer_city            Y     Y     Y    -    -    Y
        officer_county          Y     Y     -    -    -    -
        officer_other_city      Y     -     -    -    Y    -
        officer_other_county    Y     -     -    -    -    -
        staff_own               -     -     -    -    -    -
        staff_other             -     -     -    -    -    -
        enterprise_own          -     -     -    -    -    -
        enterprise_other        -     -     -    -    -    -
        trainee_self            -     -     -    -    -    -
        trainee_other           -     -     -    -    -    -
        judge_assigned          -     -     -    -    -    -
        judge_other             -     -     -    -    -    -
        chief_assigned          -     -     -    -    -    -
        chief_other             -     -     -    -    -    -
    """),
    # A city officer submits their own city's report, nobody else any.
    Table("reports.submit", STATES, """
                              page county city prov ocity sub
        anonymous               -     -     -    -    -    -
        admin                   -     -     -    -    -    -
        security_admin          -     -     -    -    -    -
        audit_admin             -     -     -    -    -    -
        officer_province        -     -     -    -    -    -
        officer_city            Y     -     Y    -    -    Y
        officer_county          -     -     -    -    -    -
        officer_other_city      Y     -     -    -    Y    -
        officer_other_county    -     -     -    -    -    -
        staff_own               -     -     -    -    -    -
        staff_other             -     -     -    -    -    -
        enterprise_own          -     -     -    -    -    -
        enterprise_other        -     -     -    -    -    -
        trainee_self            -     -     -    -    -    -
        trainee_other           -     -     -    -    -    -
        judge_assigned          -     -     -    -    -    -
        judge_other             -     -     -    -    -    -
        chief_assigned          -     -     -    -    -    -
        chief_other             -     -     -    -    -    -
    """),
]


@pytest.mark.parametrize("table", TABLES, ids=grid.ids)
def test_policy_decides_as_the_table_says(table):
    grid.check(table)
