"""三员分立: the system, security and audit administrators each see only their own pages; the
system administrator cannot give the security or audit role; role changes are audited;
the security administrator's parameters apply to every sign-in."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from tests.conftest import post_form, sign_in
from trainhub.core.accounts import roles, security_settings
from trainhub.core.accounts import services as accounts
from trainhub.core.accounts.models import ApiToken, Role, User
from trainhub.core.audit.models import AuditEntry
from trainhub.core.errors import DomainError, PermissionDenied
from trainhub.core.navigation import menu
from trainhub.extensions import db

NEW_ACCOUNT = {"username": "", "display_name": "x", "role": "", "region_code": "",
               "institution_id": "", "enterprise_id": "", "person_number": "",
               "expires_on": ""}


def _menu(app, username: str) -> list[str]:
    with app.test_request_context():
        return [link.endpoint for link in menu(_user(username))]


def _user(username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def test_each_administrator_sees_only_its_own_pages(app, make):
    admin, security, auditor = (make.user(r) for r in ("admin", "security_admin",
                                                          "audit_admin"))
    own = {admin: {"admin.users"}, security: {"admin.roles", "admin.security_settings"},
           auditor: {"audit.search"}}
    duties = set().union(*own.values())
    for username, pages in own.items():
        assert set(_menu(app, username)) & duties == pages, username
    assert "audit.search" not in _menu(app, admin)
    assert {"parameters.index", "accounts.tokens"} <= set(_menu(app, admin))
    assert set(_menu(app, auditor)) == {"home.index", "audit.search",
                                        "accounts.change_password"}
    assert set(_menu(app, security)) == {"home.index", "admin.roles",
                                         "admin.security_settings", "accounts.change_password"}


def test_pages_of_another_duty_are_refused(app, make):
    paths = {"admin": ["/audit/", "/admin/roles", "/admin/security"],
             "security_admin": ["/audit/", "/admin/users", "/admin/users/new"],
             "audit_admin": ["/admin/users", "/admin/roles", "/admin/security",
                             "/parameters/"]}
    for role, refused in paths.items():
        client = app.test_client()
        sign_in(client, make.user(role))
        assert client.get("/").status_code == 200, role
        for path in refused:
            assert client.get(path).status_code == 403, (role, path)


def test_the_system_administrator_cannot_give_the_security_or_audit_role(app, client, make):
    sign_in(client, make.user("admin"))
    page = client.get("/admin/users/new").get_data(as_text=True)
    assert 'value="judge"' in page and 'value="admin"' in page
    assert 'value="security_admin"' not in page and 'value="audit_admin"' not in page
    for role in ("security_admin", "audit_admin"):
        response = post_form(client, "/admin/users/new",
                             dict(NEW_ACCOUNT, username=f"new.{role}", role=role))
        assert response.status_code == 400
    with app.app_context():
        assert db.session.scalars(select(User).where(User.username.like("new.%"))).all() == []


def test_the_system_administrator_cannot_change_roles_even_its_own(app, make):
    admin = make.user("admin")
    with app.app_context():
        user = _user(admin)
        try:
            roles.change_role(user, Role.SECURITY_ADMIN, by=user)
        except PermissionDenied:
            pass
        else:
            raise AssertionError("the system administrator changed a role")
        assert roles.assignable_roles(user) == []


def test_the_security_administrator_changes_a_role_audited_and_tokens_end(app, client, make):
    security, judge = make.user("security_admin"), make.user("judge")
    with app.app_context():
        accounts.issue_token(_user(judge), "scoring system")
        db.session.commit()
    sign_in(client, security)
    with app.app_context():
        judge_id = _user(judge).id
    response = post_form(client, f"/admin/users/{judge_id}/role", {"role": "audit_admin"})
    assert response.status_code == 303
    with app.app_context():
        assert _user(judge).role == "audit_admin"
        token = db.session.scalar(select(ApiToken).where(ApiToken.user_id == judge_id))
        assert token.revoked_at is not None and token.revoked_reason == "role_change"
        entry = db.session.scalar(select(AuditEntry).where(
            AuditEntry.action == "account.role_change"))
        assert entry.object_id == str(judge_id)
        assert entry.details["previous_role"] == "judge" and entry.details["role"] == "audit_admin"
        assert entry.actor_username == security


def test_the_security_administrator_cannot_change_its_own_role_or_a_scoped_one(app, make):
    security = make.user("security_admin")
    officer = make.user("federation_officer", region_code="3601")
    with app.app_context():
        me = _user(security)
        for target, role in ((me, Role.ADMIN), (_user(officer), Role.JUDGE)):
            try:
                roles.change_role(target, role, by=me)
            except DomainError:
                continue
            raise AssertionError(f"{target.username} became {role}")
        assert _user(officer).role == "federation_officer" and me.role == "security_admin"


def test_security_settings_apply_and_are_audited(app, client, make):
    security = make.user("security_admin")
    sign_in(client, security)
    form = {"max_failures": "3", "lock_minutes": "60", "idle_minutes": "15",
            "absolute_hours": "8", "password_max_age_days": "90"}
    assert post_form(client, "/admin/security", form).status_code == 303
    with app.app_context():
        settings = accounts.settings_from(app.config)
        assert settings.max_failures == 3 and settings.lock_duration == timedelta(hours=1)
        assert settings.idle_timeout == timedelta(minutes=15)
        assert settings.absolute_timeout == timedelta(hours=8)
        entry = db.session.scalar(select(AuditEntry).where(
            AuditEntry.action == "security.settings_change"))
        assert entry.details["max_failures"] == "5 → 3"
        assert "password_max_age_days" not in entry.details  # unchanged


def test_security_settings_out_of_range_are_refused(app, client, make):
    sign_in(client, make.user("security_admin"))
    form = {"max_failures": "50", "lock_minutes": "30", "idle_minutes": "600",
            "absolute_hours": "12", "password_max_age_days": "90"}
    response = post_form(client, "/admin/security", form)
    assert response.status_code == 400
    with app.app_context():
        assert security_settings.saved() == {}


def test_the_audit_administrator_reads_the_whole_log(app, client, make):
    sign_in(client, make.user("audit_admin"))
    assert client.get("/audit/").status_code == 200


def test_the_system_administrator_cannot_take_over_the_other_administrators(app, client, make):
    """A password reset by the system administrator would hand it their duties."""
    sign_in(client, make.user("admin"))
    security, auditor = make.user("security_admin"), make.user("audit_admin")
    page = client.get("/admin/users").get_data(as_text=True)
    assert page.count("由安全管理员管理") == 2
    with app.app_context():
        ids = [_user(security).id, _user(auditor).id]
    for user_id in ids:
        for action in ("reset-password", "unlock"):
            assert post_form(client, f"/admin/users/{user_id}/{action}", {}).status_code == 403
        response = post_form(client, f"/admin/users/{user_id}/active", {"active": "0"})
        assert response.status_code == 403
