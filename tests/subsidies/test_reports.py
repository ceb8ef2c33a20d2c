"""The reconciliation report: counts and amounts computed, approved, paid, refused and
awaiting, per institution, region and month of computation, within the reader's region and
year; the same figures in an Excel workbook that holds no personal data."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta

from openpyxl import load_workbook
from sqlalchemy import select, update

from tests.conftest import sign_in
from tests.subsidies.builders import decided
from tests.training import builders
from trainhub.core.people.models import EmploymentStatus, Person
from trainhub.core.timeutil import local_today, utcnow
from trainhub.extensions import db
from trainhub.subsidies import decisions, reconciliation
from trainhub.subsidies.models import Decision

ID_NUMBER = re.compile(r"\d{17}[\dX]")


def _mixed(app, make) -> dict[str, dict[str, int]]:
    """Three batches of 东湖区: one paid (fee ¥1,000 and living ¥400), one claimed whose
    living allowance the federation rejected, one whose trainee was employed at enrolment
    (both refused by the rules, ¥0)."""
    paid = decided(app, make, "paid")
    claimed = decided(app, make, "submitted")
    with app.app_context():
        employed = builders.person(employment=EmploymentStatus.EMPLOYED, name="在职学员").id
        officer = builders.user("federation_officer", region_code="360102")
        decisions.reject(db.session.get(Decision, claimed["living"]), officer, "考勤存疑")
        db.session.commit()
    refused = decided(app, make, "computed", person_id=employed)
    return {"paid": paid, "claimed": claimed, "refused": refused}


def test_the_figures_reconcile_per_institution_region_and_month(app, make):
    _mixed(app, make)
    with app.app_context():
        report = reconciliation.report("3601", local_today().year)
    total = report.total
    assert (total.computed, total.computed_fen) == (6, 280000)
    assert (total.approved, total.approved_fen) == (2, 140000)
    assert (total.paid, total.paid_fen) == (2, 140000)
    assert (total.refused, total.refused_fen) == (3, 40000)  # rejected ¥400, two ¥0
    assert (total.awaiting, total.awaiting_fen) == (1, 100000)
    assert total.computed == total.approved + total.refused + total.awaiting
    assert len(report.institutions) == 3
    assert [(line.name, line.figures.computed) for line in report.regions] == [("东湖区", 6)]
    this_month = f"{local_today().year}-{local_today().month:02d}"
    assert {line.key: line.figures.computed for line in report.months}[this_month] == 6
    assert len(report.months) == 12


def test_the_report_keeps_to_the_year_kind_and_region(app, make):
    ids = _mixed(app, make)
    year = local_today().year
    with app.app_context():
        db.session.execute(update(Decision).where(Decision.id == ids["paid"]["decision"])
                           .values(computed_at=utcnow() - timedelta(days=400)))
        db.session.commit()
        assert reconciliation.report("36", year).total.computed == 5
        assert reconciliation.report("36", year - 1).total.computed == 1
        assert reconciliation.report("36", year, "living").total.computed == 3
        assert reconciliation.report("3607", year).total.computed == 0
        assert [line.name for line in reconciliation.report("36", year).regions] == ["南昌市"]


def test_a_decision_counts_in_its_china_time_month(app, make):
    """Counted by the database: 31 March 17:30 UTC is 1 April 01:30 in China, and 31
    December 16:30 UTC is already the next year there."""
    ids = _mixed(app, make)
    with app.app_context():
        moved = {ids["paid"]["decision"]: datetime(2025, 3, 31, 17, 30, tzinfo=UTC),
                 ids["claimed"]["decision"]: datetime(2025, 3, 31, 15, 59, tzinfo=UTC),
                 ids["refused"]["decision"]: datetime(2024, 12, 31, 16, 30, tzinfo=UTC)}
        for decision_id, moment in moved.items():
            db.session.execute(update(Decision).where(Decision.id == decision_id)
                               .values(computed_at=moment))
        db.session.commit()
        months = {line.key: line.figures.computed
                  for line in reconciliation.report("36", 2025).months}
    assert months["2025-04"] == 1 and months["2025-03"] == 1 and months["2025-01"] == 1
    assert sum(months.values()) == 3


def test_the_page_shows_the_tables_and_links_the_workbook(app, client, make):
    _mixed(app, make)
    sign_in(client, make.user("federation_officer", region_code="3601"))
    year = local_today().year
    html = client.get(f"/subsidies/reports?year={year}").get_data(as_text=True)
    assert "补贴对账报表" in html and "按培训机构" in html and "按月份" in html
    assert "¥2,800.00" in html and "¥1,400.00" in html
    assert f"/subsidies/reports.xlsx?year={year}" in html


def test_the_workbook_opens_and_holds_the_figures_but_no_personal_data(app, client, make):
    _mixed(app, make)
    sign_in(client, make.user("federation_officer", region_code="3601"))
    answer = client.get(f"/subsidies/reports.xlsx?year={local_today().year}")
    assert answer.status_code == 200 and answer.mimetype.endswith("spreadsheetml.sheet")
    book = load_workbook(io.BytesIO(answer.data))
    assert book.sheetnames == ["按培训机构", "按地区", "按月份", "说明"]
    rows = list(book["按地区"].iter_rows(values_only=True))
    assert rows[0][:3] == ("所在地区", "已计算决定数", "计算金额（元）")
    assert rows[-1][0] == "合计" and rows[-1][1:5] == (6, 2800, 2, 1400)
    assert rows[-1][7:9] == (3, 400)
    with app.app_context():
        names = set(db.session.scalars(select(Person.name)))
    cells = [str(v) for sheet in book for row in sheet.iter_rows(values_only=True)
             for v in row if v is not None]
    assert not names & set(cells)
    assert not any(ID_NUMBER.search(cell) for cell in cells)


def test_the_admin_sees_the_province_and_others_are_refused(app, client, make):
    _mixed(app, make)
    sign_in(client, make.user("admin"))
    assert "南昌市" in client.get("/subsidies/reports").get_data(as_text=True)
    staff = app.test_client()
    sign_in(staff, make.user("institution_staff"))
    assert staff.get("/subsidies/reports").status_code == 403
    assert staff.get("/subsidies/reports.xlsx").status_code == 403


def test_the_figures_are_kept_until_a_decision_of_the_region_changes(app, make):
    """The report is computed once for each state of the region's decisions: read again,
    it is not recomputed; a change to any decision of the region (here a bulk UPDATE that
    no service saw) shows at the next reading, and a statement changing no decision of the
    region leaves its figures kept."""
    ids = _mixed(app, make)
    computed: list[str] = []
    original = reconciliation._groups

    def counted(scope_code, year, kind):
        computed.append(scope_code)
        return original(scope_code, year, kind)

    year = local_today().year
    with app.app_context():
        reconciliation._groups = counted
        try:
            assert reconciliation.report("3601", year).total.paid == 2
            assert reconciliation.report("3601", year).total.paid == 2
            assert computed == ["3601"]
            db.session.execute(update(Decision).where(Decision.id == ids["paid"]["decision"])
                               .values(status="approved"))
            assert reconciliation.report("3601", year).total.paid == 1
            assert computed == ["3601", "3601"]
            db.session.execute(update(Decision).where(Decision.region_code != "360102")
                               .values(status="approved"))  # no row: nothing moves
            reconciliation.report("3601", year)
            assert computed == ["3601", "3601"]
        finally:
            reconciliation._groups = original


def test_the_rows_escape_names_and_write_amounts_in_the_readers_locale(app):
    figures = reconciliation.Figures()
    figures.add("paid", True, 123456, 2)
    figures.add("computed", False, -5, 1)
    lines = [reconciliation.Line("1", "<b>培训</b>学校", figures)]
    with app.test_request_context("/"):
        template = app.jinja_env.from_string(
            "<table>{{ lines|figure_rows }}<tr>{{ total|figure_cells }}</tr></table>")
        html = template.render(lines=lines, total=figures)
    assert '<th scope="row">&lt;b&gt;培训&lt;/b&gt;学校</th>' in html
    assert '<td class="text-end">3</td><td class="text-end text-nowrap">¥1,234.51</td>' in html
    assert '<td class="text-end">1</td><td class="text-end text-nowrap">-¥0.05</td>' in html
    assert html.count('<td class="text-end">') == html.count('text-nowrap') == 10
