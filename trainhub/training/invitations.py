"""Staff enrolling a person by resident ID number (issue 12, item 7).

A number tells nothing to the staff who type it: being in the system reveals a disability.
So staff never enrol an existing person by number alone, and never learn whether the number
belongs to anyone:

- with the number alone, the person (if there is one, and they may still apply) is asked on
  their own page (我的培训) to confirm; they confirm, which is their application (every rule of
  enrolment.apply applies then), or decline. The answer to the staff is the same whatever
  the number: unknown, already asked, already enrolled, or asked now.
- with the number and the person's activation code (the slip an institution gave them to
  open their account), the person has shown their agreement by handing over the code: they
  are enrolled at once. A code that does not belong with the number is one refusal, whether
  or not the number exists.

Every lookup is audited (who, which batch, the number masked, what came of it); the API
throttles them per user. Services flush and audit; the caller commits.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from trainhub.core import idnumbers
from trainhub.core.accounts import activation
from trainhub.core.accounts.models import User
from trainhub.core.audit.models import Outcome
from trainhub.core.audit.service import record
from trainhub.core.errors import N_, Conflict, DomainError
from trainhub.core.people.models import Person
from trainhub.core.people.services import InvalidIdentity, find_person_by_number
from trainhub.core.privacy import consent
from trainhub.core.privacy.models import Method
from trainhub.core.timeutil import utcnow
from trainhub.extensions import db
from trainhub.training import enrolment, signals
from trainhub.training.catalog import ACTIVE_ENROLMENT, BatchStatus
from trainhub.training.models import Batch, Enrolment, Invitation

PENDING, ACCEPTED, DECLINED = "pending", "accepted", "declined"

ASKED = N_("If a person with this resident ID number is registered and may still apply, "
           "they are asked to confirm on their own page; their application appears on the "
           "roster once they confirm. A person without an account can be enrolled at once "
           "with the activation code they hold.")
CODE_REFUSED = N_("The activation code and the resident ID number do not belong together, "
                  "or the code is no longer valid. Ask the person for the slip with their "
                  "code, or enrol them by number alone so they confirm themselves.")


class CodeRefused(DomainError):
    def __init__(self) -> None:
        super().__init__(CODE_REFUSED)


def _number(raw: str, today: object) -> str:
    try:
        return idnumbers.parse_resident_id(raw, today).number  # type: ignore[arg-type]
    except idnumbers.IdNumberError as error:
        raise InvalidIdentity("id_number", error) from error


def _audit(batch: Batch, number: str, outcome: str, *, result: Outcome = Outcome.SUCCESS,
           person: Person | None = None) -> None:
    # The person is named only where they agreed (a matching code, or their own answer).
    record("training_enrolment.lookup", outcome=result, object_type="training_batch",
           object_id=batch.id, region_code=batch.region_code,
           details={"batch": batch.id, "id_number": idnumbers.mask_id(number),
                    "outcome": outcome, **({"person": person.id} if person else {})})


FAMILY_WITHOUT_CODE = N_("A family member's relation is given with the activation code the "
                         "person holds; without it, the person declares it when they apply "
                         "on their own page.")


def enrol_by_number(batch: Batch, raw_number: str, by: User, now: datetime,
                    code: str | None = None, relation: str = "",
                    relative_certificate: str = "",
                    paper_consent: bool = False,
                    guardian: consent.Guardian | None = None) -> Enrolment | None:
    """The enrolment made with the person's activation code; None when the person (if any)
    was asked to confirm. Raises DomainError for a refused code, whatever the number. A
    family member's tie (`relation`, `relative_certificate`) comes with the code only: it
    is the person's declaration, shown by the code they handed over."""
    if batch.status != BatchStatus.ENROLLING:
        raise Conflict(N_("This batch is not open for applications."))
    number = _number(raw_number, now.date())
    if not code and (relation or relative_certificate):
        raise DomainError(FAMILY_WITHOUT_CODE).on("activation_code")
    if code:
        person = activation.holder(code, number, now)
        if person is None:
            _audit(batch, number, "code_refused", result=Outcome.DENIED)
            raise CodeRefused()
        _audit(batch, number, "code", person=person)
        family = enrolment.declared_tie(relation, relative_certificate, person, now.date())
        # Staff enrol on the person's behalf: their signed paper consent, or one in force.
        # Under 18: their guardian's, named (PIPL Art. 31).
        consent.ensure(person, by, paper_consent, Method.PAPER, guardian=guardian)
        return enrolment.apply(batch, person, by, source="staff", family=family)
    found = find_person_by_number(number)
    _audit(batch, number, _ask(batch, found, by) if found else "unknown")
    return None


def _ask(batch: Batch, person: Person, by: User) -> str:
    active = db.session.scalar(select(Enrolment.id).where(
        Enrolment.batch_id == batch.id, Enrolment.person_id == person.id,
        Enrolment.status.in_([s.value for s in ACTIVE_ENROLMENT])))
    if active is not None:
        return "already_enrolled"
    invitation = db.session.scalar(select(Invitation).where(
        Invitation.batch_id == batch.id, Invitation.person_id == person.id))
    if invitation is None:
        db.session.add(Invitation(batch_id=batch.id, person_id=person.id, invited_by_id=by.id,
                                  status=PENDING))
    elif invitation.status == PENDING:
        return "already_asked"
    else:  # asked again after an answer: ask again
        invitation.status, invitation.answered_at = PENDING, None
        invitation.invited_by_id, invitation.created_at = by.id, utcnow()
    db.session.flush()
    signals.invited.send(batch, person_id=person.id)
    return "asked"


# --- the person's answer -------------------------------------------------------------------

def pending_for(person_id: int) -> list[Invitation]:
    """Invitations the person has still to answer, to batches still open."""
    return list(db.session.scalars(
        select(Invitation).join(Batch, Batch.id == Invitation.batch_id)
        .where(Invitation.person_id == person_id, Invitation.status == PENDING,
               Batch.status == BatchStatus.ENROLLING.value)
        .order_by(Invitation.created_at, Invitation.id)))


def _answer(invitation: Invitation, status: str, by: User) -> None:
    if invitation.status != PENDING:
        raise Conflict(N_("This invitation has already been answered."))
    invitation.status, invitation.answered_at = status, utcnow()
    db.session.flush()
    record(f"training_invitation.{status}", object_type="training_invitation",
           object_id=invitation.id, region_code=invitation.batch.region_code,
           details={"batch": invitation.batch_id, "by": by.id})


def accept(invitation: Invitation, by: User) -> Enrolment:
    """The person confirms: this is their application, with every rule of apply."""
    made = enrolment.apply(invitation.batch, invitation.person, by, source="staff")
    _answer(invitation, ACCEPTED, by)
    return made


def decline(invitation: Invitation, by: User) -> None:
    _answer(invitation, DECLINED, by)


def answered_by_application(batch: Batch, person: Person, by: User) -> None:
    """The person applied from the course page (a family member declares their relation
    there): a pending invitation to the batch is answered by it."""
    invitation = db.session.scalar(select(Invitation).where(
        Invitation.batch_id == batch.id, Invitation.person_id == person.id,
        Invitation.status == PENDING))
    if invitation is not None:
        _answer(invitation, ACCEPTED, by)
