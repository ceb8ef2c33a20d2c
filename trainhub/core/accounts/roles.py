"""三员分立: who may give which role, and a change of role.

An account holds exactly one role (one column), so no account combines two of the three
administrators. The system administrator creates accounts but cannot give anyone, itself
included, the security or the audit role: only the security administrator assigns roles,
and not its own (nobody raises or drops their own rights). Every change is audited.
"""

from __future__ import annotations

from trainhub.core.accounts.credentials import revoke_tokens
from trainhub.core.accounts.models import Role, User
from trainhub.core.accounts.services import revoke_all_sessions, user_region
from trainhub.core.audit.service import record
from trainhub.core.errors import N_, DomainError, PermissionDenied

# The roles only the security administrator gives.
PRIVILEGED = frozenset({Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})
# A role that needs a scope (region, institution, enterprise, person) is given with a new
# account, where the scope is chosen; a change of role moves between roles without one.
UNSCOPED = frozenset({Role.ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN, Role.JUDGE,
                      Role.CHIEF_JUDGE})


def roles_given_by(actor: User) -> list[Role]:
    """The roles `actor` may give when creating an account."""
    if actor.role == Role.ADMIN:
        return [role for role in Role if role not in PRIVILEGED]
    if actor.role == Role.SECURITY_ADMIN:
        return list(Role)
    return []


def assignable_roles(actor: User) -> list[Role]:
    """The roles `actor` may move an existing account to."""
    return [role for role in Role if role in UNSCOPED] if actor.role == Role.SECURITY_ADMIN \
        else []


def change_role(user: User, new_role: Role, by: User) -> None:
    """Give `user` the role `new_role`. Their sessions and API tokens end: what they were
    opened for is no longer what the account may do."""
    if by.role != Role.SECURITY_ADMIN:
        raise PermissionDenied("security.roles", object_type="user", object_id=user.id)
    if user.id == by.id:
        raise DomainError(N_("You cannot change your own role."))
    if new_role not in UNSCOPED or user.role_enum not in UNSCOPED:
        raise DomainError(N_("This role needs a scope (region, institution, enterprise or "
                             "person): create a new account for it."))
    old = user.role
    if old == new_role.value:
        return
    user.role = new_role.value
    sessions = revoke_all_sessions(user, "role_change")
    tokens = revoke_tokens(user, "role_change")
    record("account.role_change", actor=by, object_type="user", object_id=user.id,
           region_code=user_region(user),
           details={"previous_role": old, "role": new_role.value, "sessions_ended": sessions,
                    "tokens_revoked": tokens})
