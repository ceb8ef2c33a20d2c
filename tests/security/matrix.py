"""The permission matrix, reusable by every module: actors × endpoints → allowed or refused.

Core endpoints are listed here; each domain adds its rows in a sibling module named
`rows_<domain>.py` that defines `ROWS: dict[str, Row]` (collected at the end of this file).
test_endpoint_matrix.py fails on any endpoint of the app that has no row, and checks every
actor against every row. A row's `prepare(app, make)` creates the objects its path needs and
returns their ids, merged into `ids`.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from trainhub.core.accounts.models import Role

ALLOWED, REFUSED, LOGIN = "allowed", "refused", "login"

# Actor name → (role, scope). Scopes: a region code for officers; "own" means the
# actor owns the target (a trainee and their person record).
ACTORS: dict[str, tuple[Role | None, str | None]] = {
    "anonymous": (None, None),
    "admin": (Role.ADMIN, None),  # the system administrator (三员分立)
    "security_admin": (Role.SECURITY_ADMIN, None),
    "audit_admin": (Role.AUDIT_ADMIN, None),
    "officer_province": (Role.FEDERATION_OFFICER, "36"),
    "officer_city": (Role.FEDERATION_OFFICER, "3601"),
    "officer_county": (Role.FEDERATION_OFFICER, "360102"),
    "officer_other_city": (Role.FEDERATION_OFFICER, "3607"),
    "officer_other_county": (Role.FEDERATION_OFFICER, "360103"),
    "institution_staff": (Role.INSTITUTION_STAFF, None),
    "enterprise_contact": (Role.ENTERPRISE_CONTACT, None),
    "trainee_self": (Role.TRAINEE, "own"),
    "trainee_other": (Role.TRAINEE, None),
    "judge": (Role.JUDGE, None),
    "chief_judge": (Role.CHIEF_JUDGE, None),
}

OFFICERS_IN_SCOPE = {"officer_province", "officer_city", "officer_county"}
TOKEN_HOLDERS = {"admin", "officer_province", "officer_city", "officer_county",
                 "officer_other_city", "officer_other_county", "institution_staff",
                 "enterprise_contact", "judge", "chief_judge"}
EVERYONE = set(ACTORS) - {"anonymous"}
ALL_OFFICERS = OFFICERS_IN_SCOPE | {"officer_other_city", "officer_other_county"}


@dataclass
class Row:
    """One endpoint: how to call it, and which actors may."""

    method: str
    path: Callable[[dict[str, Any]], str]
    allowed: set[str]
    data: dict[str, Any] = field(default_factory=dict)
    api: bool = False
    public: bool = False
    # (app, make) or (app, make, ids): ids holds the actor's "person" for own-record rows.
    prepare: Callable[..., dict[str, Any]] | None = None


# The target person lives in 南昌市东湖区 (360102); `ids` holds the ids made for a test.
ENDPOINTS: dict[str, Row] = {
    # Signed in: the role's home page; anonymous: the public front door (trainhub.public).
    "home.index": Row("GET", lambda ids: "/", set(ACTORS), public=True),
    "accounts.login": Row("GET", lambda ids: "/login", set(ACTORS), public=True),
    "accounts.logout": Row("POST", lambda ids: "/logout", EVERYONE),
    "accounts.change_password": Row("GET", lambda ids: "/account/password", EVERYONE),
    "accounts.tokens": Row("GET", lambda ids: "/account/tokens", TOKEN_HOLDERS),
    "accounts.revoke_token": Row("POST", lambda ids: f"/account/tokens/{ids['token']}/revoke",
                                 {"officer_county"}),  # the token belongs to officer_county
    "i18n.set_language": Row("POST", lambda ids: "/lang", set(ACTORS), data={"lang": "en"},
                             public=True),
    "health.healthz": Row("GET", lambda ids: "/healthz", set(ACTORS), public=True),
    "static": Row("GET", lambda ids: "/static/css/app.css", set(ACTORS), public=True),
    "people.index": Row("GET", lambda ids: "/people/", ALL_OFFICERS),
    "people.search": Row("POST", lambda ids: "/people/search", ALL_OFFICERS,
                         data={"number": "360102199005170011"}),
    "people.create": Row("GET", lambda ids: "/people/new", ALL_OFFICERS),
    "people.show": Row("GET", lambda ids: f"/people/{ids['person']}",
                       OFFICERS_IN_SCOPE | {"trainee_self"}),
    "people.edit": Row("GET", lambda ids: f"/people/{ids['person']}/edit", OFFICERS_IN_SCOPE),
    "people.unmask": Row("POST", lambda ids: f"/people/{ids['person']}/unmask",
                         OFFICERS_IN_SCOPE | {"trainee_self"}, data={"purpose": "matrix test"}),
    "people.me": Row("GET", lambda ids: "/people/me", {"trainee_self", "trainee_other"}),
    "audit.search": Row("GET", lambda ids: "/audit/", ALL_OFFICERS | {"audit_admin"}),
    "admin.users": Row("GET", lambda ids: "/admin/users", {"admin"}),
    "admin.new_user": Row("GET", lambda ids: "/admin/users/new", {"admin"}),
    "admin.reset_password": Row(
        "POST", lambda ids: f"/admin/users/{ids['other_user']}/reset-password", {"admin"}),
    "admin.set_active": Row("POST", lambda ids: f"/admin/users/{ids['other_user']}/active",
                            {"admin"}, data={"active": "1"}),
    "admin.unlock": Row("POST", lambda ids: f"/admin/users/{ids['other_user']}/unlock",
                        {"admin"}),
    "admin.roles": Row("GET", lambda ids: "/admin/roles", {"security_admin"}),
    "admin.change_role": Row("POST", lambda ids: f"/admin/users/{ids['other_user']}/role",
                             {"security_admin"}, data={"role": "judge"}),
    "admin.security_settings": Row("GET", lambda ids: "/admin/security", {"security_admin"}),
    "api.me": Row("GET", lambda ids: "/api/v1/me", TOKEN_HOLDERS, api=True),
    "api.regions": Row("GET", lambda ids: "/api/v1/regions", TOKEN_HOLDERS, api=True),
    "api.people": Row("GET", lambda ids: "/api/v1/people", ALL_OFFICERS, api=True),
    "api.person": Row("GET", lambda ids: f"/api/v1/people/{ids['person']}", OFFICERS_IN_SCOPE,
                      api=True),
    "api.docs": Row("GET", lambda ids: "/api/v1/docs", set(ACTORS), public=True),
    "openapi.spec": Row("GET", lambda ids: "/api/v1/openapi.json", set(ACTORS), public=True),
}


def _collect_domain_rows() -> None:
    for module in pkgutil.iter_modules([str(Path(__file__).parent)]):
        if module.name.startswith("rows_"):
            rows = importlib.import_module(f"tests.security.{module.name}").ROWS
            clash = set(rows) & set(ENDPOINTS)
            assert not clash, f"endpoints listed twice: {sorted(clash)}"
            ENDPOINTS.update(rows)


_collect_domain_rows()
