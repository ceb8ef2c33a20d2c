"""The second factor (issue 15 item 1): who must pass it, that nothing opens before it,
enrolment, recovery codes, remembered devices, throttling, reset, and its audit rows.
Codes come from pyotp at a fixed time or from the factories' key (TOTP_SECRET)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from sqlalchemy import select, text

from tests.conftest import (
    csrf_token,
    enrol,
    login,
    next_code,
    password_step,
    post_form,
    sign_in,
)
from tests.factories import TOTP_SECRET
from trainhub.core.accounts import remember, totp
from trainhub.core.accounts.factor_models import RecoveryCode, SecondFactor
from trainhub.core.accounts.models import User, UserSession
from trainhub.core.audit.models import AuditEntry
from trainhub.extensions import db

FIXED = datetime(2026, 5, 8, 9, 0, 0, tzinfo=UTC)


def _actions(app, prefix: str = "auth.second_factor") -> list[tuple[str, str, dict]]:
    with app.app_context():
        rows = db.session.scalars(select(AuditEntry).where(
            AuditEntry.action.like(prefix + "%")).order_by(AuditEntry.id))
        return [(r.action, r.outcome, r.details or {}) for r in rows]


def _code_post(client, code: str, **extra) -> object:
    return client.post("/login/code", data={"code": code, **extra,
                                            "csrf_token": csrf_token(client, "/login/code")})


@pytest.mark.parametrize("role", ["admin", "federation_officer", "chief_judge"])
def test_required_roles_get_the_second_step_and_no_page_before_it(app, client, make, role):
    username = make.user(role)
    response = password_step(client, username)
    assert response.status_code == 302 and response.headers["Location"] == "/login/code"
    with app.app_context():  # no session yet: the password alone opens nothing
        assert db.session.scalars(select(UserSession)).all() == []
    # `/` is the public front door for anyone not (yet) signed in.
    for path in ("/account/password", "/admin/users", "/people/", "/audit/",
                 "/account/second-factor"):
        answer = client.get(path)
        assert answer.status_code == 302 and "/login" in answer.headers["Location"], path
    answer = _code_post(client, next_code(app, username))
    assert answer.status_code == 302 and answer.headers["Location"] == "/"
    assert client.get("/").status_code == 200


@pytest.mark.parametrize("role", ["institution_staff", "trainee", "judge",
                                  "enterprise_contact"])
def test_other_roles_sign_in_with_the_password_alone(client, make, role):
    response = password_step(client, make.user(role))
    assert response.headers["Location"] == "/"


def test_an_optional_role_that_enrolled_is_asked_too(client, make):
    username = make.user("institution_staff", second_factor=True)
    assert password_step(client, username).headers["Location"] == "/login/code"


def test_a_required_role_without_a_factor_enrols_before_anything_else(app, client, make):
    username = make.user("federation_officer", second_factor=False)
    assert password_step(client, username).headers["Location"] == "/login/enrol"
    assert client.get("/account/password").headers["Location"].startswith("/login")
    page = client.get("/login/enrol").get_data(as_text=True)
    assert "<svg" in page and 'autocomplete="one-time-code"' in page
    assert 'inputmode="numeric"' in page
    response = enrol(client, username)
    assert response.status_code == 200
    codes = re.findall(r"<code lang=\"en\">([A-Z0-9]{5}-[A-Z0-9]{5})</code>",
                       response.get_data(as_text=True))
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get("/").status_code == 200  # signed in by the confirmation
    with app.app_context():
        hashes = db.session.scalars(select(RecoveryCode.code_hash)).all()
        assert len(hashes) == 10 and all(h.startswith("$argon2id$") for h in hashes)
        assert not any(c.replace("-", "") in h for c in codes for h in hashes)
    assert ("auth.second_factor_enrol", "success", {}) in _actions(app)


def test_the_secret_is_encrypted_at_rest(app, make):
    make.user("admin")
    with app.app_context():
        stored = db.session.execute(text("SELECT secret FROM second_factors")).scalar_one()
    assert TOTP_SECRET not in stored and stored.startswith("k1:")


def test_a_wrong_code_is_refused_on_its_field_and_audited(app, client, make):
    username = make.user("chief_judge")
    password_step(client, username)
    response = _code_post(client, "000000")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'aria-invalid="true"' in page and 'aria-describedby="code-hint code-error"' in page
    assert ("auth.second_factor", "failure", {"method": "totp", "failed_codes": 1}) in \
        _actions(app)


def test_five_wrong_codes_lock_the_step_and_end_the_attempt(app, client, make):
    username = make.user("federation_officer")
    password_step(client, username)
    for _ in range(4):
        assert _code_post(client, "000000").status_code == 400
    response = _code_post(client, "000000")
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert "auth.second_factor_lockout" in [a for a, _, _ in _actions(app)]
    # even the right code, after the password again, waits for the lock to pass
    password_step(client, username)
    response = _code_post(client, next_code(app, username))
    assert response.headers["Location"] == "/login"
    assert client.get("/account/password").status_code == 302


def test_codes_allow_one_step_of_drift_and_work_once(ctx, make):
    factor = SecondFactor(secret=pyotp.random_base32(), last_step=0, failed_codes=0)
    otp = pyotp.TOTP(factor.secret)
    assert totp._matches(factor, otp.at(FIXED - timedelta(seconds=30)), FIXED)
    assert not totp._matches(factor, otp.at(FIXED - timedelta(seconds=30)), FIXED)  # replay
    assert totp._matches(factor, otp.at(FIXED + timedelta(seconds=30)), FIXED)
    assert not totp._matches(factor, otp.at(FIXED), FIXED)  # older than one already used
    late = FIXED + timedelta(minutes=5)
    assert not totp._matches(factor, otp.at(late - timedelta(seconds=90)), late)
    assert not totp._matches(factor, "12345", late) and not totp._matches(factor, "abcdef", late)


def test_a_recovery_code_works_once(app, client, make):
    username = make.user("federation_officer", second_factor=False)
    password_step(client, username)
    codes = re.findall(r"[A-Z0-9]{5}-[A-Z0-9]{5}", enrol(client, username).get_data(as_text=True))
    other = app.test_client()
    password_step(other, username)
    data = {"recovery_code": codes[3].lower().replace("-", " "),
            "csrf_token": csrf_token(other, "/login/code")}
    assert other.post("/login/code", data=data).headers["Location"] == "/"
    third = app.test_client()
    password_step(third, username)
    data["csrf_token"] = csrf_token(third, "/login/code")
    assert third.post("/login/code", data=data).status_code == 400
    methods = [(o, d.get("method")) for a, o, d in _actions(app) if a == "auth.second_factor"]
    assert methods == [("success", "recovery_code"), ("failure", "recovery_code")]


def test_a_remembered_device_skips_the_code_for_twelve_hours_at_most(app, client, make):
    username = make.user("admin")
    password_step(client, username)
    response = _code_post(client, next_code(app, username), remember="y")
    cookie = response.headers.getlist("Set-Cookie")
    device = next(c for c in cookie if c.startswith("trainhub_device="))
    assert "Max-Age=43200" in device and "HttpOnly" in device and "Path=/login" in device
    post_form(client, "/logout", {})
    assert password_step(client, username).headers["Location"] == "/"
    assert ("auth.second_factor", "success", {"method": "remembered_device"}) in _actions(app)
    other = make.user("admin")  # the cookie is bound to its account
    assert password_step(app.test_client(), other).headers["Location"] == "/login/code"
    value = client.get_cookie("trainhub_device", path="/login").value
    stranger = app.test_client()
    stranger.set_cookie("trainhub_device", value, path="/login")
    assert password_step(stranger, other).headers["Location"] == "/login/code"


def test_a_remembered_device_expires_and_a_forged_one_is_refused(app, client, make,
                                                                 monkeypatch):
    username = make.user("admin")
    password_step(client, username)
    _code_post(client, next_code(app, username), remember="y")
    post_form(client, "/logout", {})
    value = client.get_cookie("trainhub_device", path="/login").value
    client.set_cookie("trainhub_device", value[:-2] + "xx", path="/login")
    assert password_step(client, username).headers["Location"] == "/login/code"
    client.set_cookie("trainhub_device", value, path="/login")
    monkeypatch.setitem(app.config, "SECOND_FACTOR_REMEMBER", timedelta(seconds=-1))
    assert password_step(app.test_client(), username).headers["Location"] == "/login/code"
    fresh = app.test_client()
    fresh.set_cookie("trainhub_device", value, path="/login")
    assert password_step(fresh, username).headers["Location"] == "/login/code"
    monkeypatch.setitem(app.config, "SECOND_FACTOR_REMEMBER", timedelta(days=30))
    with app.test_request_context():
        assert remember.lifetime() == timedelta(hours=12)


def test_a_stale_pending_mark_opens_nothing(app, client, make):
    username = make.user("federation_officer")
    password_step(client, username)
    with client.session_transaction() as session:
        mark = dict(session["pending_sign_in"])
        session["pending_sign_in"] = dict(mark, at=mark["at"] - 601)
    assert client.get("/login/code").headers["Location"] == "/login"
    assert client.get("/account/password").status_code == 302


def test_the_api_bearer_token_needs_no_second_step(app, make):
    from trainhub.core.accounts import services

    username = make.user("federation_officer")
    with app.app_context():
        user = db.session.scalars(select(User).where(User.username == username)).one()
        _token, secret = services.issue_token(user, "integration")
        db.session.commit()
    response = app.test_client().get("/api/v1/me",
                                     headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 200


def test_an_administrator_resets_with_a_reason_and_it_is_audited(app, client, make):
    target = make.user("federation_officer")
    sign_in(client, make.user("admin"))
    with app.app_context():
        target_id = db.session.scalars(select(User.id).where(User.username == target)).one()
    path = f"/admin/users/{target_id}/second-factor"
    assert client.get(path).status_code == 200
    assert post_form(client, path, {"reason": ""}).status_code == 400
    assert post_form(client, path, {"reason": "手机遗失，已核对身份证"}).status_code == 302
    reset = [d for a, _, d in _actions(app) if a == "auth.second_factor_reset"]
    assert reset == [{"reason": "手机遗失，已核对身份证"}]
    assert password_step(app.test_client(), target).headers["Location"] == "/login/enrol"


def test_only_an_administrator_resets(app, client, make):
    target = make.user("federation_officer")
    sign_in(client, make.user("federation_officer"))
    with app.app_context():
        target_id = db.session.scalars(select(User.id).where(User.username == target)).one()
    response = post_form(client, f"/admin/users/{target_id}/second-factor", {"reason": "x"})
    assert response.status_code == 403


def test_an_optional_user_turns_the_factor_off_with_a_code(app, client, make):
    username = make.user("institution_staff", second_factor=True)
    assert login(client, username).headers["Location"] == "/"
    assert post_form(client, "/account/second-factor/disable",
                     {"code": "000000"}).status_code == 400
    response = post_form(client, "/account/second-factor/disable",
                         {"code": next_code(app, username)})
    assert response.status_code == 302
    assert password_step(app.test_client(), username).headers["Location"] == "/"


def test_a_signed_in_user_enrols_from_the_account_page(app, client, make):
    username = make.user("trainee")
    sign_in(client, username)
    assert client.get("/account/second-factor").status_code == 200
    response = enrol(client, username, "/account/second-factor")
    assert response.status_code == 200 and "-" in response.get_data(as_text=True)
    assert password_step(app.test_client(), username).headers["Location"] == "/login/code"
