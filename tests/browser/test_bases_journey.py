"""An institution applies for a provincial training base; the county, the city and the
province recommend it; after the public notice the province certifies; anyone can then
check the certificate on the public verification page. Every page is checked by axe."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import update

from tests.browser.helpers import path_of, sign_in, submit, visit
from trainhub.bases.models import PublicNotice
from trainhub.cli.demo import DEMO_PASSWORD
from trainhub.core.timeutil import local_today
from trainhub.extensions import db

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _as(page: Any, username: str) -> None:
    page.context.clear_cookies()
    sign_in(page, username, DEMO_PASSWORD)


def _fill_application(page: Any) -> None:
    page.select_option("#level_sought", "province")
    page.check("input[name=specialties][value=massage]")
    for field in page.locator("[name^=answer_]").all():
        if field.evaluate("el => el.tagName") == "SELECT":
            field.select_option("yes")
        else:
            field.fill("3")


def _recommend(page: Any, application_path: str, officer: str) -> None:
    _as(page, officer)
    visit(page, application_path)
    page.select_option("#decision", "recommend")
    page.fill("#comments", "材料齐全，实地核查合格，同意推荐")
    submit(page, page.locator("form[action$='/review'] button[type=submit]").click)
    assert path_of(page) == application_path


def test_apply_review_certify_and_verify(page: Any, live_app: Any) -> None:
    _as(page, "school.staff")
    visit(page, "/bases/applications")
    submit(page, page.locator("a[href='/bases/applications/new?kind=training']").click)
    _fill_application(page)
    submit(page, page.locator("form button[type=submit].btn-primary").click)
    application_path = path_of(page)
    assert re.fullmatch(r"/bases/applications/\d+", application_path), page.url

    page.set_input_files("#file", files=[{"name": "营业执照.pdf", "mimeType": "application/pdf",
                                          "buffer": PDF}])
    submit(page, page.locator("form[action$='/evidence'] button[type=submit]").click)
    assert page.locator("a[href^='/bases/evidence/']").inner_text() == "营业执照.pdf"
    submit(page, page.locator("form[action$='/submit'] button[type=submit]").click)

    for officer in ("donghu.officer", "nanchang.officer", "sheng.officer"):
        _recommend(page, application_path, officer)

    # Seven days of public notice pass without objection.
    application_id = int(application_path.rsplit("/", 1)[1])
    with live_app.app_context():
        db.session.execute(update(PublicNotice)
                           .where(PublicNotice.application_id == application_id)
                           .values(starts_on=local_today() - timedelta(days=8),
                                   ends_on=local_today() - timedelta(days=1)))
        db.session.commit()

    visit(page, "/bases/notices")
    visit(page, application_path)
    submit(page, page.locator("form[action$='/certify'] button[type=submit]").click)
    assert re.fullmatch(r"/bases/\d+", path_of(page)), page.url
    number = page.locator(".facts dd").first.inner_text()
    assert re.fullmatch(r"赣残培基〔\d{4}〕第\d{4}号", number), number
    verify_url = page.locator("a[href*='/verify/']").get_attribute("href")

    page.context.clear_cookies()  # the verification page is public
    visit(page, verify_url)
    text = page.inner_text("main")
    assert "南昌市盲人按摩职业培训学校" in text and number in text
