"""Administrators create accounts with temporary passwords, reset, disable and unlock them."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from tests.conftest import enrol, login, post_form
from trainhub.core.accounts.management import generate_temporary_password
from trainhub.core.accounts.models import User
from trainhub.core.accounts.passwords import password_problems
from trainhub.core.audit.models import AuditEntry
from trainhub.core.timeutil import utcnow
from trainhub.extensions import db

TEMP_RE = re.compile(r'<code class="token-secret">([^<]+)</code>')


def _new(client, **fields):
    form = {"username": "", "display_name": "", "role": "", "region_code": "",
            "institution_id": "", "enterprise_id": "", "person_number": "", "expires_on": ""}
    form.update(fields)
    return post_form(client, "/admin/users/new", form)


def test_temporary_passwords_meet_the_policy():
    for _ in range(50):
        assert password_problems(generate_temporary_password()) == []


def test_admin_creates_an_officer_who_must_change_the_password(app, client, make):
    login(client, make.user("admin"))
    response = _new(client, username="Ji.An.Officer", display_name="吉安市残联",
                    role="federation_officer", region_code="3608")
    assert response.status_code == 200
    temporary = TEMP_RE.search(response.get_data(as_text=True)).group(1)
    officer = app.test_client()
    # an officer's role requires a second factor: set up before anything else
    assert login(officer, "ji.an.officer", temporary).headers["Location"] == "/login/enrol"
    enrol(officer, "ji.an.officer")
    assert officer.get("/").headers["Location"] == "/account/password"
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "ji.an.officer"))
        assert user.region_code == "3608" and user.must_change_password
        assert db.session.scalar(select(AuditEntry).where(
            AuditEntry.action == "account.create")).region_code == "3608"


def test_a_role_without_its_scope_is_refused(app, client, make):
    login(client, make.user("admin"))
    response = _new(client, username="noscope", display_name="x", role="federation_officer")
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(User).where(User.username == "noscope")) is None


def test_trainee_account_is_linked_by_resident_id(app, client, make, ctx=None):
    person_id = make.person("360102")
    with app.app_context():
        from trainhub.core.people.models import Person

        number = db.session.get(Person, person_id).id_number
    login(client, make.user("admin"))
    assert _new(client, username="learner", display_name="学员", role="trainee",
                person_number=number).status_code == 200
    assert _new(client, username="learner2", display_name="学员", role="trainee",
                person_number=number).status_code == 400  # one account per person


def test_duplicate_username_is_refused_whatever_the_case(client, make):
    login(client, make.user("admin"))
    make.user("judge", username="judge.wang")
    assert _new(client, username="Judge.Wang", display_name="x", role="judge").status_code == 400


def test_reset_disable_and_unlock(app, client, make):
    target = make.user("judge", locked_until=utcnow() + timedelta(minutes=20))
    target_id = make.get_user(target).id
    login(client, make.user("admin"))
    response = post_form(client, f"/admin/users/{target_id}/reset-password", {})
    temporary = TEMP_RE.search(response.get_data(as_text=True)).group(1)
    assert post_form(client, f"/admin/users/{target_id}/unlock", {}).status_code == 302
    assert login(app.test_client(), target, temporary).status_code == 302
    post_form(client, f"/admin/users/{target_id}/active", {"active": "0"})
    assert login(app.test_client(), target, temporary).status_code == 401
    with app.app_context():
        actions = set(db.session.scalars(select(AuditEntry.action)))
    assert {"account.password_reset", "account.unlock", "account.disable"} <= actions


def test_admin_cannot_disable_themself(app, client, make):
    admin = make.user("admin")
    login(client, admin)
    admin_id = make.get_user(admin).id
    response = post_form(client, f"/admin/users/{admin_id}/active", {"active": "0"})
    assert response.status_code == 400
    assert make.get_user(admin).is_active_account
