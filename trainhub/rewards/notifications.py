"""What the reward domain tells an enterprise's contacts: their over-quota reward
declaration returned for correction, approved, or paid (issue 16 item 5). Called by the
services right after the change; the message names the year and the amount, never an
employee."""

from __future__ import annotations

from trainhub.core.accounts.models import Role, User
from trainhub.core.errors import N_
from trainhub.core.notifications import kinds
from trainhub.core.notifications.service import notify_accounts, path_for
from trainhub.rewards.models import RewardDeclaration

kinds.register("reward.returned", N_("Your reward declaration was returned"),
               N_("Your over-quota reward declaration for %(year)s was returned for "
                  "correction. The reason is on the declaration's page."), ("year",))
kinds.register("reward.approved", N_("Your over-quota reward was approved"),
               N_("The over-quota employment reward of %(amount)s for %(year)s has been "
                  "approved."), ("amount", "year"))
kinds.register("reward.paid", N_("Your over-quota reward was paid"),
               N_("The over-quota employment reward of %(amount)s for %(year)s has been "
                  "paid."), ("amount", "year"))


def tell_enterprise(declaration: RewardDeclaration, kind: str) -> int:
    """Notify the active contacts of the declaring enterprise."""
    params: dict[str, int] = {"year": declaration.year}
    if kind != "reward.returned":
        params["amount"] = declaration.amount_fen or 0
    link = path_for("rewards.declaration", declaration_id=declaration.id)
    return notify_accounts((User.enterprise_id == declaration.enterprise_id)
                           & (User.role == Role.ENTERPRISE_CONTACT.value), kind, params, link)
