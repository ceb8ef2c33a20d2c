"""Giving, checking and withdrawing consent. Services flush and audit; views commit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import insert, select

from trainhub.core.accounts.models import User
from trainhub.core.audit.service import record, record_many
from trainhub.core.errors import N_, Conflict, DomainError, Problems
from trainhub.core.people.models import Person
from trainhub.core.privacy import notice
from trainhub.core.privacy.models import SENSITIVE_TRAINING, Consent, Method
from trainhub.core.sets import chunks
from trainhub.core.timeutil import local_today, utcnow
from trainhub.extensions import db

CONSENT_FIELD = "consent"
MISSING = N_("Tick the box to agree to the processing of your sensitive personal "
             "information; without your agreement the application cannot be made.")
MISSING_RENEWAL = N_("Tick the box to agree to the new notice, or choose “Not now” to "
                     "continue under the notice you agreed to before.")
MISSING_LIST = N_("Confirm that every person in the file signed the paper notice of consent; "
                  "without their consent they cannot be enrolled.")
MISSING_PAPER = N_("Confirm that the person signed the paper notice of consent; without "
                   "their consent they cannot be enrolled.")


# PIPL Art. 31: the personal information of a minor is processed with the consent of their
# parent or other guardian. Civil Code Art. 17: adulthood at 18.
ADULT_AGE = 18
GUARDIAN_NAME_FIELD, GUARDIAN_RELATION_FIELD = "guardian_name", "guardian_relation"
GUARDIAN_RELATIONS = {"parent": N_("Parent"), "grandparent": N_("Grandparent"),
                      "other": N_("Other guardian")}
GUARDIAN_NAME_MISSING = N_("The person is under 18: give the name of the parent or guardian "
                           "who agrees on their behalf.")
GUARDIAN_RELATION_MISSING = N_("The person is under 18: choose how the guardian who agrees is "
                               "related to them.")


@dataclass(frozen=True)
class Guardian:
    """Who agreed on behalf of a person under 18."""

    name: str
    relation: str  # a key of GUARDIAN_RELATIONS


def guardian_from(name: str | None, relation: str | None) -> Guardian | None:
    """The guardian typed on a form; None when both fields are empty."""
    name, relation = (name or "").strip(), (relation or "").strip()
    return Guardian(name, relation) if name or relation else None


def is_minor(birth_date: date | None, today: date) -> bool:
    if birth_date is None:
        return False
    years = today.year - birth_date.year - ((today.month, today.day)
                                            < (birth_date.month, birth_date.day))
    return years < ADULT_AGE


def check_guardian(birth_date: date | None, guardian: Guardian | None,
                   today: date | None = None) -> Guardian | None:
    """The guardian to record: required (both fields) for a person under 18 on `today`,
    refused on the fields that are missing; None for an adult (nothing asked)."""
    if not is_minor(birth_date, today or local_today()):
        return None
    found = []
    if guardian is None or not guardian.name:
        found.append(DomainError(GUARDIAN_NAME_MISSING).on(GUARDIAN_NAME_FIELD))
    if guardian is None or guardian.relation not in GUARDIAN_RELATIONS:
        found.append(DomainError(GUARDIAN_RELATION_MISSING).on(GUARDIAN_RELATION_FIELD))
    if found:
        raise Problems(found)  # each on its field, one or both
    return guardian


class ConsentMissing(DomainError):
    """No active consent and none given now: the field to tick is named."""

    def __init__(self, message: str = MISSING) -> None:
        super().__init__(message)
        self.on(CONSENT_FIELD)


def active(person_id: int, purpose: str = SENSITIVE_TRAINING) -> Consent | None:
    """The person's consent in force (the latest given and not withdrawn)."""
    return db.session.scalar(
        select(Consent).where(Consent.person_id == person_id, Consent.purpose == purpose,
                              Consent.withdrawn_at.is_(None))
        .order_by(Consent.given_at.desc(), Consent.id.desc()).limit(1))


def current(person_id: int, purpose: str = SENSITIVE_TRAINING) -> Consent | None:
    """The person's consent in force if it names the notice in force; None when there is
    none, or it names an older notice (a new application needs the new one: PIPL Art. 14)."""
    found = active(person_id, purpose)
    return found if found is not None and found.notice_version == notice.CURRENT.version \
        else None


def give(person: Person, by: User, method: Method,
         purpose: str = SENSITIVE_TRAINING, guardian: Guardian | None = None) -> Consent:
    """Record consent to the current notice; an active one to the same version is kept. For
    a person under 18 it is their guardian's, named (else GUARDIAN_* problems)."""
    version = notice.CURRENT.version  # read now: a new notice replaces CURRENT
    found = active(person.id, purpose)
    if found is not None and found.notice_version == version:
        return found
    guardian = check_guardian(person.birth_date, guardian)
    made = Consent(person_id=person.id, purpose=purpose, notice_version=version,
                   method=method.value, recorded_by_id=by.id, given_at=utcnow(),
                   guardian_name=guardian.name if guardian else None,
                   guardian_relation=guardian.relation if guardian else None)
    db.session.add(made)
    db.session.flush()
    record("privacy.consent_give", actor=by, object_type="person", object_id=person.id,
           region_code=person.household_region_code,
           details={"consent": made.id, "purpose": purpose, "notice_version": made.notice_version,
                    "method": made.method, "recorded_by": by.id,
                    **({"guardian_relation": guardian.relation} if guardian else {})})
    return made


def give_many(person_ids: Sequence[int], by: User, method: Method, version: str,
              region_code: str | None = None, purpose: str = SENSITIVE_TRAINING) -> int:
    """give() for many people at once (an import), set-based: one read of those who have
    consented to `version` already (a chunk at a time), one multi-row INSERT and one bulk
    audit insert. Returns how many consents were recorded."""
    already: set[int] = set()
    for chunk in chunks(sorted(set(person_ids))):
        already.update(db.session.scalars(select(Consent.person_id).where(
            Consent.person_id.in_(chunk), Consent.purpose == purpose,
            Consent.notice_version == version, Consent.withdrawn_at.is_(None))))
    now = utcnow()
    rows = [{"person_id": pid, "purpose": purpose, "notice_version": version,
             "method": method.value, "recorded_by_id": by.id, "given_at": now}
            for pid in dict.fromkeys(person_ids) if pid not in already]
    if rows:
        db.session.execute(insert(Consent), rows)
        record_many("privacy.consent_give", (
            ("person", row["person_id"], {"purpose": purpose, "notice_version": version,
                                           "method": method.value, "recorded_by": by.id})
            for row in rows), region_code=region_code, actor=by)
    return len(rows)


def ensure(person: Person, by: User, ticked: bool, method: Method = Method.ONLINE,
           guardian: Guardian | None = None) -> None:
    """Before processing a new application: the consent ticked now, or one in force to the
    notice in force (one to an older notice is asked again)."""
    if ticked:
        give(person, by, method, guardian=guardian)
    elif current(person.id) is None:
        raise ConsentMissing(MISSING if method == Method.ONLINE else MISSING_PAPER)


def withdraw(consent: Consent, by: User) -> None:
    """PIPL Art. 15: stops further processing for new applications; what was done before
    stays lawful and recorded."""
    if consent.withdrawn_at is not None:
        raise Conflict(N_("This consent has already been withdrawn."))
    consent.withdrawn_at, consent.withdrawn_by_id = utcnow(), by.id
    db.session.flush()
    person = db.session.get(Person, consent.person_id)
    record("privacy.consent_withdraw", actor=by, object_type="person",
           object_id=consent.person_id,
           region_code=person.household_region_code if person else None,
           details={"consent": consent.id, "purpose": consent.purpose,
                    "notice_version": consent.notice_version})


def history(person_id: int) -> list[Consent]:
    return list(db.session.scalars(select(Consent).where(Consent.person_id == person_id)
                                   .order_by(Consent.given_at.desc(), Consent.id.desc())))
