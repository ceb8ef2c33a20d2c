"""The notifications table and each account's choice of channels."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, String, false
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from trainhub.core.timeutil import utcnow
from trainhub.core.types import UTCDateTime
from trainhub.extensions import Model

JSONValue = JSON().with_variant(JSONB(), "postgresql")


class Notification(Model):
    """One thing one account is told. `kind` names the registered templates (kinds.py);
    `params` holds only the kind's declared parameters; `link` is a path on this site."""

    __tablename__ = "notifications"
    __table_args__ = (
        # The centre's list (newest first) and the header's unread count, per account.
        Index("ix_notifications_user_created", "user_id", "created_at"),
        Index("ix_notifications_user_unread", "user_id", "read_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(48))
    params: Mapped[dict[str, Any]] = mapped_column(JSONValue, default=dict)
    link: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class NotificationPreference(Model):
    """Which channels besides the site an account chose (the site is always on), and the
    language its messages are written in (the one in use when the choice was saved). No
    row: the site only."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    email: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    sms: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    locale: Mapped[str] = mapped_column(String(16), default="zh_Hans_CN")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
