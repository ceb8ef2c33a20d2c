"""The one place that answers "may this user do this (to that object)?".

Every endpoint declares its permission with @public, @signed_in or @permission(action);
the request hook in core.security refuses any endpoint that declares none. Views then
check the loaded object with require(user, action, obj). Rules are registered per action
here and in each domain's `rules.py` through @rule.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from trainhub.core.accounts.models import TOKEN_ROLES, Role, User
from trainhub.core.errors import PermissionDenied
from trainhub.core.regions import is_within

F = TypeVar("F", bound=Callable[..., Any])
Rule = Callable[[User, Any], bool]

PUBLIC = "public"
SIGNED_IN = "signed_in"
PERMISSION_ATTR = "trainhub_permission"

_rules: dict[str, Rule] = {}


# --- endpoint declarations -----------------------------------------------------------

def _declare(fn: F, value: str) -> F:
    setattr(fn, PERMISSION_ATTR, value)
    return fn


def public(fn: F) -> F:
    """Anyone, signed in or not (login page, health check, certificate verification)."""
    return _declare(fn, PUBLIC)


def signed_in(fn: F) -> F:
    """Any signed-in account; the view itself must scope what it shows to the user."""
    return _declare(fn, SIGNED_IN)


def permission(action: str) -> Callable[[F], F]:
    """Signed in and allowed `action` in general; objects are checked again in the view."""
    if action not in _rules:
        raise KeyError(f"no rule registered for action {action!r}")

    def decorate(fn: F) -> F:
        return _declare(fn, action)

    return decorate


def declared_permission(fn: Callable[..., Any] | None) -> str | None:
    return getattr(fn, PERMISSION_ATTR, None) if fn is not None else None


# --- rules ---------------------------------------------------------------------------

def rule(*actions: str) -> Callable[[Rule], Rule]:
    def register(fn: Rule) -> Rule:
        for action in actions:
            if action in _rules:
                raise KeyError(f"rule for {action!r} registered twice")
            _rules[action] = fn
        return fn

    return register


def registered_actions() -> list[str]:
    return sorted(_rules)


def may(user: Any, action: str, obj: Any = None) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return bool(_rules[action](user, obj))


def require(user: Any, action: str, obj: Any = None) -> None:
    if not may(user, action, obj):
        raise PermissionDenied(
            action,
            object_type=type(obj).__name__.lower() if obj is not None else "",
            object_id=getattr(obj, "id", "") if obj is not None else "",
        )


# --- scope helpers -------------------------------------------------------------------

def has_role(user: User, *roles: Role) -> bool:
    return user.role in {r.value for r in roles}


def officer_covers(user: User, region_code: str | None) -> bool:
    """An officer's region contains `region_code` (province ⊃ city ⊃ county)."""
    return user.role == Role.FEDERATION_OFFICER and is_within(region_code, user.region_code)


CITY_CODE_LENGTH = 4  # GB/T 2260: 36 the province, 3601 a city, 360102 a county


def is_city_officer(user: User) -> bool:
    return user.role == Role.FEDERATION_OFFICER and len(user.region_code or "") == CITY_CODE_LENGTH


def is_officer_above_county(user: User) -> bool:
    """A province or city officer: those who keep what serves several counties."""
    return user.role == Role.FEDERATION_OFFICER and len(user.region_code or "") <= CITY_CODE_LENGTH


def officer_region(user: User) -> str | None:
    return user.region_code if user.role == Role.FEDERATION_OFFICER else None


# --- core rules ----------------------------------------------------------------------

@rule("account.api_tokens")
def _may_hold_tokens(user: User, obj: Any) -> bool:
    if user.role not in TOKEN_ROLES:
        return False
    return obj is None or getattr(obj, "user_id", None) == user.id


@rule("audit.search")
def _may_search_audit(user: User, obj: Any) -> bool:
    if user.role == Role.ADMIN:
        return True
    if user.role != Role.FEDERATION_OFFICER:
        return False
    return obj is None or officer_covers(user, getattr(obj, "region_code", None))


@rule("users.manage")
def _may_manage_users(user: User, obj: Any) -> bool:
    return user.role == Role.ADMIN


@rule("people.list", "people.create")
def _may_list_people(user: User, obj: Any) -> bool:
    if user.role != Role.FEDERATION_OFFICER:
        return False
    return obj is None or officer_covers(user, getattr(obj, "household_region_code", None))


@rule("people.view")
def _may_view_person(user: User, obj: Any) -> bool:
    if obj is None:
        return has_role(user, Role.FEDERATION_OFFICER, Role.TRAINEE)
    if user.role == Role.TRAINEE:
        return user.person_id == obj.id
    return officer_covers(user, obj.household_region_code)


@rule("people.edit")
def _may_edit_person(user: User, obj: Any) -> bool:
    if user.role != Role.FEDERATION_OFFICER:
        return False
    return obj is None or officer_covers(user, obj.household_region_code)


@rule("people.unmask")
def _may_unmask_person(user: User, obj: Any) -> bool:
    """Full ID and certificate numbers: the officer in charge, or the person themself."""
    return _may_view_person(user, obj)


# --- parameters ----------------------------------------------------------------------

@rule("parameters.view")
def _may_view_parameters(user: User, obj: Any) -> bool:
    """The rules in force are read by the administrator and every federation officer."""
    return has_role(user, Role.ADMIN, Role.FEDERATION_OFFICER)


@rule("parameters.edit")
def _may_edit_parameters(user: User, obj: Any) -> bool:
    """Province values: the administrator and province officers. A city override: also the
    officers of that city. County officers set no values (overrides are per city)."""
    if user.role == Role.ADMIN:
        return True
    if not is_officer_above_county(user):
        return False
    return obj is None or officer_covers(user, getattr(obj, "region_code", None))


@rule("institutions.manage")
def _may_manage_institutions(user: User, obj: Any) -> bool:
    """Officers register and edit institutions in their region; the admin everywhere."""
    if user.role == Role.ADMIN:
        return True
    if obj is None:
        return user.role == Role.FEDERATION_OFFICER
    return officer_covers(user, obj.region_code)
