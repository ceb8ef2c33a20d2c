"""Self-registration of trainees: prove who you are with your name, resident ID number and
disability certificate number, against an existing person record or by creating one.

What a stranger can learn is kept small: answers about the typed numbers themselves (a
checksum) come first and say nothing about records; a record that exists but does not match
gets one generic refusal, the same for a wrong name, a wrong certificate number and a
paused person; only someone who matched all three hears that an account already exists.
Services flush and audit; the view commits (also after a refusal, to keep its audit row).
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from trainhub.core import idnumbers
from trainhub.core.accounts import claims
from trainhub.core.accounts.models import User
from trainhub.core.accounts.services import SecuritySettings, user_region
from trainhub.core.audit.models import Outcome
from trainhub.core.audit.service import record
from trainhub.core.errors import N_, Checks, Conflict
from trainhub.core.people.models import EmploymentStatus, Person
from trainhub.core.people.services import (
    InvalidIdentity,
    PersonInput,
    create_person,
    id_index,
)
from trainhub.core.privacy import consent
from trainhub.core.privacy.models import Method
from trainhub.core.regions import Region, RegionLevel
from trainhub.extensions import db

ACTION = "account.register"

NOT_CONFIRMED = N_(
    "These details could not be confirmed. Check that the name, the resident ID number and "
    "the disability certificate number are exactly as printed on your documents. After "
    "several unsuccessful attempts, registration with these details is paused for a day. "
    "Your training institution can also give you an activation code.")


class IdentityNotConfirmed(claims.ClaimRefused):
    def __init__(self) -> None:
        super().__init__(NOT_CONFIRMED)


@dataclass(frozen=True)
class RegistrationInput:
    name: str
    id_number: str
    cert_number: str
    household_region_code: str
    username: str
    password: str
    consented: bool = False
    guardian: consent.Guardian | None = None  # for a person under 18


@dataclass(frozen=True)
class _Identity:
    resident: idnumbers.ResidentId
    certificate: idnumbers.DisabilityCertificate


def _parse(data: RegistrationInput, today: date) -> _Identity:
    """Checks of what was typed, the same whether or not anyone has these numbers."""
    try:
        resident = idnumbers.parse_resident_id(data.id_number, today)
    except idnumbers.IdNumberError as error:
        raise claims.FieldProblem("id_number", [InvalidIdentity("id_number", error).message]
                                  ) from error
    try:
        certificate = idnumbers.parse_disability_certificate(
            data.cert_number, today, resident_id=resident.number)
    except idnumbers.IdNumberError as error:
        raise claims.FieldProblem("cert_number",
                                  [InvalidIdentity("cert_number", error).message]) from error
    if not data.name.strip():
        raise claims.FieldProblem("name", [N_("Enter your name.")])
    county = db.session.get(Region, data.household_region_code)
    if county is None or county.level != RegionLevel.COUNTY or not county.code.startswith("36"):
        raise claims.FieldProblem("household_region_code",
                                  [N_("Choose your county from the list.")])
    return _Identity(resident, certificate)


def _matches(person: Person, data: RegistrationInput, identity: _Identity) -> bool:
    # Compared through the blind index, so the stored number is never decrypted here; a
    # record without a certificate number cannot be claimed this way (activation code).
    typed = id_index(identity.certificate.number)
    name_ok = claims.same_name(data.name, person.name)
    cert_ok = person.cert_number_index is not None and hmac.compare_digest(
        typed, person.cert_number_index)
    return name_ok and cert_ok


def _claim_existing(person: Person, data: RegistrationInput, identity: _Identity,
                    now: datetime, settings: claims.ClaimSettings) -> None:
    """Refuses unless the person matches and has no account yet."""
    if claims.failures_against(ACTION, "person", person.id, now, settings) \
            >= settings.max_failures:
        claims.refuse(ACTION, "paused", outcome=Outcome.DENIED, person=person)
        raise IdentityNotConfirmed()
    if not _matches(person, data, identity):
        claims.refuse(ACTION, "mismatch", person=person)
        raise IdentityNotConfirmed()
    if claims.has_account(person):
        claims.refuse(ACTION, "has_account", outcome=Outcome.DENIED, person=person)
        raise claims.AlreadyHasAccount()


def _new_person(data: RegistrationInput, identity: _Identity, today: date) -> Person:
    return create_person(PersonInput(
        name=data.name.strip(), id_number=identity.resident.number,
        cert_number=identity.certificate.number, phone=None,
        household_region_code=data.household_region_code,
        employment_status=EmploymentStatus.UNEMPLOYED), today)


def register(data: RegistrationInput, security: SecuritySettings,
             settings: claims.ClaimSettings, today: date, now: datetime) -> User:
    """The new trainee account. Raises FieldProblem, IdentityNotConfirmed,
    AlreadyHasAccount or Conflict (someone registered the same details at that moment)."""
    checks = Checks()  # what was typed, every field to correct in one answer
    parsed = claims.collect(checks, lambda: _parse(data, today))
    free = claims.collect(checks, lambda: claims.check_new_account(data.username,
                                                                   data.password))
    claims.collect(checks, lambda: _check_consent(data))
    checks.done()
    assert parsed is not None and free is not None  # else done() raised
    identity, username = parsed, free
    # Under 18: the guardian agrees for them (PIPL Art. 31), named before anything is made.
    consent.check_guardian(identity.resident.birth_date, data.guardian, today)
    existing = db.session.scalar(
        select(Person).where(Person.id_number_index == id_index(identity.resident.number)))
    if existing is not None:
        _claim_existing(existing, data, identity, now, settings)
    try:
        # The unique person, username and ID index constraints are the last guard against
        # a second request with the same details at the same moment.
        with db.session.begin_nested():
            person = existing or _new_person(data, identity, today)
            user = claims.open_account(person, username, data.password, security)
    except IntegrityError as error:
        if existing is not None:
            claims.explain_clash(existing)
        raise Conflict(N_("These details were used by another registration at the same "
                          "moment. Try to sign in, or register again.")) from error
    record(ACTION, actor=user, object_type="user", object_id=user.id,
           region_code=user_region(user),
           details={"person": "existing" if existing else "created", "person_id": person.id})
    consent.give(person, user, Method.ONLINE, guardian=data.guardian)
    return user


def _check_consent(data: RegistrationInput) -> None:
    """Registration processes disability and ID data: separate consent (PIPL Art. 29)."""
    if not data.consented:
        raise claims.FieldProblem(consent.CONSENT_FIELD, [consent.MISSING])
