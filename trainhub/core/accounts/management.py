"""What an administrator does to accounts: create, reset a password, disable, unlock."""

from __future__ import annotations

import secrets
import string
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from trainhub.core.accounts import lockout
from trainhub.core.accounts.credentials import revoke_tokens
from trainhub.core.accounts.models import Role, User
from trainhub.core.accounts.passwords import password_problems
from trainhub.core.accounts.roles import roles_given_by
from trainhub.core.accounts.services import (
    SecuritySettings,
    create_user,
    revoke_all_sessions,
    set_password,
    user_region,
)
from trainhub.core.audit.service import record
from trainhub.core.errors import N_, Checks, DomainError
from trainhub.core.organisations import Enterprise, Institution
from trainhub.core.people.models import Person
from trainhub.core.regions import Region
from trainhub.extensions import db

_ALPHABET = string.ascii_letters + string.digits + "-_#"


def generate_temporary_password(length: int = 16) -> str:
    """A random password that meets the policy; the user must replace it at first sign-in."""
    while True:
        candidate = "".join(secrets.choice(_ALPHABET) for _ in range(length))
        if not password_problems(candidate):
            return candidate


@dataclass(frozen=True)
class NewAccount:
    username: str
    display_name: str
    role: Role
    region_code: str | None = None
    institution_id: int | None = None
    enterprise_id: int | None = None
    person_id: int | None = None
    expires_at: datetime | None = None


# The field of the account form that gives each scope.
SCOPE_FIELDS = {"region_code": "region_code", "institution_id": "institution_id",
                "enterprise_id": "enterprise_id", "person_id": "person_number"}


def _check_scope(data: NewAccount, checks: Checks) -> None:
    """Each role names exactly the scope it needs, and that scope exists."""
    needs = {
        Role.FEDERATION_OFFICER: ("region_code", Region,
                                  N_("Choose the region the officer serves.")),
        Role.INSTITUTION_STAFF: ("institution_id", Institution, N_("Choose the institution.")),
        Role.ENTERPRISE_CONTACT: ("enterprise_id", Enterprise, N_("Choose the enterprise.")),
        Role.TRAINEE: ("person_id", Person,
                       N_("No registered person has this resident ID number.")),
    }
    if data.role not in needs:
        return
    field, model, message = needs[data.role]
    key = getattr(data, field)
    if key in (None, "") or db.session.get(model, key) is None:
        checks.add(message, field=SCOPE_FIELDS[field])


def create_account(data: NewAccount, settings: SecuritySettings,
                   by: User | None = None) -> tuple[User, str]:
    """Create an account with a temporary password; returns it once for the administrator.
    Every rule the account breaks is answered together, each on the account form's field.
    `by`, when given, must be allowed to give the role (三员分立: see roles.py)."""
    checks = Checks()
    if by is not None and data.role not in roles_given_by(by):
        checks.add(N_("You cannot give this role: the security administrator assigns it."),
                   field="role")
    if db.session.scalar(select(User.id).where(
            User.username == data.username.strip().lower())):
        checks.add(N_("This username is already taken."), field="username")
    _check_scope(data, checks)
    keep = {
        Role.FEDERATION_OFFICER: "region_code", Role.INSTITUTION_STAFF: "institution_id",
        Role.ENTERPRISE_CONTACT: "enterprise_id", Role.TRAINEE: "person_id",
    }.get(data.role)
    scope = {keep: getattr(data, keep)} if keep else {}
    if data.person_id and data.role == Role.TRAINEE and db.session.scalar(
        select(User.id).where(User.person_id == data.person_id)
    ):
        checks.add(N_("This person already has an account."), field="person_number")
    checks.done()
    password = generate_temporary_password()
    user = create_user(username=data.username, display_name=data.display_name.strip(),
                       role=data.role, password=password, settings=settings,
                       must_change_password=True, **scope)
    user.expires_at = data.expires_at
    return user, password


def reset_password(user: User, settings: SecuritySettings) -> str:
    password = generate_temporary_password()
    set_password(user, password, settings)
    user.must_change_password = True
    ended = revoke_all_sessions(user, "password_reset")
    record("account.password_reset", object_type="user", object_id=user.id,
           region_code=user_region(user), details={"sessions_ended": ended})
    return password


def set_active(user: User, active: bool, by: User) -> None:
    if user.id == by.id and not active:
        raise DomainError("You cannot disable your own account.")
    if user.is_active_account == active:
        return
    user.is_active_account = active
    ended = revoke_all_sessions(user, "disabled") if not active else 0
    if not active:
        revoke_tokens(user, "disabled")
    record("account.enable" if active else "account.disable", object_type="user",
           object_id=user.id, region_code=user_region(user), details={"sessions_ended": ended})


def unlock(user: User) -> None:
    lockout.unlock_everywhere(user)
    record("account.unlock", object_type="user", object_id=user.id,
           region_code=user_region(user))
