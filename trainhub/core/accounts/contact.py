"""Where an account can be reached for its own security messages (a password reset): an
e-mail address and a mobile number, set by the account's holder on their account page.

Kept in a table of their own beside `users`, encrypted at rest (a phone number is personal
information to encrypt, SECURITY.md); never searched by, so no blind index."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import ForeignKey, select
from sqlalchemy.orm import Mapped, mapped_column

from trainhub.core.accounts.models import User
from trainhub.core.outbox.models import Channel
from trainhub.core.timeutil import utcnow
from trainhub.core.types import EncryptedText, UTCDateTime
from trainhub.extensions import Model, db

MOBILE = re.compile(r"^1[3-9]\d{9}$")  # a mainland mobile number, 11 digits


class AccountContact(Model):
    __tablename__ = "account_contacts"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    email: Mapped[str | None] = mapped_column(EncryptedText("account_contacts.email"))
    phone: Mapped[str | None] = mapped_column(EncryptedText("account_contacts.phone"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


def contact_of(user: User) -> AccountContact | None:
    return db.session.scalar(select(AccountContact).where(AccountContact.user_id == user.id))


def address_for(user: User, channel: Channel) -> str | None:
    """The address a message on `channel` goes to; None when the account has none."""
    contact = contact_of(user)
    if contact is None:
        return None
    return contact.email if channel == Channel.EMAIL else contact.phone


def normalise_phone(text: str) -> str:
    """Digits only, without a +86 or 0086 prefix: what is stored and compared."""
    digits = re.sub(r"[\s-]", "", text or "")
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix):
            digits = digits[len(prefix):]
    return digits


def set_contact(user: User, email: str | None, phone: str | None) -> list[str]:
    """Save the addresses (empty clears one); returns the names of those that changed."""
    contact = contact_of(user)
    if contact is None:
        contact = AccountContact(user_id=user.id)
        db.session.add(contact)
    changed: list[str] = []
    if (email or None) != contact.email:
        contact.email, changed = email or None, [*changed, "email"]
    if (phone or None) != contact.phone:
        contact.phone, changed = phone or None, [*changed, "phone"]
    if changed:
        contact.updated_at = utcnow()
        db.session.flush()
    return changed


def mask_email(address: str | None) -> str:
    """zhang.san@example.cn → z***@example.cn"""
    if not address or "@" not in address:
        return ""
    local, _, domain = address.partition("@")
    return f"{local[:1]}***@{domain}"
