"""A trainee opens an account with the keyboard alone: by registering with their documents,
or with an activation code the institution's staff issued from the roster. Every page
reached, error states included, is checked by axe (WCAG 2.1 A and AA)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from tests.browser.helpers import active, path_of, sign_in, submit, tab_until, visit
from trainhub.cli.demo import DEMO_PASSWORD, make_resident_id
from trainhub.core.accounts.models import User
from trainhub.extensions import db

pytestmark = pytest.mark.browser
NEW_PASSWORD = "Lake-Garden-2024!"


def applicant_without_account(live_app: Any, name: str, born: date) -> dict[str, Any]:
    """A person applying for the demo's open batch of school.staff, without an account."""
    from tests.training import builders
    from trainhub.training import enrolment
    from trainhub.training.models import Batch

    with live_app.app_context():
        staff = db.session.scalar(select(User).where(User.username == "school.staff"))
        batch = db.session.scalars(select(Batch).where(
            Batch.status == "enrolling", Batch.institution_id == staff.institution_id)).first()
        assert batch is not None, "the demo has no open batch of school.staff"
        person = builders.person("360102", born=born, name=name)
        applied = enrolment.apply(batch, person, staff)
        db.session.commit()
        return {"batch": batch.id, "enrolment": applied.id, "id_number": person.id_number}


def type_into(page: Any, field_id: str, text: str) -> None:
    """Tab forward to a field (the order of the form), then type."""
    tab_until(page, lambda el: el["id"] == field_id, limit=6)
    page.keyboard.type(text)


def test_register_by_keyboard_after_a_checksum_error(page: Any) -> None:
    visit(page, "/login")
    tab_until(page, lambda el: el["tag"] == "a" and el["href"] == "/register")
    submit(page, lambda: page.keyboard.press("Enter"))
    assert path_of(page) == "/register"

    id_number = make_resident_id("360121", date(1996, 8, 8), 77)
    wrong = id_number[:17] + ("0" if id_number[17] != "0" else "1")
    page.locator("#name").focus()
    page.keyboard.type("柳青")
    type_into(page, "id_number", wrong)
    type_into(page, "cert_number", f"{wrong}12")
    type_into(page, "household_region_code", "")
    page.keyboard.press("ArrowDown")  # the first county, 南昌市东湖区
    assert page.locator("#household_region_code").input_value() == "360102"
    type_into(page, "username", "liu.qing")
    type_into(page, "password", NEW_PASSWORD)
    type_into(page, "confirm_password", NEW_PASSWORD)
    submit(page, lambda: page.keyboard.press("Enter"), status=400)

    # The summary links to the field; the field names its error for screen readers.
    assert page.locator("#error-summary a[href='#id_number']").count() == 1
    described = page.get_attribute("#id_number", "aria-describedby") or ""
    assert "id_number-error" in described.split()
    assert page.get_attribute("#id_number", "aria-invalid") == "true"
    page.locator("#error-summary a[href='#id_number']").focus()
    page.keyboard.press("Enter")
    assert active(page)["id"] == "id_number"
    page.keyboard.press("Control+A")
    page.keyboard.type(id_number)
    page.locator("#cert_number").focus()
    page.keyboard.press("Control+A")
    page.keyboard.type(f"{id_number}12")
    page.locator("#password").focus()
    page.keyboard.type(NEW_PASSWORD)  # passwords are never sent back to the browser
    page.locator("#confirm_password").focus()
    page.keyboard.type(NEW_PASSWORD)
    page.keyboard.press("Tab")  # past the notice, read aloud, to the consent box
    assert active(page)["id"] == "consent"
    page.keyboard.press("Space")
    page.keyboard.press("Shift+Tab")
    submit(page, lambda: page.keyboard.press("Enter"))
    assert path_of(page) == "/"
    assert page.inner_text(".whoami") == "柳青"


def test_staff_issue_a_code_and_the_trainee_activates_by_keyboard(page: Any,
                                                                  live_app: Any) -> None:
    made = applicant_without_account(live_app, "熊盼", date(1979, 9, 9))
    sign_in(page, "school.staff", DEMO_PASSWORD)
    visit(page, f"/training/batches/{made['batch']}/roster")
    button = page.locator(
        f"form[action='/training/enrolments/{made['enrolment']}/activation-code'] button")
    assert "熊盼" in button.inner_text()  # the row's name is in the button's text
    button.focus()
    submit(page, lambda: page.keyboard.press("Enter"))
    code = page.locator(".activation-code code").inner_text().strip()
    assert len(code) == 14 and code.count("-") == 2
    spoken = page.locator(".activation-code .visually-hidden").inner_text()
    assert spoken.startswith(" ".join(code[:4]))

    page.context.clear_cookies()
    visit(page, "/login")
    tab_until(page, lambda el: el["tag"] == "a" and el["href"] == "/activate")
    submit(page, lambda: page.keyboard.press("Enter"))
    page.locator("#code").focus()
    page.keyboard.type(code)
    type_into(page, "id_number", make_resident_id("360111", date(1979, 9, 9), 5))
    type_into(page, "username", "xiong.pan")
    type_into(page, "password", NEW_PASSWORD)
    type_into(page, "confirm_password", NEW_PASSWORD)
    page.locator("#consent").focus()  # the person's own consent, ticked with the keyboard
    page.keyboard.press("Space")
    page.locator("#confirm_password").focus()
    submit(page, lambda: page.keyboard.press("Enter"), status=400)  # someone else's ID
    assert page.locator("#claim-problem[role=alert]").count() == 1
    assert page.is_checked("#consent")  # kept with what was typed

    page.locator("#id_number").focus()
    page.keyboard.press("Control+A")
    page.keyboard.type(made["id_number"])
    page.locator("#password").focus()
    page.keyboard.type(NEW_PASSWORD)
    page.locator("#confirm_password").focus()
    page.keyboard.type(NEW_PASSWORD)
    submit(page, lambda: page.keyboard.press("Enter"))
    assert path_of(page) == "/"
    assert page.inner_text(".whoami") == "熊盼"
