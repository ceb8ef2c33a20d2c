"""Who may use the privacy pages: a person, about themself (their own account)."""

from __future__ import annotations

from typing import Any

from trainhub.core.accounts.models import Role, User
from trainhub.core.policy import rule


@rule("privacy.own")
def _may_manage_own_data(user: User, obj: Any) -> bool:
    """One's own copy and consents; an object must be the person's own."""
    if user.role != Role.TRAINEE or user.person_id is None:
        return False
    return obj is None or getattr(obj, "person_id", None) == user.person_id
