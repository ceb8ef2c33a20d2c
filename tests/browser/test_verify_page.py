"""The public certificate check, as a visitor without an account sees it (axe on each page)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.helpers import path_of, submit, visit

pytestmark = pytest.mark.browser

NAME = "欧阳䶮𬱖培训学校"


@pytest.fixture(scope="module")
def codes(live_app: Any) -> dict[str, str]:
    """A valid and a revoked certificate, committed to the live app's database."""
    from trainhub.core.documents import service
    from trainhub.extensions import db

    facts = [("Name", "张三"), ("Institution", NAME), ("Course", "盲人按摩（初级）")]
    with live_app.app_context():
        valid = service.issue("training_certificate", facts,
                              document_number="赣残培〔2026〕第0001号")
        revoked = service.issue("award", facts, document_number="赣残赛〔2026〕第0002号")
        service.set_status(revoked, "revoked", "获奖资格经复核撤销")
        db.session.commit()
        return {"valid": valid.code, "revoked": revoked.code}


def _status(page: Any) -> str:
    region = page.locator("[role=status]")
    assert region.count() == 1
    return str(region.inner_text())


def test_valid_certificate(page: Any, codes: dict[str, str]) -> None:
    visit(page, f"/verify/{codes['valid']}")
    assert page.get_attribute("html", "lang") == "zh-Hans"
    assert NAME in page.inner_text("main")
    assert "✔" in _status(page)
    assert page.locator("h1").count() == 1 and page.locator("dl dt").count() >= 5


def test_revoked_certificate_says_so_with_its_reason(page: Any, codes: dict[str, str]) -> None:
    visit(page, f"/verify/{codes['revoked']}")
    status = _status(page)
    assert "✖" in status and "获奖资格经复核撤销" in status


def test_typing_a_code_and_an_unknown_code(page: Any, codes: dict[str, str]) -> None:
    visit(page, "/verify")
    page.fill("#code", f"  {codes['valid']}  ")
    submit(page, lambda: page.press("#code", "Enter"))
    assert path_of(page) == f"/verify/{codes['valid']}"
    visit(page, "/verify/" + "Z" * 24, status=404)
    assert page.locator("[role=alert]").count() == 1
    assert page.locator("#code").count() == 1  # the form to try again
    visit(page, "/verify?code=not+a+code", status=400)
    assert page.get_attribute("#code", "aria-invalid") == "true"
