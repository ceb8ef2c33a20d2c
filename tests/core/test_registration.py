"""Self-registration of trainees: new and existing person records, the generic refusal,
one account per person, field messages, the password policy, throttling and the audit."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask_babel import force_locale, gettext
from markupsafe import escape
from sqlalchemy import func, select

from tests.conftest import csrf_token, sign_in
from tests.factories import Factory
from tests.limited_app import limited_app
from trainhub.core.accounts import claims, registration
from trainhub.core.accounts.models import Role, User
from trainhub.core.audit.models import AuditEntry
from trainhub.core.people.models import EmploymentStatus, Person
from trainhub.core.people.services import MESSAGES, PersonInput, create_person
from trainhub.extensions import db

PASSWORD = "Lake-Garden-2024!"


def zh(app: Flask, msgid: str, **params: Any) -> str:
    """The Chinese text of a message, escaped as the page shows it."""
    with app.test_request_context(), force_locale("zh_Hans_CN"):
        return str(escape(gettext(msgid, **params)))


def numbers(make: Factory, born: date = date(1990, 5, 17)) -> tuple[str, str]:
    id_number = make.id_number("360102", born)
    return id_number, f"{id_number}43"


def existing_person(app: Flask, id_number: str, cert: str | None, name: str = "张三") -> int:
    with app.app_context():
        person = create_person(PersonInput(
            name=name, id_number=id_number, cert_number=cert, phone=None,
            household_region_code="360102", employment_status=EmploymentStatus.UNEMPLOYED),
            today=date(2026, 1, 1))
        db.session.commit()
        return person.id


def form(id_number: str, cert: str, **changes: str) -> dict[str, str]:
    data = {"name": "张三", "id_number": id_number, "cert_number": cert,
            "household_region_code": "360102", "username": "zhang.san",
            "password": PASSWORD, "confirm_password": PASSWORD, "consent": "y"}
    data.update(changes)
    return data


def post(client: Any, data: dict[str, str]) -> Any:
    return client.post("/register", data=dict(data, csrf_token=csrf_token(client, "/register")))


def count(app: Flask, model: Any) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model)) or 0


def audit(app: Flask, action: str = registration.ACTION) -> list[AuditEntry]:
    with app.app_context():
        return list(db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


def account_of(app: Flask, username: str) -> User | None:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        if user is not None:
            db.session.expunge(user)
        return user


# --- success ---------------------------------------------------------------------------

def test_a_new_person_registers_is_signed_in_and_lands_home(app, client, make):
    id_number, cert = numbers(make)
    people = count(app, Person)
    response = post(client, form(id_number, cert, username="Zhang.San"))
    assert response.status_code == 302 and response.headers["Location"] == "/"
    user = account_of(app, "zhang.san")  # usernames are kept in lower case
    assert user is not None and user.role == Role.TRAINEE and user.display_name == "张三"
    assert count(app, Person) == people + 1
    with app.app_context():
        person = db.session.get(Person, user.person_id)
        assert person.id_number == id_number and person.cert_number == cert
        assert (person.disability_category, person.disability_grade) == (4, 3)
        assert person.household_region_code == "360102"
    home = client.get("/")
    assert home.status_code == 200 and "张三" in home.get_data(as_text=True)
    entry = audit(app)[-1]
    assert entry.outcome == "success" and entry.actor_username == "zhang.san"
    assert entry.details == {"person": "created", "person_id": user.person_id}


def test_the_audit_log_never_holds_the_numbers(app, client, make):
    id_number, cert = numbers(make)
    existing_person(app, id_number, cert)
    post(client, form(id_number, cert, name="李四"))  # a refusal
    post(client, form(id_number, cert))  # then the right details
    with app.app_context():
        rows = db.session.scalars(select(AuditEntry)).all()
    logged = " ".join(f"{r.object_id} {r.details}" for r in rows)
    assert id_number not in logged and cert not in logged
    assert [e.outcome for e in audit(app)] == ["failure", "success"]


def test_an_existing_person_with_matching_details_gets_the_account(app, client, make):
    id_number, cert = numbers(make)
    person_id = existing_person(app, id_number, cert, name="阿依古丽·买买提")
    people = count(app, Person)
    # Typed with spaces, a different dot and in lower case: still the same person.
    response = post(client, form(id_number.lower(), f" {cert} ", name="阿依古丽 • 买买提",
                                 household_region_code="360111"))
    assert response.status_code == 302
    assert count(app, Person) == people
    user = account_of(app, "zhang.san")
    assert user is not None and user.person_id == person_id
    with app.app_context():  # the record is claimed, not changed
        assert db.session.get(Person, person_id).household_region_code == "360102"
    assert audit(app)[-1].details["person"] == "existing"


# --- refusals --------------------------------------------------------------------------

def test_a_wrong_name_or_certificate_gets_one_generic_answer_and_creates_nothing(
        app, client, make):
    id_number, cert = numbers(make)
    existing_person(app, id_number, cert)
    no_cert_id, no_cert_cert = numbers(make, date(1980, 2, 2))
    existing_person(app, no_cert_id, None)  # a record without a certificate number
    users, people = count(app, User), count(app, Person)
    answers = [
        post(client, form(id_number, cert, name="李四")),
        post(client, form(id_number, f"{id_number}44")),  # a real-looking other grade
        post(client, form(no_cert_id, no_cert_cert)),
    ]
    generic = zh(app, registration.NOT_CONFIRMED)
    for response in answers:
        text = response.get_data(as_text=True)
        assert response.status_code == 400 and generic in text
        assert 'aria-invalid="true"' not in text  # no field is singled out
    assert count(app, User) == users and count(app, Person) == people
    assert [e.details["reason"] for e in audit(app)] == ["mismatch"] * 3


def test_a_person_is_paused_after_repeated_mismatches_with_the_same_answer(app, client, make):
    id_number, cert = numbers(make)
    person_id = existing_person(app, id_number, cert)
    for n in range(claims.ClaimSettings().max_failures):
        assert post(client, form(id_number, cert, name=f"错名{n}")).status_code == 400
    response = post(client, form(id_number, cert))  # now the right details
    assert response.status_code == 400
    assert zh(app, registration.NOT_CONFIRMED) in response.get_data(as_text=True)
    assert account_of(app, "zhang.san") is None
    last = audit(app)[-1]
    assert (last.outcome, last.details["reason"]) == ("denied", "paused")
    assert last.object_id == str(person_id)


def test_a_person_who_has_an_account_is_sent_to_sign_in(app, client, make):
    id_number, cert = numbers(make)
    person_id = existing_person(app, id_number, cert)
    make.user("trainee", person_id=person_id, username="zhang.old")
    response = post(client, form(id_number, cert))
    text = response.get_data(as_text=True)
    assert response.status_code == 409
    assert zh(app, claims.AlreadyHasAccount().message) in text
    assert 'href="/login"' in text and "zhang.old" not in text  # the username stays secret
    assert account_of(app, "zhang.san") is None
    # Someone who does not know the certificate number only gets the generic answer.
    stranger = post(client, form(id_number, cert, name="李四"))
    assert stranger.status_code == 400
    assert zh(app, claims.AlreadyHasAccount().message) not in stranger.get_data(as_text=True)


def test_a_wrong_check_character_is_named_on_its_field(app, client, make):
    id_number, _ = numbers(make)
    broken = id_number[:17] + ("0" if id_number[17] != "0" else "1")
    users, people = count(app, User), count(app, Person)
    response = post(client, form(broken, f"{broken}43"))
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert zh(app, MESSAGES["checksum"]) in text
    assert 'id="id_number-error"' in text
    assert 'aria-describedby="id_number-hint id_number-error"' in text
    assert count(app, User) == users and count(app, Person) == people


def test_a_certificate_of_another_id_number_is_named_on_its_field(app, client, make):
    id_number, _ = numbers(make)
    _other, other_cert = numbers(make, date(1970, 3, 3))
    response = post(client, form(id_number, other_cert))
    assert response.status_code == 400
    assert zh(app, MESSAGES["cert_id_mismatch"]) in response.get_data(as_text=True)
    assert 'id="cert_number-error"' in response.get_data(as_text=True)


@pytest.mark.parametrize("weak", ["12345678", "Password", "password2024!", "Zhang.San-2024"])
def test_a_weak_password_is_refused_on_its_field(app, client, make, weak):
    id_number, cert = numbers(make)
    people = count(app, Person)
    response = post(client, form(id_number, cert, password=weak, confirm_password=weak))
    text = response.get_data(as_text=True)
    assert response.status_code == 400 and 'id="password-error"' in text
    assert account_of(app, "zhang.san") is None and count(app, Person) == people


def test_a_taken_username_and_differing_passwords_are_field_messages(app, client, make):
    id_number, cert = numbers(make)
    make.user("trainee", username="zhang.san")
    taken = post(client, form(id_number, cert))
    assert taken.status_code == 400
    assert zh(app, claims.USERNAME_TAKEN) in taken.get_data(as_text=True)
    differ = post(client, form(id_number, cert, username="zhang.new",
                               confirm_password=PASSWORD + "x"))
    assert differ.status_code == 400
    assert 'id="confirm_password-error"' in differ.get_data(as_text=True)


def test_a_county_outside_jiangxi_is_refused(app, client, make):
    id_number, cert = numbers(make)
    response = post(client, form(id_number, cert, household_region_code="3601"))  # a city
    assert response.status_code == 400
    assert 'id="household_region_code-error"' in response.get_data(as_text=True)


def test_the_form_is_labelled_and_autocompletes_as_a_new_account(app, client):
    response = client.get("/register")
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    for name in ("name", "id_number", "cert_number", "household_region_code", "username",
                 "password", "confirm_password"):
        assert f'<label class="form-label" for="{name}"' in text, name
    assert 'autocomplete="username"' in text and text.count('autocomplete="new-password"') == 2
    assert 'aria-describedby="password-hint"' in text
    assert '<optgroup label="南昌市">' in text and 'value="360102"' in text


def test_a_signed_in_visitor_is_sent_home(app, client, make):
    sign_in(client, make.user("trainee"))
    assert client.get("/register").headers["Location"] == "/"


def test_the_sign_in_page_links_to_registration_and_activation(app, client):
    text = client.get("/login").get_data(as_text=True)
    assert 'href="/register"' in text and 'href="/activate"' in text
    assert zh(app, "Register") in text and zh(app, "Activate an account") in text


def test_same_name_folds_what_people_type():
    assert claims.same_name(" 欧阳 娜娜 ", "欧阳娜娜")
    assert claims.same_name("Ayigul．Maimaiti", "ayigul·maimaiti")
    assert not claims.same_name("欧阳娜", "欧阳娜娜")
    assert not claims.same_name("  ", "")


# --- throttling per address ------------------------------------------------------------

@pytest.fixture
def throttled(tmp_path: Path) -> Iterator[Flask]:
    with limited_app(tmp_path, WTF_CSRF_ENABLED=False, REGISTRATION_RATE_LIMIT="4 per minute",
                     IDENTITY_CLAIM_FAILURE_LIMIT="2 per hour") as app:
        yield app


def test_every_attempt_from_an_address_is_throttled(throttled):
    client = throttled.test_client()
    bad = {"id_number": "360102199005170010", "cert_number": "x", "name": "张三"}
    codes = [client.post("/register", data=bad).status_code for _ in range(5)]
    assert codes == [400, 400, 400, 400, 429]
    assert client.get("/register").status_code == 200  # reading the page is not throttled


def test_failed_identity_checks_are_counted_separately(throttled):
    make = Factory(throttled)
    id_number, cert = numbers(make)
    existing_person(throttled, id_number, cert)
    client = throttled.test_client()
    typo = form(id_number[:17] + "Y", cert)  # a field problem: not an identity check
    assert client.post("/register", data=typo).status_code == 400
    wrong = form(id_number, cert, name="李四")
    assert [client.post("/register", data=wrong).status_code for _ in range(2)] == [400, 400]
    # The address has used up its failed checks: even the right details wait now, on the
    # activation page too (the limit is shared).
    assert client.post("/register", data=form(id_number, cert)).status_code == 429
    assert client.post("/activate", data={"code": "x"}).status_code == 429
