"""One-time activation codes: an institution hands one to a person, who opens their own
trainee account with it and their resident ID number.

A code is 12 characters from an alphabet without look-alikes (no 0/O, 1/I/L), about 59 bits:
far beyond guessing under the rate limits. Only its SHA-256 is stored. An unknown code, a
code with another person's ID number and a code paused after repeated wrong ID numbers all
get one answer; only with the right ID number does the person hear that the code expired or
was used. Services flush and audit; the view commits.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from trainhub.core import idnumbers
from trainhub.core.accounts import claims
from trainhub.core.accounts.models import ActivationCode, User
from trainhub.core.accounts.services import SecuritySettings, user_region
from trainhub.core.audit.models import Outcome
from trainhub.core.audit.service import record
from trainhub.core.errors import N_, Checks, DomainError
from trainhub.core.people.models import Person
from trainhub.core.people.services import InvalidIdentity, id_index
from trainhub.core.privacy import consent
from trainhub.core.privacy.models import Method
from trainhub.extensions import db

ACTION = "account.activate"
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 12
GROUP = 4

CODE_REFUSED = N_(
    "The activation code and the resident ID number do not belong together. Check both; "
    "the code is on the slip your training institution gave you. After several wrong "
    "attempts the code stops working, and the institution can give you a new one.")


class CodeRefused(claims.ClaimRefused):
    def __init__(self) -> None:
        super().__init__(CODE_REFUSED)


class CodeNoLongerValid(DomainError):
    """The right person, but the code was used, replaced or has expired."""


@dataclass(frozen=True)
class ActivationInput:
    code: str
    id_number: str
    username: str
    password: str
    consented: bool = False  # PIPL 单独同意, ticked on the page
    guardian: consent.Guardian | None = None  # for a person under 18


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def normalize(typed: str) -> str:
    """Full-width forms folded, separators (spaces, hyphens) dropped, upper-cased: people
    copy the groups as printed, some with a Chinese input method on."""
    folded = unicodedata.normalize("NFKC", typed)
    return "".join(c for c in folded if c.isascii() and c.isalnum()).upper()


def grouped(code: str) -> str:
    """ABCD-EFGH-JKMN, as printed on the slip."""
    return "-".join(code[i:i + GROUP] for i in range(0, len(code), GROUP))


def _new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


# --- issuing ---------------------------------------------------------------------------

def issue(person: Person, by: User, settings: claims.ClaimSettings, now: datetime,
          context: dict[str, object] | None = None) -> tuple[ActivationCode, str]:
    """A new code for a person without an account; the clear code is returned once. Earlier
    unused codes of the person stop working (their expiry is set to now)."""
    if claims.has_account(person):
        raise DomainError("This person already has an account.")
    replaced = db.session.execute(
        update(ActivationCode)
        .where(ActivationCode.person_id == person.id, ActivationCode.used_at.is_(None),
               ActivationCode.expires_at > now)
        .values(expires_at=now)
    ).rowcount  # type: ignore[attr-defined]
    code = _new_code()
    row = ActivationCode(person_id=person.id, code_hash=_hash(code), issued_by_id=by.id,
                         created_at=now, expires_at=now + settings.code_lifetime)
    db.session.add(row)
    db.session.flush()
    record("account.activation_code_issue", actor=by, object_type="person",
           object_id=person.id, region_code=person.household_region_code,
           details={"code_id": row.id, "expires_at": row.expires_at.isoformat(),
                    "replaced": replaced, **(context or {})})
    return row, code


def holder(code: str, id_number: str, now: datetime) -> Person | None:
    """The person a code still unused and unexpired was issued to, when the resident ID
    number is theirs; None otherwise (one answer for an unknown code, another person's
    number, a used or expired code). Used by staff enrolling a person who shows them their
    code, as proof that the person agrees."""
    normalised = normalize(code)
    if len(normalised) != LENGTH:
        return None
    row = db.session.scalar(select(ActivationCode).where(
        ActivationCode.code_hash == _hash(normalised)))
    if (row is None or row.used_at is not None or row.expires_at <= now
            or not hmac.compare_digest(row.person.id_number_index, id_index(id_number))):
        return None
    return row.person


# --- activating ------------------------------------------------------------------------

def _parse_code(data: ActivationInput) -> str:
    """The normalised code; answers depend only on what was typed."""
    code = normalize(data.code)
    if len(code) != LENGTH or any(c not in ALPHABET for c in code):
        raise claims.FieldProblem("code", [N_(
            "An activation code has 12 letters and digits, e.g. ABCD-EFGH-JKMN. It contains "
            "no 0, 1, I, L or O.")])
    return code


def _parse_id(data: ActivationInput, today: date) -> str:
    """The normalised ID number; answers depend only on what was typed."""
    try:
        resident = idnumbers.parse_resident_id(data.id_number, today)
    except idnumbers.IdNumberError as error:
        raise claims.FieldProblem("id_number", [InvalidIdentity("id_number", error).message]
                                  ) from error
    return resident.number


def _check_code(row: ActivationCode | None, id_number: str, now: datetime,
                settings: claims.ClaimSettings) -> ActivationCode:
    if row is None:
        claims.refuse(ACTION, "unknown_code")
        raise CodeRefused()
    if claims.failures_against(ACTION, "activation_code", row.id, now, settings) \
            >= settings.max_failures:
        claims.refuse(ACTION, "paused", outcome=Outcome.DENIED, object_type="activation_code",
                      object_id=row.id)
        raise CodeRefused()
    if not hmac.compare_digest(row.person.id_number_index, id_index(id_number)):
        claims.refuse(ACTION, "id_mismatch", object_type="activation_code", object_id=row.id)
        raise CodeRefused()
    # From here on the person is who the code was issued to: they may hear its state.
    _refuse_if_spent(row, now)
    return row


def _refuse_if_spent(row: ActivationCode, now: datetime) -> None:
    if row.used_at is not None:
        claims.refuse(ACTION, "used", outcome=Outcome.DENIED, person=row.person,
                      details={"code_id": row.id})
        raise CodeNoLongerValid(N_("This activation code has already been used. Sign in "
                                   "with the account it opened."))
    if claims.has_account(row.person):
        claims.refuse(ACTION, "has_account", outcome=Outcome.DENIED, person=row.person)
        raise claims.AlreadyHasAccount()
    if row.expires_at <= now:
        claims.refuse(ACTION, "expired", outcome=Outcome.DENIED, person=row.person,
                      details={"code_id": row.id})
        raise CodeNoLongerValid(N_("This activation code is no longer valid: it has expired "
                                   "or a newer code was issued. Ask your training "
                                   "institution for a new one."))


def _spend(row: ActivationCode, now: datetime) -> bool:
    """Mark the code used, if nobody did first: of two submissions at the same moment only
    one UPDATE finds the code still unused (the other waits for the row lock, then finds
    it used)."""
    done = db.session.execute(
        update(ActivationCode)
        .where(ActivationCode.id == row.id, ActivationCode.used_at.is_(None),
               ActivationCode.expires_at > now)
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount  # type: ignore[attr-defined]
    return bool(done == 1)


def activate(data: ActivationInput, security: SecuritySettings,
             settings: claims.ClaimSettings, today: date, now: datetime) -> User:
    """The trainee account the code opens. Raises FieldProblem, CodeRefused,
    CodeNoLongerValid or AlreadyHasAccount."""
    checks = Checks()  # what was typed, every field to correct in one answer
    code = claims.collect(checks, lambda: _parse_code(data))
    id_number = claims.collect(checks, lambda: _parse_id(data, today))
    username = claims.collect(checks, lambda: claims.check_new_account(data.username,
                                                                       data.password))
    claims.collect(checks, lambda: _check_consent(data))
    checks.done()
    assert code is not None and id_number is not None and username is not None
    row = _check_code(db.session.scalar(
        select(ActivationCode).where(ActivationCode.code_hash == _hash(code))),
        id_number, now, settings)
    # The code's person is known from here: under 18, their guardian agrees for them.
    consent.check_guardian(row.person.birth_date, data.guardian, today)
    try:
        with db.session.begin_nested():
            if not _spend(row, now):
                raise _Lost()
            # The unique person_id of accounts is the last guard (a registration at the
            # same moment).
            user = claims.open_account(row.person, username, data.password, security)
    except _Lost:
        db.session.refresh(row)
        _refuse_if_spent(row, now)
        raise CodeRefused() from None  # unreachable unless the row changed otherwise
    except IntegrityError:
        claims.explain_clash(row.person)
        raise
    record(ACTION, actor=user, object_type="user", object_id=user.id,
           region_code=user_region(user),
           details={"code_id": row.id, "issued_by_id": row.issued_by_id,
                    "person_id": row.person_id})
    # The account processes disability and ID data: the person's own consent, online.
    consent.give(row.person, user, Method.ONLINE, guardian=data.guardian)
    return user


def _check_consent(data: ActivationInput) -> None:
    """Asked of everyone activating (PIPL Art. 29): a paper consent the institution recorded
    does not stand in for the person's own agreement to the account."""
    if not data.consented:
        raise claims.FieldProblem(consent.CONSENT_FIELD, [consent.MISSING])


class _Lost(Exception):
    """Another request used the code between our check and our update."""
