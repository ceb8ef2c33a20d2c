"""The one place that answers "may this user do this (to that object)?".

Every endpoint declares its permission with @public, @signed_in or @permission(action);
the request hook in core.security refuses any endpoint that declares none. Views then
check the loaded object with require(user, action, obj). Rules are registered per action
here and in each domain's `rules.py` through @rule.

Where a page lists what a single-object check decides, the action is declared once as a
Scope (per role, the condition an object meets) with @scoped: the object check and the
list's SQL filter (`where(user, action, Model)`) are both read from that one definition,
so a list never shows what its object page refuses, nor hides what it opens.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, and_, false, not_, or_, true

from trainhub.core.accounts.models import TOKEN_ROLES, Role, User
from trainhub.core.errors import PermissionDenied
from trainhub.core.regions import is_within

F = TypeVar("F", bound=Callable[..., Any])
Rule = Callable[[User, Any], bool]

PUBLIC = "public"
SIGNED_IN = "signed_in"
SERVICE_TOKEN_PREFIX = "service_token:"  # noqa: S105 - a declaration's prefix
PERMISSION_ATTR = "trainhub_permission"

_rules: dict[str, Rule] = {}
_scopes: dict[str, Scope] = {}


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


def service_token(config_key: str) -> Callable[[F], F]:
    """Not for people: a machine (Prometheus) presenting the secret set in the config key
    `config_key` as a bearer token. No account, session or API token opens it; without the
    setting the endpoint does not exist (404)."""

    def decorate(fn: F) -> F:
        return _declare(fn, SERVICE_TOKEN_PREFIX + config_key)

    return decorate


def service_token_key(declared: str | None) -> str | None:
    """The config key of a @service_token declaration, else None."""
    if declared and declared.startswith(SERVICE_TOKEN_PREFIX):
        return declared[len(SERVICE_TOKEN_PREFIX):]
    return None


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


# --- scopes: one definition for the object check and the list's filter ---------------

class Condition:
    """What an object must be for a user, told both ways: `test` on a loaded object and
    `clause` as SQL on a model's columns. Combine with & and |."""

    def test(self, user: User, obj: Any) -> bool:
        raise NotImplementedError

    def clause(self, user: User, model: Any) -> ColumnElement[bool]:
        raise NotImplementedError

    def __and__(self, other: Condition) -> Condition:
        return _All((self, other))

    def __or__(self, other: Condition) -> Condition:
        return _Any((self, other))


class _Always(Condition):
    def test(self, user: User, obj: Any) -> bool:
        return True

    def clause(self, user: User, model: Any) -> ColumnElement[bool]:
        return true()


class _All(Condition):
    def __init__(self, parts: tuple[Condition, ...]) -> None:
        self.parts = parts

    def test(self, user: User, obj: Any) -> bool:
        return all(part.test(user, obj) for part in self.parts)

    def clause(self, user: User, model: Any) -> ColumnElement[bool]:
        return and_(*(part.clause(user, model) for part in self.parts))


class _Any(Condition):
    def __init__(self, parts: tuple[Condition, ...]) -> None:
        self.parts = parts

    def test(self, user: User, obj: Any) -> bool:
        return any(part.test(user, obj) for part in self.parts)

    def clause(self, user: User, model: Any) -> ColumnElement[bool]:
        return or_(*(part.clause(user, model) for part in self.parts))


class _Mine(Condition):
    """The object's `attr` is the user's `user_attr` (their institution, enterprise…)."""

    def __init__(self, attr: str, user_attr: str) -> None:
        self.attr, self.user_attr = attr, user_attr

    def test(self, user: User, obj: Any) -> bool:
        mine = getattr(user, self.user_attr, None)
        return mine is not None and getattr(obj, self.attr, None) == mine

    def clause(self, user: User, model: Any) -> ColumnElement[bool]:
        mine = getattr(user, self.user_attr, None)
        return false() if mine is None else getattr(model, self.attr) == mine


class _InRegion(Condition):
    """The object's region (`attr`) is the user's region or lies below it."""

    def __init__(self, attr: str) -> None:
        self.attr = attr

    def test(self, user: User, obj: Any) -> bool:
        return is_within(getattr(obj, self.attr, None), user.region_code)

    def clause(self, user: User, model: Any) -> ColumnElement[bool]:
        if not user.region_code:
            return false()
        return within(getattr(model, self.attr), user.region_code)


def within(column: Any, region_code: str) -> ColumnElement[bool]:
    """`column` holds `region_code` or a region below it (its code starts with it), read as
    a range of the column's index: LIKE '3601%' (its pattern a parameter) is tested on every
    entry by both databases, a county officer's count of people scanning a province's
    100,000 (PostgreSQL 4.2 ms, 0.24 ms as a range; issue 13). Region codes are digits, so
    the codes starting with '3601' are those from '3601' up to, not including, '3602' (with
    a carry: '3609' to '361'); the LIKE stays as the condition that decides."""
    prefix = column.startswith(region_code)
    if not region_code.isdigit():
        return prefix
    nines = region_code.rstrip("9")
    if not nines:  # every code from '99…' on
        return and_(column >= region_code, prefix)
    following = nines[:-1] + str(int(nines[-1]) + 1)
    return and_(column >= region_code, column < following, prefix)


class _Among(Condition):
    def __init__(self, attr: str, values: Collection[str], negate: bool = False) -> None:
        self.attr, self.values, self.negate = attr, frozenset(values), negate

    def test(self, user: User, obj: Any) -> bool:
        return (getattr(obj, self.attr, None) in self.values) != self.negate

    def clause(self, user: User, model: Any) -> ColumnElement[bool]:
        inside = getattr(model, self.attr).in_(sorted(self.values))
        return not_(inside) if self.negate else inside


class _NotBefore(Condition):
    """The object's date (`attr`) is today or later (today read when asked)."""

    def __init__(self, attr: str, today: Callable[[], Any]) -> None:
        self.attr, self.today = attr, today

    def test(self, user: User, obj: Any) -> bool:
        day = getattr(obj, self.attr, None)
        return day is not None and day >= self.today()

    def clause(self, user: User, model: Any) -> ColumnElement[bool]:
        return getattr(model, self.attr) >= self.today()


ALWAYS: Condition = _Always()


def mine(attr: str, user_attr: str | None = None) -> Condition:
    """`obj.attr == user.attr` (or `user.user_attr`)."""
    return _Mine(attr, user_attr or attr)


def in_region(attr: str = "region_code") -> Condition:
    return _InRegion(attr)


def not_before(attr: str, today: Callable[[], Any]) -> Condition:
    return _NotBefore(attr, today)


def among(attr: str, *values: str) -> Condition:
    return _Among(attr, values)


def not_among(attr: str, *values: str) -> Condition:
    return _Among(attr, values, negate=True)


class Scope:
    """Per role, the condition an object meets to be in a user's scope for an action. A
    role not named has none (and may not open the page at all)."""

    def __init__(self, by_role: dict[Role, Condition]) -> None:
        self.by_role = {role.value: condition for role, condition in by_role.items()}

    def opens(self, user: User) -> bool:
        return user.role in self.by_role

    def allows(self, user: User, obj: Any) -> bool:
        condition = self.by_role.get(user.role)
        return condition is not None and condition.test(user, obj)

    def where(self, user: User, model: Any) -> ColumnElement[bool]:
        condition = self.by_role.get(user.role)
        return false() if condition is None else condition.clause(user, model)

    def rule(self, user: User, obj: Any) -> bool:
        return self.opens(user) if obj is None else self.allows(user, obj)


def scoped(*actions: str) -> Callable[[Callable[[], Scope]], Scope]:
    """Register a Scope (built by the decorated function) as the rule of `actions`."""

    def register(build: Callable[[], Scope]) -> Scope:
        scope = build()
        rule(*actions)(scope.rule)
        for action in actions:
            _scopes[action] = scope
        return scope

    return register


def where(user: Any, action: str, model: Any) -> ColumnElement[bool]:
    """The SQL filter of `action`'s scope on `model`: the rows `may(user, action, row)`
    allows, and no others. Nobody signed in: nothing."""
    if user is None or not getattr(user, "is_authenticated", False):
        return false()
    return _scopes[action].where(user, model)


def scoped_actions() -> list[str]:
    return sorted(_scopes)


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
    """三员分立: the audit administrator reads the whole log, and no other administrator
    reads it; officers read their region's."""
    if user.role == Role.AUDIT_ADMIN:
        return True
    if user.role != Role.FEDERATION_OFFICER:
        return False
    return obj is None or officer_covers(user, getattr(obj, "region_code", None))


SEPARATED_ADMINS = frozenset({Role.SECURITY_ADMIN.value, Role.AUDIT_ADMIN.value})


@rule("users.manage")
def _may_manage_users(user: User, obj: Any) -> bool:
    """The system administrator's accounts; who holds which role is the security
    administrator's (security.roles). The security and audit administrators' accounts are
    beyond the system administrator: a password reset would hand over their duties."""
    if user.role != Role.ADMIN:
        return False
    return obj is None or getattr(obj, "role", None) not in SEPARATED_ADMINS


@rule("security.roles", "security.settings")
def _may_keep_security(user: User, obj: Any) -> bool:
    """Roles and the security parameters (lock-out, timeouts, password age)."""
    return user.role == Role.SECURITY_ADMIN


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


@rule("people.me")
def _may_see_own_record(user: User, obj: Any) -> bool:
    """One's own record: a trainee's account is tied to their person."""
    return user.role == Role.TRAINEE and user.person_id is not None


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
