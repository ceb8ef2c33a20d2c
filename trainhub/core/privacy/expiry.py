"""Which people are past retention: nothing of theirs has happened since the cutoff.

The last use of a person's data is the latest of: the record's creation or correction, an
enrolment (applied, decided, withdrawn, or its batch still running), a subsidy decision or
its payment, a voucher (issued, used, or still valid), a competition entry (registered, or
its competition not yet over), an invitation, an activation code, and a consent. Told as
SQL (NOT EXISTS per table), so one UPDATE can select the people itself.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, Select, and_, exists, not_, or_, select

from trainhub.competitions.models import Competition, Entry, EntryMember, Event
from trainhub.core.accounts.models import ActivationCode
from trainhub.core.people.models import Person
from trainhub.core.privacy.models import Consent
from trainhub.subsidies.models import Decision, Payment, Voucher
from trainhub.training.models import Batch, Enrolment, Invitation


def _training(cutoff: datetime) -> ColumnElement[bool]:
    day = cutoff.date()
    return exists().where(
        Enrolment.person_id == Person.id, Batch.id == Enrolment.batch_id,
        or_(Enrolment.applied_at >= cutoff, Enrolment.decided_at >= cutoff,
            Enrolment.withdrawn_at >= cutoff, Batch.end_date >= day))


def _subsidies(cutoff: datetime) -> list[ColumnElement[bool]]:
    return [
        exists().where(Decision.person_id == Person.id,
                       or_(Decision.computed_at >= cutoff, Decision.submitted_at >= cutoff,
                           Decision.decided_at >= cutoff)),
        exists().where(Decision.person_id == Person.id, Payment.decision_id == Decision.id,
                       Payment.recorded_at >= cutoff),
        exists().where(Voucher.person_id == Person.id,
                       or_(Voucher.issued_at >= cutoff, Voucher.claimed_at >= cutoff,
                           Voucher.redeemed_at >= cutoff, Voucher.settled_at >= cutoff,
                           Voucher.valid_until >= cutoff.date())),
    ]


def _competitions(cutoff: datetime) -> ColumnElement[bool]:
    return exists().where(
        EntryMember.person_id == Person.id, Entry.id == EntryMember.entry_id,
        Event.id == Entry.event_id, Competition.id == Event.competition_id,
        or_(Entry.registered_at >= cutoff, Competition.ends_on >= cutoff.date()))


def _others(cutoff: datetime) -> list[ColumnElement[bool]]:
    return [
        exists().where(Invitation.person_id == Person.id, Invitation.created_at >= cutoff),
        exists().where(ActivationCode.person_id == Person.id,
                       ActivationCode.created_at >= cutoff),
        exists().where(Consent.person_id == Person.id,
                       or_(Consent.given_at >= cutoff, Consent.withdrawn_at >= cutoff)),
    ]


def expired(cutoff: datetime) -> ColumnElement[bool]:
    """People not yet anonymised whose data was last used before `cutoff`."""
    used_since = [_training(cutoff), *_subsidies(cutoff), _competitions(cutoff),
                  *_others(cutoff)]
    return and_(Person.anonymised_at.is_(None), Person.created_at < cutoff,
                Person.updated_at < cutoff, *(not_(clause) for clause in used_since))


def expired_ids(condition: ColumnElement[bool]) -> Select[int]:
    return select(Person.id).where(condition)
