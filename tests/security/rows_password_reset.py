"""Permission-matrix rows of the self-service password reset (public: asking for a link,
the link, choosing the new password with it) and of the account's contact details (each
signed-in user, their own)."""

from __future__ import annotations

from tests.security.matrix import ACTORS, EVERYONE, Row

ROWS: dict[str, Row] = {
    "accounts.forgot_password": Row("GET", lambda ids: "/password/forgot", set(ACTORS),
                                    public=True),
    "accounts.reset_link": Row("GET", lambda ids: "/password/reset/not-a-token", set(ACTORS),
                               public=True),
    # Without a live link in the session: the page that says the link is not valid (400).
    "accounts.reset_password": Row("GET", lambda ids: "/password/reset", set(ACTORS),
                                   public=True),
    "accounts.contact_details": Row("GET", lambda ids: "/account/contact", EVERYONE),
}
