"""Self-service password reset (issue 15, item 2): one answer whether or not the account
exists, a link by e-mail (through a local SMTP server) or SMS, single use, 30 minutes,
ended by a newer link, capped per account and hour, the rules of a password change, and
what a reset ends (sessions, API tokens, lock-out) and leaves (the second step)."""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from tests import smtp_server
from tests.conftest import csrf_token, login, post_form, sign_in
from tests.factories import PASSWORD
from tests.limited_app import limited_app
from trainhub.core.accounts import contact, services
from trainhub.core.accounts.models import ApiToken, User
from trainhub.core.accounts.reset import PasswordResetToken
from trainhub.core.audit.models import AuditEntry
from trainhub.core.outbox import senders
from trainhub.core.timeutil import utcnow
from trainhub.extensions import db

NEW = "Gentle-Orchard-Walk-83"
LINK = re.compile(r"(https?://\S+/password/reset/([A-Za-z0-9_-]+))")


@pytest.fixture(scope="module")
def smtp() -> Iterator[smtp_server.Servers]:
    with smtp_server.running() as servers:
        yield servers


@pytest.fixture
def mail(app, smtp, monkeypatch) -> smtp_server.Inbox:
    port, inbox = smtp.plain
    for key, value in {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": port, "SMTP_SECURITY": "none",
                       "SMTP_FROM": "noreply@px.example.cn",
                       "PUBLIC_BASE_URL": "https://px.example.cn"}.items():
        monkeypatch.setitem(app.config, key, value)
    inbox.messages.clear()
    return inbox


@pytest.fixture
def texts(monkeypatch) -> list[tuple[str, str]]:
    sent: list[tuple[str, str]] = []

    class Recorder:
        def send_sms(self, to: str, text: str) -> None:
            sent.append((to, text))

    monkeypatch.setattr(senders, "sms_gateway", lambda config: Recorder())
    return sent


def _account(app, make, role="trainee", email="holder@example.cn", phone="13800001234",
             **options) -> str:
    username = make.user(role, **options)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        contact.set_contact(user, email, phone)
        db.session.commit()
    return username


def _ask(client, username: str, channel: str = "email"):
    response = client.post("/password/forgot", data={
        "username": username, "channel": channel,
        "csrf_token": csrf_token(client, "/password/forgot")})
    response.close()  # the in-process delivery runs once the answer has gone out
    return response


def _link(inbox: smtp_server.Inbox) -> tuple[str, str]:
    found = LINK.search(inbox.messages[-1].get_content())
    assert found, inbox.messages[-1].get_content()
    return found.group(1), found.group(2)


def _reset(client, token: str, password: str = NEW):
    client.get(f"/password/reset/{token}")
    return client.post("/password/reset", data={
        "new_password": password, "confirm_password": password,
        "csrf_token": csrf_token(client, "/password/reset")})


def _audit(app, action: str) -> list[AuditEntry]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)
                                       .order_by(AuditEntry.id)))


def _flashes(client) -> str:
    page = client.get("/login").get_data(as_text=True)
    return page[page.index('class="flashes"'):][:400] if 'class="flashes"' in page else ""


def test_the_sign_in_page_links_to_the_reset(client):
    page = client.get("/login").get_data(as_text=True)
    assert 'href="/password/forgot">忘记密码' in page


def test_the_same_answer_whether_or_not_the_account_exists(app, client, make, mail):
    known = _account(app, make)
    no_email = _account(app, make, email=None)
    answers = []
    for username in (known, "nobody-here", no_email):
        response = _ask(client, username)
        answers.append((response.status_code, response.headers["Location"], _flashes(client)))
    assert answers[0] == answers[1] == answers[2]
    assert answers[0][:2] == (302, "/login") and "如果" in answers[0][2]
    assert len(mail.messages) == 1
    reasons = [(e.outcome, e.details.get("reason")) for e in
               _audit(app, "password_reset.request")]
    assert reasons == [("success", None), ("denied", "unknown_user"), ("denied", "no_contact")]


def test_every_answer_takes_the_same_minimum_time(app, client, make, mail, monkeypatch):
    monkeypatch.setitem(app.config, "PASSWORD_RESET_ANSWER_SECONDS", 0.15)
    known = _account(app, make)
    for username in (known, "nobody-here"):
        started = time.monotonic()
        _ask(client, username)
        assert time.monotonic() - started >= 0.15


def test_an_emailed_link_resets_the_password_and_ends_what_the_old_one_opened(
        app, client, make, mail):
    username = _account(app, make, "institution_staff")
    other = app.test_client()
    sign_in(other, username)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        services.issue_token(user, "integration")
        user.locked_until = utcnow() + timedelta(minutes=30)
        db.session.commit()
    _ask(client, username)
    link, token = _link(mail)
    assert link.startswith("https://px.example.cn/password/reset/")
    with app.app_context():  # only the token's hash is kept
        row = db.session.scalars(select(PasswordResetToken)).one()
        assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
        assert row.expires_at - row.created_at == timedelta(minutes=30)
    assert client.get(f"/password/reset/{token}").headers["Location"] == "/password/reset"
    response = _reset(client, token)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert other.get("/account/password").status_code == 302  # the other session has ended
    with app.app_context():
        assert db.session.scalars(select(ApiToken)).one().revoked_at is not None
        assert db.session.scalar(select(User).where(User.username == username)).locked_until \
            is None
    fresh = app.test_client()
    assert login(fresh, username, PASSWORD).status_code == 401
    assert login(app.test_client(), username, NEW).status_code == 302
    assert [e.outcome for e in _audit(app, "message.sent")] == ["success"]
    assert _audit(app, "password_reset.complete")[-1].details["sessions_ended"] == 1


def test_a_link_works_once(app, client, make, mail):
    username = _account(app, make)
    _ask(client, username)
    _, token = _link(mail)
    assert _reset(client, token).status_code == 302
    again = app.test_client()
    again.get(f"/password/reset/{token}")
    page = again.get("/password/reset")
    assert page.status_code == 400 and "此链接已失效" in page.get_data(as_text=True)
    assert _audit(app, "password_reset.complete")[-1].details["reason"] == "token_used"


def test_an_expired_link_is_refused(app, client, make, mail):
    username = _account(app, make)
    _ask(client, username)
    _, token = _link(mail)
    with app.app_context():
        row = db.session.scalars(select(PasswordResetToken)).one()
        row.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    assert _reset(client, token).status_code == 400
    reasons = [e.details["reason"] for e in _audit(app, "password_reset.complete")]
    assert reasons[0] == "token_expired"  # then the page forgets it: an unknown link


def test_a_newer_link_ends_the_older_and_the_hourly_cap_holds(app, client, make, mail):
    username = _account(app, make)
    _ask(client, username)
    _, first = _link(mail)
    _ask(client, username)
    _, second = _link(mail)
    assert _reset(app.test_client(), first).status_code == 400
    assert _audit(app, "password_reset.complete")[0].details["reason"] == "token_superseded"
    _ask(client, username)  # the third of the hour
    _ask(client, username)  # one more: refused, nothing sent, the same answer
    assert len(mail.messages) == 3
    assert _audit(app, "password_reset.request")[-1].details["reason"] == "too_many_requests"


def test_the_new_password_follows_the_rules_of_a_change(app, client, make, mail):
    username = _account(app, make)
    _ask(client, username)
    _, token = _link(mail)
    for weak in ("P@ssw0rd2024!", PASSWORD):  # zxcvbn, and the current password (history)
        response = _reset(client, token, weak)
        assert response.status_code == 400
        assert 'id="new_password-error"' in response.get_data(as_text=True)
    assert _audit(app, "password_reset.complete")[-1].details["reason"] == "weak_password"
    assert _reset(client, token).status_code == 302  # the link survived the refusals


def test_the_second_factor_is_still_asked_after_a_reset(app, client, make, mail):
    username = _account(app, make, "federation_officer")  # enrolled with the demo key
    _ask(client, username)
    _, token = _link(mail)
    response = _reset(client, token)
    assert response.headers["Location"] == "/login/code"
    assert client.get("/people/").status_code == 302  # no session yet


def test_a_link_by_sms(app, client, make, texts):
    username = _account(app, make, email=None)
    _ask(client, username, "sms")
    (to, text), = texts
    assert to == "13800001234" and "/password/reset/" in text and len(text) < 200


def test_the_contact_page_asks_for_the_password_and_ends_links_sent(app, client, make, mail):
    username = _account(app, make)
    _ask(client, username)
    _, token = _link(mail)
    sign_in(client, username)
    assert client.get("/account/contact").headers["Cache-Control"] == "no-store"
    wrong = post_form(client, "/account/contact", {"email": "new@example.cn",
                                                   "phone": "12345", "current_password": "x"})
    body = wrong.get_data(as_text=True)
    assert wrong.status_code == 400 and 'id="phone-error"' in body
    refused = post_form(client, "/account/contact", {"email": "new@example.cn",
                                                     "current_password": "Wrong-1-Password"})
    assert refused.status_code == 400 and 'id="current_password-error"' in \
        refused.get_data(as_text=True)
    saved = post_form(client, "/account/contact", {"email": "new@example.cn",
                                                   "phone": "+86 138-0000-5678",
                                                   "current_password": PASSWORD})
    assert saved.status_code == 302
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        kept = contact.contact_of(user)
        assert (kept.email, kept.phone) == ("new@example.cn", "13800005678")
    assert _audit(app, "account.contact_change")[-1].details["addresses"] == ["email", "phone"]
    assert _reset(app.test_client(), token).status_code == 400  # sent to the old address
    assert _audit(app, "password_reset.complete")[0].details["reason"] == "token_ended"


@pytest.fixture
def throttled(tmp_path: Path) -> Iterator[Flask]:
    with limited_app(tmp_path, PASSWORD_RESET_RATE_LIMIT="4 per minute",
                     PASSWORD_RESET_ACCOUNT_RATE_LIMIT="2 per hour") as app:
        yield app


def test_requests_are_throttled_per_account_name_and_per_address(throttled):
    client = throttled.test_client()
    statuses = [_ask(client, name).status_code for name in ("alice", "alice", "alice", "bob")]
    assert statuses == [302, 302, 429, 302]  # alice's third; bob is another name
    assert _ask(client, "carol").status_code == 429  # the address's fifth in a minute
