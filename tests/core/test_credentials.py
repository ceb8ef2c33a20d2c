"""API tokens expire (90 days by default, a year at most), are listed with their expiry and
last use, and end when the owner's password changes or the account is disabled; the last 5
passwords cannot be chosen again."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.conftest import post_form, sign_in
from tests.factories import PASSWORD
from trainhub.core.accounts import credentials, management
from trainhub.core.accounts import services as accounts
from trainhub.core.accounts.models import ApiToken, User
from trainhub.core.errors import DomainError
from trainhub.core.timeutil import utcnow
from trainhub.extensions import db

PASSWORDS = [f"Lantern-Otter-Porcelain-{n}" for n in range(7)]


def _user(username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def _settings(app):
    return accounts.settings_from(app.config)


def test_a_token_lasts_90_days_unless_asked_and_never_over_a_year(app, ctx, make):
    user = _user(make.user("judge"))
    token, _secret = accounts.issue_token(user, "default")
    assert abs(token.expires_at - utcnow() - timedelta(days=90)) < timedelta(minutes=1)
    token, _secret = accounts.issue_token(user, "year", timedelta(days=365))
    assert token.expires_at - utcnow() > timedelta(days=364)
    for lifetime in (timedelta(days=366), timedelta(0), timedelta(days=-1)):
        with pytest.raises(DomainError):
            accounts.issue_token(user, "too long", lifetime)


def test_the_token_page_asks_the_lifetime_and_lists_expiry_and_last_use(app, client, make):
    username = make.user("judge")
    sign_in(client, username)
    assert post_form(client, "/account/tokens",
                     {"name": "too long", "lifetime_days": "400"}).status_code == 400
    response = post_form(client, "/account/tokens", {"name": "scoring", "lifetime_days": "30"})
    assert response.status_code == 200
    secret = response.get_data(as_text=True).split('class="token-secret">')[1].split("<")[0]
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code \
        == 200
    with app.app_context():
        token = db.session.scalar(select(ApiToken).join(User).where(User.username == username))
        assert timedelta(days=29) < token.expires_at - utcnow() <= timedelta(days=30)
        assert token.last_used_at is not None
    page = client.get("/account/tokens").get_data(as_text=True)
    assert "从不" not in page.split("scoring")[1].split("</tr>")[0]  # last use is shown


def test_a_password_change_revokes_the_owners_tokens(app, ctx, make):
    user = _user(make.user("judge"))
    token, secret = accounts.issue_token(user, "integration")
    other, _ = accounts.issue_token(_user(make.user("judge")), "someone else's")
    accounts.change_password(user, PASSWORD, PASSWORDS[0], _settings(app), None)
    db.session.commit()
    db.session.refresh(token)
    db.session.refresh(other)
    assert token.revoked_at is not None and token.revoked_reason == "password_change"
    assert other.revoked_at is None
    assert accounts.user_for_token(secret) is None


def test_disabling_an_account_revokes_its_tokens(app, ctx, make):
    user = _user(make.user("judge"))
    token, _secret = accounts.issue_token(user, "integration")
    management.set_active(user, False, by=_user(make.user("admin")))
    db.session.commit()
    db.session.refresh(token)
    assert token.revoked_reason == "disabled"


def test_the_last_five_passwords_cannot_be_reused(app, ctx, make):
    user = _user(make.user("judge"))
    settings = _settings(app)
    for password in PASSWORDS[:5]:
        accounts.set_password(user, password, settings)
    db.session.flush()
    for recent in PASSWORDS[:5]:  # the current one and the four before it
        with pytest.raises(accounts.WeakPassword) as refused:
            accounts.set_password(user, recent, settings)
        assert refused.value.problems == [credentials.REUSED]
    accounts.set_password(user, PASSWORDS[5], settings)
    accounts.set_password(user, PASSWORDS[0], settings)  # now the sixth before: allowed


def test_the_history_keeps_hashes_only_and_at_most_four(app, ctx, make):
    user = _user(make.user("judge"))
    for password in PASSWORDS:
        accounts.set_password(user, password, _settings(app))
    rows = db.session.scalars(select(credentials.PasswordHistory).where(
        credentials.PasswordHistory.user_id == user.id)).all()
    assert len(rows) == credentials.REMEMBERED_PASSWORDS - 1
    assert all(row.password_hash.startswith("$argon2id$") for row in rows)
    assert not any(p in row.password_hash for row in rows for p in PASSWORDS)


def test_the_change_password_page_refuses_a_recent_password(app, client, make):
    username = make.user("judge")
    with app.app_context():
        accounts.set_password(_user(username), PASSWORDS[0], _settings(app))
        accounts.set_password(_user(username), PASSWORDS[1], _settings(app))
        db.session.commit()
    sign_in(client, username)
    response = post_form(client, "/account/password", {
        "current_password": PASSWORDS[1], "new_password": PASSWORDS[0],
        "confirm_password": PASSWORDS[0]})
    assert response.status_code == 400
    assert "最近 5 次" in response.get_data(as_text=True)
