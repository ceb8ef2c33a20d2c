"""Account tables."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainhub.core.organisations import Enterprise, Institution
from trainhub.core.regions import Region
from trainhub.core.timeutil import utcnow
from trainhub.core.types import UTCDateTime
from trainhub.extensions import Model

if TYPE_CHECKING:
    from trainhub.core.people.models import Person


class Role(StrEnum):
    # 三员分立: ADMIN is the system administrator (accounts); the security administrator
    # (roles, security parameters) and the audit administrator (reads the audit log) are
    # separate roles, and an account holds exactly one role.
    ADMIN = "admin"
    SECURITY_ADMIN = "security_admin"
    AUDIT_ADMIN = "audit_admin"
    FEDERATION_OFFICER = "federation_officer"
    INSTITUTION_STAFF = "institution_staff"
    ENTERPRISE_CONTACT = "enterprise_contact"
    TRAINEE = "trainee"
    JUDGE = "judge"
    CHIEF_JUDGE = "chief_judge"


ROLE_VALUES = tuple(r.value for r in Role)
# Trainees hold none: their pages are the web's, and a token is one more secret to lose.
TOKEN_ROLES = frozenset(
    {Role.ADMIN, Role.FEDERATION_OFFICER, Role.INSTITUTION_STAFF, Role.ENTERPRISE_CONTACT,
     Role.JUDGE, Role.CHIEF_JUDGE}
)


class User(Model):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(
            "role IN ('" + "','".join(ROLE_VALUES) + "')", name="role_known"
        ),
        # Each scoped role must name its scope.
        CheckConstraint(
            "role != 'federation_officer' OR region_code IS NOT NULL", name="officer_region"
        ),
        CheckConstraint(
            "role != 'institution_staff' OR institution_id IS NOT NULL", name="staff_institution"
        ),
        CheckConstraint(
            "role != 'enterprise_contact' OR enterprise_id IS NOT NULL", name="contact_enterprise"
        ),
        CheckConstraint("role != 'trainee' OR person_id IS NOT NULL", name="trainee_person"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-cased, so the unique constraint is case-insensitive.
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(24))
    region_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"), index=True)
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institutions.id"), index=True)
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), unique=True)

    password_hash: Mapped[str] = mapped_column(String(200))
    password_changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    is_active_account: Mapped[bool] = mapped_column(Boolean, default=True)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The larger-text, high-contrast mode (core.view_mode), chosen in the header.
    large_text: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    region: Mapped[Region | None] = relationship()
    institution: Mapped[Institution | None] = relationship()
    enterprise: Mapped[Enterprise | None] = relationship()
    person: Mapped[Person | None] = relationship()

    # Flask-Login protocol
    is_anonymous = False

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.is_active_account

    def get_id(self) -> str:
        return str(self.id)

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role}>"


class UserSession(Model):
    """A signed-in browser. The cookie carries a random token; only its hash is kept."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_reason: Mapped[str | None] = mapped_column(String(32))
    client_address: Mapped[str] = mapped_column(String(64), default="")

    user: Mapped[User] = relationship()


class ApiToken(Model):
    """A bearer token for integrations; acts with its owner's role and scope."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    prefix: Mapped[str] = mapped_column(String(12))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())  # every token expires
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Why it ended: "owner" (revoked by hand), "password_change", "disabled", "role_change".
    revoked_reason: Mapped[str | None] = mapped_column(String(32))

    user: Mapped[User] = relationship()


class ActivationCode(Model):
    """A one-time code an institution hands to a person so they can open their own trainee
    account; only its hash is kept, and it expires."""

    __tablename__ = "activation_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    issued_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    person: Mapped[Person] = relationship()
