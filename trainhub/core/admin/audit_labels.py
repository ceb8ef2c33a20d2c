"""Names in the audit log for what the separated administrators and credential changes
record (core.audit.labels shows every code by a name)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from trainhub.core.audit import labels
from trainhub.core.display import ROLE_LABELS

labels.register(
    group=_l("Accounts and sign-in"),
    actions={
        "account.role_change": _l("Role changed"),
        "security.settings_change": _l("Security settings changed"),
    },
    object_types={"security_parameters": _l("Security settings")},
    keys={
        "previous_role": _l("Previous role"), "sessions_ended": _l("Sessions ended"),
        "tokens_revoked": _l("API tokens revoked"),
        "max_failures": _l("Failed sign-ins before the account locks"),
        "lock_minutes": _l("Lock-out duration (minutes)"),
        "idle_minutes": _l("Idle session timeout (minutes)"),
        "absolute_hours": _l("Longest session (hours)"),
        "password_max_age_days": _l("Password maximum age (days)"),
        "lifetime_days": _l("Lifetime (days)"),
    },
    values={
        "previous_role": dict(ROLE_LABELS),
        # access.denied names the permission refused: the separated duties' own.
        "action": {"users.manage": _l("Accounts"), "security.roles": _l("Roles"),
                   "security.settings": _l("Security settings"),
                   "audit.search": _l("Audit log")},
        "reason": {"role_change": _l("role changed"), "disabled": _l("account disabled"),
                   "owner": _l("revoked by its owner")},
    },
)
