"""Issue, look up and change the status of verifiable documents.

Services flush and audit but never commit: the caller commits the document and its audit
row together (for a certificate, in the same transaction as the result it certifies).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable, Sequence
from datetime import date

from flask import current_app, url_for
from flask_babel import gettext
from sqlalchemy import insert, select

from trainhub.core.audit.service import record, record_many
from trainhub.core.documents.models import EXPIRED, Verification, VerificationStatus
from trainhub.core.errors import N_, Conflict, DomainError
from trainhub.core.timeutil import utcnow
from trainhub.extensions import db

# 18 random bytes = 144 bits, exactly 24 URL-safe base64 characters (no padding).
CODE_BYTES = 18
CODE_RE = re.compile(r"[A-Za-z0-9_-]{16,64}")
KIND_RE = re.compile(r"[a-z][a-z0-9_]{0,31}")
MAX_REASON = 200
MAX_VALUE = 500

PROVINCE_FEDERATION = N_("Jiangxi Disabled Persons' Federation")

# (label msgid, value), as a tuple or a list: the label is translated where shown; the
# value is frozen as text.
Fact = Sequence[object]


def new_code() -> str:
    """A fresh verification code: random, with no personal data and no sequence in it."""
    return secrets.token_urlsafe(CODE_BYTES)


def _frozen_facts(facts: Iterable[Fact]) -> list[list[str]]:
    frozen: list[list[str]] = []
    for fact in facts:
        label, value = fact
        if not isinstance(label, str) or not label.strip():  # msgids are never blank
            raise DomainError(N_("Every certified fact needs a label."))
        text = "" if value is None else str(value)
        if len(text) > MAX_VALUE:
            raise DomainError(N_("A certified fact is too long."))
        frozen.append([label, text])
    if not frozen:
        raise DomainError(N_("A document must certify at least one fact."))
    return frozen


def _checked(kind: str, valid_from: date | None, valid_until: date | None) -> None:
    if not KIND_RE.fullmatch(kind):
        raise ValueError(f"document kind must be a short snake_case name, not {kind!r}")
    if valid_from and valid_until and valid_until < valid_from:
        raise DomainError(N_("The end of validity cannot be before its start."))


def issue(
    kind: str,
    facts: Iterable[Fact],
    *,
    document_number: str | None = None,
    valid_from: date | None = None,
    valid_until: date | None = None,
    region_code: str | None = None,
    issuer: str | None = None,
) -> Verification:
    """Register a document: freeze its facts behind a new code, flush, and audit. `issuer`:
    the authority in whose name it is issued (default: the provincial federation)."""
    _checked(kind, valid_from, valid_until)
    verification = Verification(
        code=new_code(), kind=kind, facts=_frozen_facts(facts),
        document_number=document_number or None, valid_from=valid_from,
        valid_until=valid_until, status=VerificationStatus.VALID.value,
        region_code=region_code, issuer=issuer or None,
    )
    db.session.add(verification)
    db.session.flush()
    # The facts stay out of the log: they may name a person, and the row keeps them.
    record("document.issue", object_type="verification", object_id=verification.id,
           region_code=region_code,
           details={"kind": kind, "document_number": document_number or ""})
    return verification


def issue_many(kind: str, facts: Sequence[Iterable[Fact]], *, valid_from: date | None = None,
               valid_until: date | None = None, region_code: str | None = None,
               issuer: str | None = None) -> list[str]:
    """`issue` for a set of documents of one kind (a publication's award certificates): one
    bulk insert, one bulk audit insert; the codes in the order of `facts`."""
    _checked(kind, valid_from, valid_until)
    now = utcnow()
    rows = [{"code": new_code(), "kind": kind, "facts": _frozen_facts(f),
             "document_number": None, "valid_from": valid_from, "valid_until": valid_until,
             "status": VerificationStatus.VALID.value, "region_code": region_code,
             "issuer": issuer or None, "issued_at": now, "updated_at": now} for f in facts]
    if not rows:
        return []
    made = db.session.execute(
        insert(Verification).returning(Verification.id, Verification.code,
                                       sort_by_parameter_order=True), rows).all()
    record_many("document.issue", (("verification", id_, {"kind": kind,
                                                           "document_number": ""})
                                   for id_, _code in made), region_code=region_code)
    return [code for _id, code in made]


def set_status(verification: Verification, status: str, reason: str) -> Verification:
    """Suspend, reinstate or revoke a document. Revocation is final."""
    try:
        new = VerificationStatus(status)
    except ValueError:
        raise DomainError(N_("Unknown document status.")) from None
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(N_("Give the reason for changing the status."))
    if len(reason) > MAX_REASON:
        raise DomainError(N_("The reason is too long (at most %(max)s characters)."),
                          max=MAX_REASON)
    old = verification.status
    if old == VerificationStatus.REVOKED.value:
        raise Conflict(N_("A revoked document cannot be changed. Issue a new one instead."))
    verification.status = new.value
    verification.status_reason = reason
    db.session.flush()
    record("document.status", object_type="verification", object_id=verification.id,
           region_code=verification.region_code,
           details={"kind": verification.kind, "from": old, "to": new.value,
                    "reason": reason})
    return verification


def find(code: str) -> Verification | None:
    """The document with this code, or None (malformed codes never reach the database)."""
    if not CODE_RE.fullmatch(code or ""):
        return None
    return db.session.scalar(select(Verification).where(Verification.code == code))


def current_status(verification: Verification, today: date) -> str:
    """valid, expired, suspended or revoked — as of `today` (the local date in China)."""
    if verification.status != VerificationStatus.VALID.value:
        return verification.status
    if verification.valid_until is not None and today > verification.valid_until:
        return EXPIRED
    return VerificationStatus.VALID.value


def verify_url(code: str) -> str:
    """The absolute address printed on the document and encoded in its QR code.

    PUBLIC_BASE_URL (required in production) fixes the host, so a forged Host header can
    never reach a printed QR code; development falls back to the request's host.
    """
    base = current_app.config.get("PUBLIC_BASE_URL")
    if base:
        return str(base).rstrip("/") + url_for("documents.verify", code=code)
    return url_for("documents.verify", code=code, _external=True)


def issuer_of(verification: Verification) -> str:
    """The authority in whose name the document was issued, as printed and verified."""
    return verification.issuer or gettext(PROVINCE_FEDERATION)
