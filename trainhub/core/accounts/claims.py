"""What self-registration and activation share: opening a trainee account, the checks a
person fixes in one field, and the failure counter of identity checks.

A failed identity check is kept as an audit row naming its target (a person, an activation
code). Counting those rows is the per-target attempt counter: it needs no extra table, holds
across workers and restarts, and cannot be reset by the guesser. The per-address counter is
Flask-Limiter's (see the views).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import func, select

from trainhub.core.accounts.models import Role, User
from trainhub.core.accounts.passwords import password_problems
from trainhub.core.accounts.services import SecuritySettings, create_user
from trainhub.core.audit.models import AuditEntry, Outcome
from trainhub.core.audit.service import record
from trainhub.core.errors import N_, Checks, DomainError
from trainhub.core.people.models import Person
from trainhub.extensions import db

T = TypeVar("T")

USERNAME_TAKEN = N_("This username is already taken.")


@dataclass(frozen=True)
class ClaimSettings:
    max_failures: int = 5
    failure_window: timedelta = timedelta(hours=24)
    code_lifetime: timedelta = timedelta(days=14)


def claim_settings_from(config: Mapping[str, Any]) -> ClaimSettings:
    get = config.get
    return ClaimSettings(
        max_failures=get("IDENTITY_CLAIM_MAX_FAILURES", 5),
        failure_window=get("IDENTITY_CLAIM_FAILURE_WINDOW", timedelta(hours=24)),
        code_lifetime=get("ACTIVATION_CODE_LIFETIME", timedelta(days=14)),
    )


class FieldProblem(DomainError):
    """Something to correct in one field (a checksum, a weak password). Such answers depend
    only on what was typed, never on which records exist."""

    field: str

    def __init__(self, field: str, messages: list[str]) -> None:
        super().__init__(messages[0])
        self.field = field
        self.messages = messages


def collect(checks: Checks, step: Callable[[], T]) -> T | None:
    """What `step` returns, or None with its FieldProblem added to `checks`: what was typed
    is checked field by field, and every field to correct is answered together."""
    try:
        return step()
    except FieldProblem as problem:
        checks.extend(problem)
        return None


class ClaimRefused(DomainError):
    """An identity check failed. Views count these per address (Flask-Limiter)."""


class AlreadyHasAccount(DomainError):
    """The person proved who they are, and already has an account."""

    status_code = 409

    def __init__(self) -> None:
        super().__init__(N_(
            "An account already exists for this person. Sign in with it. If you have "
            "forgotten the username or the password, ask the Disabled Persons' Federation "
            "of your county to reset the password."))


def failures_against(action: str, object_type: str, object_id: int, now: datetime,
                     settings: ClaimSettings) -> int:
    """Failed identity checks against one target within the window."""
    return db.session.scalar(
        select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == action,
            AuditEntry.outcome == Outcome.FAILURE.value,
            AuditEntry.object_type == object_type,
            AuditEntry.object_id == str(object_id),
            AuditEntry.occurred_at > now - settings.failure_window,
        )
    ) or 0


def same_name(typed: str, recorded: str) -> bool:
    """Names compared as people type them: full-width forms folded, spaces ignored, the
    separator dot of minority names (阿依古丽·买买提) in any of its common shapes."""

    def fold(name: str) -> str:
        name = unicodedata.normalize("NFKC", name)
        for dot in ("•", "・", "．", ".", "‧", "∙"):
            name = name.replace(dot, "·")
        return "".join(name.split()).casefold()

    return bool(typed.strip()) and fold(typed) == fold(recorded)


def check_new_account(username: str, password: str) -> str:
    """The username (normalised) if it is free and the password meets the policy."""
    username = username.strip().lower()
    problems = password_problems(password, username)
    if problems:
        raise FieldProblem("password", problems)
    if db.session.scalar(select(User.id).where(User.username == username)):
        raise FieldProblem("username", [USERNAME_TAKEN])
    return username


def has_account(person: Person) -> bool:
    return db.session.scalar(select(User.id).where(User.person_id == person.id)) is not None


def open_account(person: Person, username: str, password: str,
                 settings: SecuritySettings) -> User:
    """The person's trainee account; the caller has checked the username and password."""
    return create_user(username=username, display_name=person.name, role=Role.TRAINEE,
                       password=password, settings=settings, person_id=person.id)


def explain_clash(person: Person) -> None:
    """After a unique constraint refused a new account: say which (the person got an
    account, or the username was taken) at that same moment."""
    if has_account(person):
        raise AlreadyHasAccount()
    raise FieldProblem("username", [USERNAME_TAKEN])


def refuse(action: str, reason: str, *, outcome: Outcome = Outcome.FAILURE,
           person: Person | None = None, object_type: str = "", object_id: object = "",
           details: dict[str, Any] | None = None) -> None:
    """Audit a refused claim. Never with the typed numbers: only why, and the target."""
    if person is not None:
        object_type, object_id = "person", person.id
    record(action, outcome=outcome, object_type=object_type, object_id=object_id,
           region_code=person.household_region_code if person is not None else None,
           details={"reason": reason, **(details or {})})
