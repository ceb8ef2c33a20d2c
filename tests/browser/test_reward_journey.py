"""An enterprise declares last year's over-quota reward by Excel; the county and the city
pass it on; the city opens the public notice (enterprises and amounts, never persons),
approves after it within the year's budget and records the payment; the reward notice's
QR code leads to the public verification page. Every page is checked by axe."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from typing import Any

import pytest
from openpyxl import Workbook
from sqlalchemy import update

from tests.browser.helpers import path_of, sign_in, submit, visit
from trainhub.cli.demo import DEMO_PASSWORD, make_resident_id
from trainhub.cli.demo_totp import enrol_demo_key
from trainhub.core.accounts.models import Role, User
from trainhub.core.accounts.passwords import hash_password
from trainhub.core.timeutil import local_today
from trainhub.extensions import db
from trainhub.rewards.employee_import import COLUMNS
from trainhub.rewards.models import RewardBudget, RewardDeclaration

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
COUNTY = "360111"  # the demo enterprise's county (青山湖区)


def _as(page: Any, username: str) -> None:
    page.context.clear_cookies()
    sign_in(page, username, DEMO_PASSWORD)


def _workbook() -> bytes:
    book = Workbook()
    book.active.append([c.header for c in COLUMNS])
    for seq, grade in ((311, 2), (313, 3), (315, 4)):
        number = make_resident_id("360111", date(1984, 5, 6), seq)
        row = {"name": "残疾职工", "id_number": number, "cert_number": f"{number}4{grade}",
               "certificate_valid_from": "2019-01-01", "certificate_valid_until": "长期",
               "contract_start": "2020-01-01", "contract_end": "无固定期限",
               "insurance_months": 12, "monthly_wage": "2800"}
        book.active.append([row[c.key] for c in COLUMNS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _county_officer(live_app: Any) -> str:
    with live_app.app_context():
        if db.session.query(User).filter_by(username="qingshanhu.officer").first() is None:
            db.session.add(User(username="qingshanhu.officer", display_name="青山湖区残联",
                                role=Role.FEDERATION_OFFICER.value, region_code=COUNTY,
                                password_hash=hash_password(DEMO_PASSWORD)))
            db.session.flush()
            enrol_demo_key("qingshanhu.officer")
            db.session.commit()
    return "qingshanhu.officer"


def _decide(page: Any, path: str, decision: str) -> None:
    visit(page, path)
    page.check(f"input[name=decision][value={decision}]")
    submit(page, page.locator("form[action$='/review'] button[type=submit]").click)
    assert path_of(page) == path


def test_declare_by_excel_review_notice_approve_pay_and_verify(page: Any,
                                                               live_app: Any) -> None:
    county = _county_officer(live_app)
    _as(page, "enterprise")
    visit(page, "/rewards/")
    submit(page, page.locator("main a[href='/rewards/new']").click)
    page.fill("#year", str(local_today().year - 1))
    page.fill("#staff_count", "100")
    submit(page, page.locator("main form button[type=submit]").click)
    path = path_of(page)
    assert re.fullmatch(r"/rewards/\d+", path), page.url

    page.set_input_files("form[action$='/employees/import'] input[type=file]", files=[{
        "name": "残疾职工名单.xlsx", "buffer": _workbook(),
        "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}])
    submit(page, page.locator("form[action$='/employees/import'] button[type=submit]").click)
    assert page.locator("#employees ~ * tbody tr, [aria-labelledby=employees] tbody tr")\
        .count() >= 3
    page.set_input_files("form[action$='/evidence'] input[type=file]", files=[{
        "name": "社保缴费证明.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    submit(page, page.locator("form[action$='/evidence'] button[type=submit]").click)
    submit(page, page.locator("form[action$='/submit'] button[type=submit]").click)

    _as(page, county)
    _decide(page, path, "pass")
    _as(page, "nanchang.officer")
    _decide(page, path, "pass")
    submit(page, page.locator("form[action$='/notice'] button[type=submit]").click)
    visit(page, "/rewards/notices")
    assert "江西赣鄱电子商务有限公司" in page.inner_text("main")
    assert "残疾职工" not in page.inner_text("main")  # never the persons

    # Seven days of notice pass without objection; the city has its budget for the year.
    declaration_id = int(path.rsplit("/", 1)[1])
    with live_app.app_context():
        db.session.execute(update(RewardDeclaration)
                           .where(RewardDeclaration.id == declaration_id)
                           .values(notice_starts_on=local_today() - timedelta(days=8),
                                   notice_ends_on=local_today() - timedelta(days=1)))
        officer = db.session.query(User).filter_by(username="nanchang.officer").one()
        db.session.add(RewardBudget(region_code="3601", year=local_today().year,
                                    amount_fen=10**8, set_by_id=officer.id))
        db.session.commit()
    visit(page, path)
    submit(page, page.locator("form[action$='/approve'] button[type=submit]").click)
    page.fill("#reference", "GJ-2026-0001")
    submit(page, page.locator("form[action$='/pay'] button[type=submit]").click)
    with live_app.app_context():
        found = db.session.get(RewardDeclaration, declaration_id)
        assert found is not None and found.status == "paid"
        code = found.verification_code
    with page.expect_download() as download:
        page.locator("a[href$='/notice.pdf']").click()
    assert download.value.suggested_filename.endswith(".pdf")

    page.context.clear_cookies()  # the verification page is public
    visit(page, f"/verify/{code}")
    assert "江西赣鄱电子商务有限公司" in page.inner_text("main")
