"""What the bases domain tells an institution's staff about its application to be certified
(issue 16 item 5): returned for changes, not accepted, under public notice, certified.
Called by the services right after the change."""

from __future__ import annotations

from datetime import date

from trainhub.bases.models import BaseApplication
from trainhub.core.accounts.models import Role, User
from trainhub.core.errors import N_
from trainhub.core.notifications import kinds
from trainhub.core.notifications.service import notify_accounts, path_for

kinds.register("base.returned", N_("Your base application was returned"),
               N_("Your application to be certified as a base was returned for changes. The "
                  "comments are on its page."))
kinds.register("base.rejected", N_("Your base application was not accepted"),
               N_("Your application to be certified as a base was not accepted. The "
                  "comments are on its page."))
kinds.register("base.notice", N_("Your base application is under public notice"),
               N_("Your application passed review and is under public notice until %(end)s."),
               ("end",))
kinds.register("base.certified", N_("Your institution is certified as a base"),
               N_("Your institution is certified as a base, valid until %(end)s. The "
                  "certificate can be downloaded from the base's page."), ("end",))


def tell_institution(application: BaseApplication, kind: str, end: date | None = None) -> int:
    """Notify the active staff of the applying institution."""
    params = {"end": end} if end is not None else {}
    link = path_for("bases.application", application_id=application.id)
    return notify_accounts((User.institution_id == application.institution_id)
                           & (User.role == Role.INSTITUTION_STAFF.value), kind, params, link)
