"""What the audit log page shows for its codes: each action, object type and detail key by
a translated name, and each detail value as the pages write it (money in yuan, yes or no,
dates in the local format, people's and accounts' names instead of their ids).

The core names its own actions here; each domain registers the names of its actions (under
the name of its group, which the search page's choice of actions shows them in), object
types, keys and coded values (`register`) from its setup, so the core names nothing of a
domain. A code without a name is shown as it is stored (and the browser crawl, which reads
every Chinese page for codes, finds it)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from trainhub.core.display import ROLE_LABELS
from trainhub.core.i18n import local_date, local_datetime, money_fen

ACTIONS: dict[str, Any] = {}
GROUPS: dict[str, Any] = {}  # action code → the name of its group, in registration order
OBJECT_TYPES: dict[str, Any] = {}
KEYS: dict[str, Any] = {}
VALUES: dict[str, dict[str, Any]] = {}
# Detail keys whose values are names and identifiers people chose (usernames, file names,
# numbers on documents): shown as they are, marked not to be translated
VERBATIM = {"username", "file", "name", "document_number", "certificate_number",
            "credit_code", "reference", "number"}
# Detail keys whose value is an id: the function gives a name for each id (one query per key)
NAMERS: dict[str, Callable[[Iterable[str]], Mapping[str, Any]]] = {}


def register(*, group: Any = None, actions: Mapping[str, Any] | None = None,
             object_types: Mapping[str, Any] | None = None,
             keys: Mapping[str, Any] | None = None,
             values: Mapping[str, Mapping[str, Any]] | None = None) -> None:
    """Add names of actions (filed under `group`, required with them), object types, detail
    keys and coded values (per key)."""
    if actions and group is None:
        raise ValueError("actions are registered under the name of their group")
    ACTIONS.update(actions or {})
    GROUPS.update({code: group for code in actions or {}})
    OBJECT_TYPES.update(object_types or {})
    KEYS.update(keys or {})
    for key, table in (values or {}).items():
        VALUES.setdefault(key, {}).update(table)


def register_namer(object_type: str, namer: Callable[[Iterable[str]], Mapping[str, Any]],
                   *keys: str) -> None:
    """Objects of `object_type` (and detail values under `keys`) are shown by the names
    `namer` gives their ids."""
    NAMERS[object_type] = namer
    for key in keys:
        NAMERS[key] = namer


def _code(value: str) -> str:
    return value


def action_label(action: str) -> Markup | str:
    label = ACTIONS.get(action)
    return str(label) if label is not None else _code(action)


@dataclass(frozen=True)
class ActionGroup:
    """A group of the search page's choice of actions: (code, name) pairs, one per name."""

    label: str
    actions: list[tuple[str, str]]


def action_groups() -> list[ActionGroup]:
    """Every named action, by group in the order the groups were registered, in code order
    within a group. Actions with the same name (two codes of one event) are one choice,
    given by the first code: `same_actions` gives back all of them."""
    groups: dict[str, list[tuple[str, str]]] = {}
    seen: set[str] = set()
    for code in _in_order(ACTIONS):
        label = str(ACTIONS[code])
        if label not in seen:
            seen.add(label)
            groups.setdefault(str(GROUPS[code]), []).append((code, label))
    return [ActionGroup(label, actions) for label, actions in groups.items()]


def _in_order(codes: Iterable[str]) -> list[str]:
    """By group, in the order the groups were registered, then by code."""
    order: dict[str, int] = {}
    for group in GROUPS.values():
        order.setdefault(str(group), len(order))
    return sorted(codes, key=lambda code: (order[str(GROUPS[code])], code))


def same_actions(code: str) -> list[str]:
    """Every code with the name of `code`, the one the search page offers first; none for a
    code without a name, which the page cannot offer."""
    if code not in ACTIONS:
        return []
    label = str(ACTIONS[code])
    return _in_order(c for c, named in ACTIONS.items() if str(named) == label)


def object_label(object_type: str) -> Markup | str:
    if not object_type:
        return ""
    label = OBJECT_TYPES.get(object_type)
    return str(label) if label is not None else _code(object_type)


def key_label(key: str) -> Markup | str:
    label = KEYS.get(key)
    return str(label) if label is not None else _code(key)


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)?")


def value_text(key: str, value: Any, names: Mapping[str, Mapping[str, Any]]) -> Markup | str:
    """One detail value as the pages write it."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, list | tuple):
        return Markup("、").join(value_text(key, item, names) for item in value)
    if isinstance(value, dict):
        return Markup("；").join(Markup("{}：{}").format(key_label(k), value_text(k, v, names))
                                for k, v in value.items())
    if key in VERBATIM:
        return Markup('<span translate="no">{}</span>').format(value)
    if key.endswith("_fen") and isinstance(value, int | float):
        return money_fen(int(value))
    if key in names and str(value) in names[key]:
        return names[key][str(value)]
    if key in VALUES and str(value) in VALUES[key]:
        return str(VALUES[key][str(value)])
    if isinstance(value, str):
        if _ISO_DATE.fullmatch(value):
            return local_date(date.fromisoformat(value))
        if _ISO_MOMENT.fullmatch(value):
            return local_datetime(datetime.fromisoformat(value.replace("Z", "+00:00")))
    return escape(str(value))


@dataclass(frozen=True)
class ShownEntry:
    """An audit row as the page shows it."""

    entry: Any
    action: Markup | str
    object: Markup | str
    details: list[tuple[Markup | str, Markup | str]]


def _names(entries: list[Any]) -> dict[str, Mapping[str, Any]]:
    """For each key (or object type) with a namer, the names of the ids the page shows."""
    wanted: dict[str, set[str]] = {}
    for entry in entries:
        if entry.object_type in NAMERS and entry.object_id:
            wanted.setdefault(entry.object_type, set()).add(str(entry.object_id))
        for key, value in (entry.details or {}).items():
            if key not in NAMERS:
                continue
            for item in value if isinstance(value, list) else [value]:
                if item not in (None, "") and not isinstance(item, dict | list):
                    wanted.setdefault(key, set()).add(str(item))
    return {key: NAMERS[key](ids) for key, ids in wanted.items()}


def shown(entries: list[Any]) -> list[ShownEntry]:
    """The page's rows: names for codes, formatted values, names for ids."""
    names = _names(entries)
    rows = []
    for entry in entries:
        obj = object_label(entry.object_type)
        if entry.object_id:
            named = names.get(entry.object_type, {}).get(str(entry.object_id))
            obj = Markup("{} {}").format(obj, named or gettext("No. %(id)s", id=entry.object_id))
        details = [(key_label(k), value_text(k, v, names))
                   for k, v in (entry.details or {}).items()]
        rows.append(ShownEntry(entry, action_label(entry.action), obj, details))
    return rows


# --- the core's own codes ---------------------------------------------------------------

register(
    group=_l("Accounts and sign-in"),
    actions={
        "access.denied": _l("Access refused"),
        "account.activate": _l("Account activated with a code"),
        "account.activation_code_issue": _l("Activation code issued"),
        "account.create": _l("Account created"),
        "account.disable": _l("Account disabled"),
        "account.enable": _l("Account enabled"),
        "account.password_change": _l("Password changed"),
        "account.password_reset": _l("Password reset by an administrator"),
        "account.register": _l("Trainee account registered"),
        "account.unlock": _l("Account unlocked"),
        "api_token.create": _l("API token created"),
        "api_token.revoke": _l("API token revoked"),
        "auth.lockout": _l("Account locked after failed sign-ins"),
        "auth.login": _l("Sign-in"),
        "auth.logout": _l("Sign-out"),
        "auth.session_expired": _l("Session ended"),
    })
register(group=_l("People"), actions={
    "person.create": _l("Person record created"),
    "person.unmask": _l("Full numbers viewed"),
    "person.update": _l("Person record edited"),
    "person.view": _l("Person record viewed"),
})
register(group=_l("Institutions"), actions={
    "institution.create": _l("Institution registered"),
    "institution.update": _l("Institution edited"),
})
register(group=_l("Parameters"), actions={
    "parameter.load_defaults": _l("Default parameters loaded"),
    "parameter_value.add": _l("Parameter value added"),
    "parameter_value.edit": _l("Parameter value corrected"),
    "parameter_value.first_use": _l("Parameter value first used"),
})
register(group=_l("Certificates"), actions={
    "document.issue": _l("Certificate issued"),
    "document.status": _l("Certificate status changed"),
})
register(
    object_types={
        "activation_code": _l("Activation code"), "api_token": _l("API token"),
        "institution": _l("Institution"), "parameter": _l("Parameter"),
        "parameter_value": _l("Parameter value"), "person": _l("Person"),
        "user": _l("Account"), "verification": _l("Certificate"), "region": _l("Region"),
    },
    keys={
        "action": _l("Action"), "after": _l("After"), "before": _l("Before"),
        "by": _l("By"), "changed": _l("Changed"), "changes": _l("Changes"),
        "code_id": _l("Activation code"), "created": _l("Created"),
        "credit_code": _l("Unified social credit code"), "document_number": _l("Document number"),
        "error": _l("Error"), "expires_at": _l("Expires"), "failed_logins": _l("Failed sign-ins"),
        "from": _l("From"), "id_number": _l("ID number"), "key": _l("Parameter"),
        "kind": _l("Type"), "locked_until": _l("Locked until"), "name": _l("Name"),
        "on": _l("On"), "person": _l("Person"), "person_id": _l("Person"),
        "phone": _l("Telephone"), "cert_number": _l("Disability certificate number"),
        "purpose": _l("Purpose"), "reason": _l("Reason"), "role": _l("Role"),
        "status": _l("Status"), "to": _l("To"), "user": _l("Account"),
        "username": _l("Username"), "year": _l("Year"), "region_code": _l("Region"),
        "source": _l("Source"), "total": _l("Total"), "valid_from": _l("Valid from"),
        "valid_until": _l("Valid until"), "reference": _l("Legal reference"),
        "value": _l("Value"), "effective_from": _l("In force from"), "scope": _l("Scope"),
        "outcome": _l("Outcome"), "issued_by_id": _l("Issued by"), "city": _l("City"),
        "number": _l("ID number"),
    },
    values={
        "reason": {
            "unknown_user": _l("unknown username"), "locked": _l("account locked"),
            "inactive": _l("account disabled"), "bad_password": _l("wrong password"),
            "bad_current_password": _l("wrong current password"),
            "absolute_timeout": _l("12-hour limit reached"),
            "idle_timeout": _l("idle for too long"), "revoked": _l("signed out"),
            "logout": _l("signed out"), "password_change": _l("password changed"),
            "paused": _l("self-service paused"), "mismatch": _l("documents did not match"),
            "id_mismatch": _l("ID number did not match"),
            "has_account": _l("already has an account"),
            "unknown_code": _l("unknown code"), "used": _l("code already used"),
            "expired": _l("code expired"),
        },
    },
)


def _account_names(ids: Iterable[str]) -> Mapping[str, Markup]:
    from sqlalchemy import select

    from trainhub.core.accounts.models import User
    from trainhub.extensions import db

    numbers = [int(i) for i in ids if str(i).isdigit()]
    rows = db.session.execute(select(User.id, User.display_name, User.username)
                              .where(User.id.in_(numbers))).all()
    # names of people and accounts are not translated (translate="no")
    return {str(row.id): Markup('<span translate="no">{}（{}）</span>').format(
        row.display_name, row.username) for row in rows}


def _document_kinds() -> dict[str, Any]:
    from trainhub.core.documents.views import KIND_LABELS

    return dict(KIND_LABELS)


register(values={"role": dict(ROLE_LABELS), "actor_role": dict(ROLE_LABELS),
                 "kind": _document_kinds()})
register_namer("user", _account_names, "user", "by", "issued_by_id", "recorded_by")


def _parameter_names(keys: Iterable[str]) -> Mapping[str, str]:
    from sqlalchemy import select

    from trainhub.core.parameters.models import Parameter
    from trainhub.extensions import db

    rows = db.session.execute(select(Parameter.key, Parameter.label_msgid)
                              .where(Parameter.key.in_(list(keys)))).all()
    return {row.key: gettext(row.label_msgid) for row in rows}


register_namer("parameter", _parameter_names, "key", "created")


def _region_names(codes: Iterable[str]) -> Mapping[str, str]:
    from trainhub.core.regions import region_names

    names = region_names()
    return {code: names[code] for code in codes if code in names}


register_namer("region", _region_names, "region_code", "city")
