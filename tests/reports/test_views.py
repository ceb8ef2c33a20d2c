"""The plan report pages: scope, the figures in the tables, the workbook and the PDF, a
city's submission (once, then frozen) and the province's view of the cities."""

from __future__ import annotations

import io
from datetime import date

import pytest
from flask_babel import force_locale
from openpyxl import load_workbook
from sqlalchemy import func, select

from tests.conftest import post_form, sign_in
from tests.pdf_checks import assert_every_character_drawn, pdf_text
from tests.reports.builders import Records
from tests.reports.conftest import TODAY, YEAR
from trainhub.core.i18n import local_date, translate
from trainhub.core.parameters.defaults import load_defaults
from trainhub.extensions import db
from trainhub.reports import exports, submission
from trainhub.reports.models import PlanReport

PAGE = "/reports/plan"


@pytest.fixture
def trained(app, monkeypatch):
    """`trained(count)` adds `count` admitted trainees of a batch of 东湖区 that ended in
    YEAR, committed; every view counts on TODAY."""
    monkeypatch.setattr("trainhub.reports.views.local_today", lambda: TODAY)
    with app.app_context():
        load_defaults()
        records = Records("360102")
        db.session.commit()
        ids = (records.institution.id, records.base.id, records.staff.id, records.officer.id)

    def add(count: int) -> None:
        with app.app_context():
            again = Records.__new__(Records)
            again.county = "360102"
            (again.institution, again.base, again.staff, again.officer) = (
                db.session.get(type(records.institution), ids[0]),
                db.session.get(type(records.base), ids[1]),
                db.session.get(type(records.staff), ids[2]),
                db.session.get(type(records.officer), ids[3]))
            again.trainees(again.batch(date(YEAR, 5, 1)), count, passed=count)
            db.session.commit()

    return add


@pytest.fixture
def officer(client, make):
    def signed_in(region_code: str) -> str:
        username = make.user("federation_officer", region_code=region_code)
        sign_in(client, username)
        return username

    return signed_in


def _trained_cell(html: str) -> str:
    start = html.index('id="table-training"')
    row = html[start:].split("<tr>", 3)[2]
    return row.split("<td", 2)[1]


def test_a_city_officer_sees_the_figures_and_submits_once(client, officer, trained, app):
    trained(3)
    officer("3601")
    page = client.get(f"{PAGE}?year={YEAR}&region=3601")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'data-value="3">3<' in _trained_cell(html)
    assert 'action="/reports/plan/submit"' in html and 'data-chart-table="table-families"' in html

    done = post_form(client, "/reports/plan/submit", {"year": str(YEAR)})
    assert done.status_code == 302 and "/reports/plan/submissions/" in done.headers["Location"]
    trained(2)  # after submission: the submitted page keeps the figures it was sent with
    frozen = client.get(done.headers["Location"]).get_data(as_text=True)
    assert 'data-value="3">3<' in _trained_cell(frozen)
    assert 'id="submitted-status"' in frozen
    today = client.get(f"{PAGE}?year={YEAR}&region=3601").get_data(as_text=True)
    assert 'data-value="5">5<' in _trained_cell(today)
    assert 'action="/reports/plan/submit"' not in today

    again = post_form(client, "/reports/plan/submit", {"year": str(YEAR)})
    assert again.status_code == 302
    refused = client.get(again.headers["Location"]).get_data(as_text=True)
    with app.test_request_context(), force_locale("zh_Hans_CN"):
        said = translate(submission.TWICE, year=YEAR, date=local_date(TODAY))
    assert said.split("%")[0][:12] in refused or said[:12] in refused
    with app.app_context():
        assert db.session.scalar(select(func.count(PlanReport.id))) == 1


def test_the_province_sees_every_city_submitted_or_not(client, officer, trained, tmp_path):
    trained(4)
    officer("3601")
    post_form(client, "/reports/plan/submit", {"year": str(YEAR)})
    officer("36")
    html = client.get(f"{PAGE}?year={YEAR}").get_data(as_text=True)
    start = html.index('id="city-submissions"')
    cities = html[start:html.index("</table>", start)]
    assert cities.count("<tr data-code=") == 11
    nanchang = cities[cities.index('data-code="3601"'):cities.index('data-code="3602"')]
    assert "/reports/plan/submissions/" in nanchang
    assert cities.count("/reports/plan/submissions/") == 1
    assert 'data-value="4">4<' in nanchang and 'data-value="100.0">100.0%<' in nanchang
    assert 'data-value="4">4<' in _trained_cell(html)  # the province aggregate
    link = nanchang.split('href="', 1)[1].split('"', 1)[0]
    assert client.get(link).status_code == 200
    assert 'action="/reports/plan/submit"' not in html  # a province does not submit
    book = load_workbook(io.BytesIO(client.get(f"/reports/plan.xlsx?year={YEAR}").data))
    listed = list(book.worksheets[0].iter_rows(min_row=2, values_only=True))
    assert len(listed) == 11 and listed[0][:2] == ("3601", "南昌市") and listed[0][3] == 4
    assert sum(1 for row in listed if row[3] == "—") == 10
    report_pdf = client.get(f"/reports/plan.pdf?year={YEAR}").data
    assert "赣州市" in pdf_text(report_pdf, tmp_path)  # the cities' list


def test_scope_of_the_officers(client, officer, trained):
    trained(1)
    officer("3601")
    post_form(client, "/reports/plan/submit", {"year": str(YEAR)})
    with client.application.app_context():
        report_id = db.session.scalar(select(PlanReport.id))
    officer("360102")
    county = client.get(f"{PAGE}?region=360102").get_data(as_text=True)
    bases = county[county.index('id="table-bases"'):]
    assert bases[:bases.index("</table>")].count("<tr>") == 4  # the head and 3 rows
    assert client.get(f"{PAGE}?region=3601").status_code == 403
    assert client.get(f"/reports/plan/submissions/{report_id}").status_code == 403
    assert post_form(client, "/reports/plan/submit", {"year": str(YEAR)}).status_code == 403
    officer("3607")
    assert client.get(f"/reports/plan/submissions/{report_id}").status_code == 403
    assert client.get(f"{PAGE}?region=3601").status_code == 403
    assert client.get(f"{PAGE}?region=999999").status_code == 404


def test_a_year_out_of_range_is_said_and_this_year_shown(client, officer, trained):
    officer("3601")
    for year in ("1999", "20x5", "²", "%EF%BC%92"):
        html = client.get(f"{PAGE}?year={year}").get_data(as_text=True)
        assert 'role="status"' in html and f'<option value="{TODAY.year}" selected' in html
    refused = post_form(client, "/reports/plan/submit", {"year": "²"})
    assert refused.status_code == 302 and "/reports/plan" in refused.headers["Location"]


def test_workbook_and_pdf_carry_the_same_figures(client, officer, trained, tmp_path):
    trained(3)
    officer("3601")
    book = client.get(f"/reports/plan.xlsx?year={YEAR}&region=3601")
    assert book.status_code == 200 and book.mimetype.endswith("sheet")
    sheets = load_workbook(io.BytesIO(book.data))
    assert len(sheets.sheetnames) == 8
    training = sheets.worksheets[1]
    assert training.cell(2, 2).value == 3 and training.cell(2, 3).value == 0
    pdf = client.get(f"/reports/plan.pdf?year={YEAR}&region=3601")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    text = pdf_text(pdf.data, tmp_path)
    assert str(YEAR) in text and "南昌市" in text
    assert_every_character_drawn(pdf.data, "南昌市")


def test_the_page_statements_do_not_grow_with_the_records(client, officer, trained,
                                                           count_queries):
    officer("36")
    trained(2)
    client.get(f"{PAGE}?year={YEAR}")
    with count_queries() as small:
        assert client.get(f"{PAGE}?year={YEAR}").status_code == 200
    for _ in range(5):
        trained(3)
    with count_queries() as larger:
        html = client.get(f"{PAGE}?year={YEAR}").get_data(as_text=True)
    assert 'data-value="17">17<' in _trained_cell(html)
    assert len(small) == len(larger)
    assert len(larger) <= 20  # the session and account, the region, 11 figures, the cities


def test_the_submitted_workbook_and_pdf_keep_the_figures_as_submitted(client, officer, trained,
                                                                       tmp_path):
    trained(3)
    officer("3601")
    frozen = post_form(client, "/reports/plan/submit", {"year": str(YEAR)}).headers["Location"]
    trained(2)
    book = load_workbook(io.BytesIO(client.get(f"{frozen}.xlsx").data))
    assert book.worksheets[1].cell(2, 2).value == 3
    notes = [row[1].value for row in book.worksheets[-1].iter_rows(min_row=2)]
    with client.application.test_request_context(), force_locale("zh_Hans_CN"):
        report = db.session.scalars(select(PlanReport)).one()
        assert exports._status(submission.frozen(report), report) in notes
    pdf = client.get(f"{frozen}.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    now = load_workbook(io.BytesIO(client.get(f"/reports/plan.xlsx?year={YEAR}&region=3601").data))
    assert now.worksheets[1].cell(2, 2).value == 5
