"""Sign-in, lock-out, session expiry and revocation, forced password change."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from tests.conftest import csrf_token, login, post_form
from tests.factories import PASSWORD
from trainhub.core.accounts.factor_models import LoginThrottle
from trainhub.core.accounts.models import User, UserSession
from trainhub.core.audit.models import AuditEntry
from trainhub.core.timeutil import utcnow
from trainhub.extensions import db


def _audit(app, action: str) -> list[AuditEntry]:
    with app.app_context():
        return list(db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
        ))


def _update_user(app, username: str, **values) -> None:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        for key, value in values.items():
            setattr(user, key, value)
        db.session.commit()


def _update_sessions(app, username: str, **values) -> None:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        for row in db.session.scalars(select(UserSession).where(UserSession.user_id == user.id)):
            for key, value in values.items():
                setattr(row, key, value)
        db.session.commit()


def test_login_opens_a_server_side_session_and_audits_it(app, client, make):
    username = make.user("trainee")
    response = login(client, username)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    with app.app_context():
        sessions = db.session.scalars(select(UserSession)).all()
        assert len(sessions) == 1 and sessions[0].revoked_at is None
    entry = _audit(app, "auth.login")[-1]
    assert entry.outcome == "success" and entry.actor_username == username
    assert entry.client_address == "127.0.0.1" and entry.occurred_at is not None


def test_unknown_user_and_wrong_password_get_the_same_answer(app, client, make):
    username = make.user("trainee")
    wrong_password = login(client, username, "Wrong-Password-1!")
    unknown_user = login(client, "nobody-here", "Wrong-Password-1!")
    assert wrong_password.status_code == unknown_user.status_code == 401
    assert _flash_text(wrong_password) == _flash_text(unknown_user)
    outcomes = [(e.outcome, e.details.get("reason")) for e in _audit(app, "auth.login")]
    assert ("failure", "bad_password") in outcomes and ("failure", "unknown_user") in outcomes


def _flash_text(response) -> str:
    text = response.get_data(as_text=True)
    start = text.index('class="flashes"')
    return text[start:text.index("</div>", start)]


def test_sixth_attempt_is_refused_even_with_the_right_password(app, client, make):
    username = make.user("institution_staff")
    for _ in range(5):
        assert login(client, username, "Wrong-Password-1!").status_code == 401
    assert login(client, username, PASSWORD).status_code == 401
    assert client.get("/account/password").status_code == 302  # not signed in
    lockouts = _audit(app, "auth.lockout")
    assert len(lockouts) == 1 and lockouts[0].actor_username == username
    assert lockouts[0].details["scope"] == "address"
    assert _audit(app, "auth.login")[-1].details["reason"] == "locked"
    with app.app_context():  # locked from this address (the test client's) only
        row = db.session.scalars(select(LoginThrottle)).one()
        assert row.client_address == "127.0.0.1"
        remaining = row.locked_until - utcnow()
    assert timedelta(minutes=29) < remaining <= timedelta(minutes=30)


def test_lock_expires_after_thirty_minutes(app, client, make):
    username = make.user("trainee")
    _update_user(app, username, locked_until=utcnow() - timedelta(seconds=1))
    assert login(client, username).status_code == 302


def test_idle_session_expires_and_is_audited(app, client, make):
    username = make.user("trainee")
    login(client, username)
    assert client.get("/").status_code == 200
    _update_sessions(app, username, last_seen_at=utcnow() - timedelta(minutes=31))
    response = client.get("/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"] and "expired=1" in response.headers["Location"]
    assert _audit(app, "auth.session_expired")[-1].details["reason"] == "idle_timeout"


def test_session_ends_after_twelve_hours_even_when_active(app, client, make):
    username = make.user("trainee")
    login(client, username)
    _update_sessions(app, username, created_at=utcnow() - timedelta(hours=12, minutes=1))
    assert client.get("/").status_code == 302
    assert _audit(app, "auth.session_expired")[-1].details["reason"] == "absolute_timeout"


def test_logout_revokes_the_session_server_side(app, client, make):
    username = make.user("federation_officer")
    login(client, username)
    stolen = client.get_cookie("trainhub_session").value
    response = post_form(client, "/logout", {})
    assert response.status_code == 302
    client.set_cookie("trainhub_session", stolen)  # replay the old cookie
    assert client.get("/account/password").status_code == 302
    assert _audit(app, "auth.logout")[-1].actor_username == username


def test_logout_needs_post_and_csrf(client, make):
    login(client, make.user("trainee"))
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400
    assert client.get("/").status_code == 200  # still signed in


def test_password_change_signs_out_other_sessions(app, make):
    username = make.user("federation_officer")
    first, second = app.test_client(), app.test_client()
    login(first, username)
    login(second, username)
    new = "Another-Strong-Pass-7"
    response = post_form(first, "/account/password", {
        "current_password": PASSWORD, "new_password": new, "confirm_password": new,
    })
    assert response.status_code == 302
    assert first.get("/").status_code == 200
    assert second.get("/account/password").status_code == 302
    assert login(app.test_client(), username, new).status_code == 302


def test_weak_new_password_is_refused_with_reasons(client, make):
    username = make.user("trainee")
    login(client, username)
    response = post_form(client, "/account/password", {
        "current_password": PASSWORD, "new_password": "12345678", "confirm_password": "12345678",
    })
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.get_data(as_text=True)


def test_forced_password_change_blocks_other_pages(app, client, make):
    username = make.user("admin", must_change_password=True)
    login(client, username)
    response = client.get("/admin/users")
    assert response.status_code == 302 and response.headers["Location"] == "/account/password"
    assert client.get("/account/password").status_code == 200


def test_password_older_than_ninety_days_must_be_changed(app, client, make):
    username = make.user("federation_officer",
                         password_changed_at=utcnow() - timedelta(days=91))
    login(client, username)
    assert client.get("/").headers["Location"] == "/account/password"


def test_expired_and_disabled_accounts_cannot_sign_in(client, make):
    expired = make.user("judge", expires_at=utcnow() - timedelta(days=1))
    disabled = make.user("judge", is_active_account=False)
    assert login(client, expired).status_code == 401
    assert login(client, disabled).status_code == 401


def test_login_without_csrf_token_changes_nothing(app, client, make):
    username = make.user("trainee")
    response = client.post("/login", data={"username": username, "password": PASSWORD})
    assert response.status_code == 400
    assert _audit(app, "auth.login") == []
    assert client.get("/account/password").status_code == 302


def test_login_rejects_open_redirects(client, make):
    username = make.user("trainee")
    token = csrf_token(client)
    response = client.post("/login?next=//evil.example/x",
                           data={"username": username, "password": PASSWORD, "csrf_token": token})
    assert response.headers["Location"] == "/"
