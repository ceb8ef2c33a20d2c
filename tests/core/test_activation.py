"""Activation codes: issued once by the staff of a batch, stored as a hash, replaced by a
newer code, expiring; the activation page opens one account per code and per person, even
when submitted twice at the same moment (PostgreSQL)."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from tests.conftest import csrf_token, sign_in
from tests.core.test_registration import PASSWORD, account_of, audit, zh
from tests.races import all_at_once
from tests.training.builders import build
from trainhub.core.accounts import activation, claims
from trainhub.core.accounts.models import ActivationCode, User
from trainhub.core.timeutil import utcnow
from trainhub.extensions import db
from trainhub.training.models import Enrolment

NO_LONGER_VALID = ("This activation code is no longer valid: it has expired or a newer code "
                   "was issued. Ask your training institution for a new one.")
CODE_RE = re.compile(r"\b([2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4})\b")


def enrolled(app: Flask, make: Any) -> dict[str, Any]:
    """An applicant without an account in an open batch, and a staff member of the batch's
    institution who can sign in."""
    ids = build(app, make, "enrolling")
    with app.app_context():
        enrolment = db.session.get(Enrolment, ids["applicant"])
        made = {**ids, "person": enrolment.person_id, "id_number": enrolment.person.id_number}
        institution_id = enrolment.batch.institution_id
    # Outside that context: the factory commits in its own session.
    return {**made, "staff": make.user("institution_staff", institution_id=institution_id)}


def issue(client: Any, enrolment_id: int) -> Any:
    return client.post(f"/training/enrolments/{enrolment_id}/activation-code",
                       data={"csrf_token": csrf_token(client, "/")})


def staff_code(app: Flask, make: Any) -> tuple[dict[str, Any], str]:
    """Sign in the batch's staff member and issue a code through the roster's button."""
    made = enrolled(app, make)
    client = app.test_client()
    sign_in(client, made["staff"])
    response = issue(client, made["applicant"])
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    match = CODE_RE.search(response.get_data(as_text=True))
    assert match, "the page shows no code"
    return made, match.group(1)


def activate(client: Any, code: str, id_number: str, username: str = "zhang.san",
             consent: bool = True) -> Any:
    return client.post("/activate", data={
        "code": code, "id_number": id_number, "username": username, "password": PASSWORD,
        "confirm_password": PASSWORD, "csrf_token": csrf_token(client, "/activate"),
        **({"consent": "y"} if consent else {})})


def codes_of(app: Flask, person_id: int) -> list[ActivationCode]:
    with app.app_context():
        rows = list(db.session.scalars(select(ActivationCode).where(
            ActivationCode.person_id == person_id).order_by(ActivationCode.id)))
        for row in rows:
            db.session.expunge(row)
        return rows


def accounts_of(app: Flask, person_id: int) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).where(User.person_id == person_id)) or 0


# --- issuing ---------------------------------------------------------------------------

def test_staff_issue_a_code_shown_once_and_stored_as_a_hash(app, make):
    made = enrolled(app, make)
    client = app.test_client()
    sign_in(client, made["staff"])
    roster = client.get(f"/training/batches/{made['enrolling']}/roster").get_data(as_text=True)
    assert f"/training/enrolments/{made['applicant']}/activation-code" in roster
    response = issue(client, made["applicant"])
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    code = CODE_RE.search(text).group(1)
    assert " ".join(code[:4]) in text  # spelled out for screen readers
    [row] = codes_of(app, made["person"])
    assert row.code_hash == hashlib.sha256(code.replace("-", "").encode()).hexdigest()
    assert row.used_at is None
    assert timedelta(days=13, hours=23) < row.expires_at - utcnow() <= timedelta(days=14)
    [entry] = audit(app, "account.activation_code_issue")
    assert entry.actor_username == made["staff"] and entry.object_id == str(made["person"])
    assert code.replace("-", "") not in str(entry.details) and code not in str(entry.details)


def test_a_new_code_replaces_the_unused_one(app, make):
    made, first = staff_code(app, make)
    client = app.test_client()
    sign_in(client, made["staff"])
    second = CODE_RE.search(issue(client, made["applicant"]).get_data(as_text=True)).group(1)
    assert first != second
    old, new = codes_of(app, made["person"])
    assert old.expires_at <= utcnow() < new.expires_at
    assert audit(app, "account.activation_code_issue")[-1].details["replaced"] == 1
    refused = activate(app.test_client(), first, made["id_number"])
    assert refused.status_code == 400
    assert zh(app, NO_LONGER_VALID) in refused.get_data(as_text=True)
    assert account_of(app, "zhang.san") is None
    assert activate(app.test_client(), second, made["id_number"]).status_code == 302


def test_staff_of_another_institution_cannot_issue(app, make):
    made = enrolled(app, make)
    outsider = app.test_client()
    sign_in(outsider, make.user("institution_staff"))
    assert issue(outsider, made["applicant"]).status_code == 403
    officer = app.test_client()
    sign_in(officer, make.user("federation_officer", region_code="360102"))
    assert issue(officer, made["applicant"]).status_code == 403
    assert codes_of(app, made["person"]) == []


def test_no_code_for_a_person_who_has_an_account(app, make):
    made = enrolled(app, make)
    make.user("trainee", person_id=made["person"])
    client = app.test_client()
    sign_in(client, made["staff"])
    roster = client.get(f"/training/batches/{made['enrolling']}/roster").get_data(as_text=True)
    assert "/activation-code" not in roster
    response = issue(client, made["applicant"])
    assert response.status_code == 302 and codes_of(app, made["person"]) == []


# --- activating ------------------------------------------------------------------------

def test_the_code_and_id_number_open_the_account_and_sign_in(app, make):
    made, code = staff_code(app, make)
    client = app.test_client()
    typed = code.lower().replace("-", " ")  # as read aloud, in lower case
    response = activate(client, typed, made["id_number"])
    assert response.status_code == 302 and response.headers["Location"] == "/"
    user = account_of(app, "zhang.san")
    assert user is not None and user.role == "trainee" and user.person_id == made["person"]
    [row] = codes_of(app, made["person"])
    assert row.used_at is not None
    assert client.get("/").status_code == 200
    entry = audit(app, activation.ACTION)[-1]
    assert entry.outcome == "success" and entry.details["code_id"] == row.id
    assert made["id_number"] not in str(entry.details)


def test_activating_records_the_persons_own_consent_or_is_refused_without(app, make):
    from trainhub.core.privacy.models import Consent
    from trainhub.core.privacy.notice import CURRENT

    made, code = staff_code(app, make)
    client = app.test_client()
    refused = activate(client, code, made["id_number"], consent=False)
    assert refused.status_code == 400
    assert 'id="consent-error"' in refused.get_data(as_text=True)
    assert accounts_of(app, made["person"]) == 0 and codes_of(app, made["person"])[0].used_at \
        is None
    assert activate(client, code, made["id_number"]).status_code == 302
    user = account_of(app, "zhang.san")
    with app.app_context():
        rows = db.session.execute(select(Consent.method, Consent.notice_version,
                                         Consent.recorded_by_id).where(
            Consent.person_id == made["person"])).all()
    assert [tuple(r) for r in rows] == [("online", CURRENT.version, user.id)]


def test_a_code_with_another_id_number_gets_the_generic_answer(app, make):
    made, code = staff_code(app, make)
    stranger = make.id_number("360111")
    refused = activate(app.test_client(), code, stranger)
    unknown = activate(app.test_client(), "ABCD-EFGH-JKMN", made["id_number"])
    generic = zh(app, activation.CODE_REFUSED)
    for response in (refused, unknown):
        assert response.status_code == 400 and generic in response.get_data(as_text=True)
    assert accounts_of(app, made["person"]) == 0
    assert codes_of(app, made["person"])[0].used_at is None
    reasons = [e.details["reason"] for e in audit(app, activation.ACTION)]
    assert reasons == ["id_mismatch", "unknown_code"]


def test_a_code_stops_working_after_repeated_wrong_id_numbers(app, make):
    made, code = staff_code(app, make)
    for _ in range(claims.ClaimSettings().max_failures):
        assert activate(app.test_client(), code, make.id_number("360111")).status_code == 400
    paused = activate(app.test_client(), code, made["id_number"])
    assert paused.status_code == 400
    assert zh(app, activation.CODE_REFUSED) in paused.get_data(as_text=True)
    assert accounts_of(app, made["person"]) == 0


def test_an_expired_code_is_refused_and_says_so_to_its_person_only(app, make):
    made, code = staff_code(app, make)
    with app.app_context():
        row = db.session.scalar(select(ActivationCode).where(
            ActivationCode.person_id == made["person"]))
        row.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    expired = activate(app.test_client(), code, made["id_number"])
    assert expired.status_code == 400
    assert zh(app, NO_LONGER_VALID) in expired.get_data(as_text=True)
    other = activate(app.test_client(), code, make.id_number("360111"))
    assert zh(app, activation.CODE_REFUSED) in other.get_data(as_text=True)
    assert accounts_of(app, made["person"]) == 0


def test_a_used_code_cannot_open_a_second_account(app, make):
    made, code = staff_code(app, make)
    assert activate(app.test_client(), code, made["id_number"]).status_code == 302
    again = activate(app.test_client(), code, made["id_number"], username="zhang.two")
    assert again.status_code == 400
    assert zh(app, "This activation code has already been used. Sign in with the account it "
                   "opened.") in again.get_data(as_text=True)
    assert accounts_of(app, made["person"]) == 1 and account_of(app, "zhang.two") is None


def test_a_person_who_registered_meanwhile_is_sent_to_sign_in(app, make):
    made, code = staff_code(app, make)
    make.user("trainee", person_id=made["person"])
    response = activate(app.test_client(), code, made["id_number"])
    assert response.status_code == 409
    assert zh(app, claims.AlreadyHasAccount().message) in response.get_data(as_text=True)
    assert accounts_of(app, made["person"]) == 1


def test_field_problems_name_their_field(app, client, make):
    bad_code = activate(client, "ABCD-EFGH-JKM0", make.id_number())  # 0 is not used
    assert bad_code.status_code == 400
    assert 'id="code-error"' in bad_code.get_data(as_text=True)
    id_number = make.id_number()
    broken = id_number[:17] + ("0" if id_number[17] != "0" else "1")
    bad_id = activate(client, "ABCD-EFGH-JKMN", broken)
    assert 'id="id_number-error"' in bad_id.get_data(as_text=True)
    weak = client.post("/activate", data={
        "code": "ABCD-EFGH-JKMN", "id_number": id_number, "username": "zhang.san",
        "password": "password", "confirm_password": "password",
        "csrf_token": csrf_token(client, "/activate")})
    assert 'id="password-error"' in weak.get_data(as_text=True)
    assert audit(app, activation.ACTION) == []  # typing problems are not identity checks


def test_the_page_is_labelled_and_autocompletes_as_a_new_account(app, client):
    response = client.get("/activate")
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    for name in ("code", "id_number", "username", "password", "confirm_password"):
        assert f'<label class="form-label" for="{name}"' in text, name
    assert 'autocomplete="one-time-code"' in text and 'autocomplete="username"' in text
    assert text.count('autocomplete="new-password"') == 2
    assert 'aria-describedby="code-hint"' in text


def test_codes_use_an_alphabet_without_look_alikes():
    assert not set("01ILO") & set(activation.ALPHABET)
    code = activation._new_code()
    assert len(code) == 12 and set(code) <= set(activation.ALPHABET)
    assert activation.grouped("ABCDEFGHJKMN") == "ABCD-EFGH-JKMN"
    assert activation.normalize(" ａｂｃｄ－efgh jkmn ") == "ABCDEFGHJKMN"


# --- two submissions at the same moment (PostgreSQL) -----------------------------------

@pytest.mark.postgres_only
def test_a_double_submit_opens_one_account(race_app):
    from tests.factories import Factory

    made, code = staff_code(race_app, Factory(race_app))
    clients = []
    for n in range(4):
        client = race_app.test_client()
        clients.append((client, csrf_token(client, "/activate"), f"race.{made['person']}.{n}"))

    def submit(index: int) -> int:
        client, token, username = clients[index]
        return client.post("/activate", data={
            "code": code, "id_number": made["id_number"], "username": username,
            "password": PASSWORD, "confirm_password": PASSWORD, "consent": "y",
            "csrf_token": token}).status_code

    results = all_at_once(len(clients), submit)
    # One opens the account; the others are refused: 400 (the code is spent) or, for one
    # that starts after the winner committed, 409 (the person already has an account).
    assert sorted(results)[0] == 302 and set(sorted(results)[1:]) <= {400, 409}, results
    assert accounts_of(race_app, made["person"]) == 1
    assert codes_of(race_app, made["person"])[0].used_at is not None


@pytest.mark.postgres_only
def test_two_registrations_of_one_person_at_once_open_one_account(race_app):
    from tests.core.test_registration import existing_person, form, numbers
    from tests.factories import Factory

    id_number, cert = numbers(Factory(race_app))
    person_id = existing_person(race_app, id_number, cert)
    clients = []
    for n in range(4):
        client = race_app.test_client()
        clients.append((client, csrf_token(client, "/register"), f"reg.{person_id}.{n}"))

    def submit(index: int) -> int:
        client, token, username = clients[index]
        return client.post("/register", data=dict(
            form(id_number, cert, username=username), csrf_token=token)).status_code

    results = all_at_once(len(clients), submit)
    assert sorted(results)[0] == 302 and all(code in (302, 409) for code in results), results
    assert results.count(302) == 1 and accounts_of(race_app, person_id) == 1
