"""QR check-in to a session (issue 16 item 4). Staff open a session's check-in and show a
code in the room as a QR; a trainee signed in on their phone opens its link and checks in
('checked in, awaiting confirmation'); staff confirm the list, which marks them present.

A code is signed (itsdangerous, with the app's secret) and names the session, the moment
its check-in was opened and the moment the code was shown; it is valid CODE_MINUTES from
then, and the page showing it draws a new one before that (so a photo of the screen sent
away stops working soon). Turning check-in off (for the session or the whole batch) voids
every code shown, as does opening it again (another opening moment).

Refused: a code not ours, expired or of check-in turned off since; a session not today; a
trainee not admitted to the batch. Each step is audited. Services flush; the caller
commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import and_, select, update

from trainhub.core.accounts.models import User
from trainhub.core.audit.models import Outcome
from trainhub.core.audit.service import record
from trainhub.core.errors import N_, Conflict, DomainError
from trainhub.core.people.models import Person
from trainhub.core.timeutil import to_local
from trainhub.extensions import db
from trainhub.training import attendance
from trainhub.training.catalog import EnrolmentStatus
from trainhub.training.models import Batch, Checkin, Enrolment, Session

CODE_MINUTES = 10
REDRAW_SECONDS = 120  # the staff page draws a new code this often
_SALT = "training-checkin"

EXPIRED = N_("This check-in code has expired or check-in was turned off. Scan the code "
             "shown in the room now.")
NOT_TODAY = N_("Check-in is open only on the day of the session.")
NOT_ADMITTED = N_("You do not hold a seat in this batch, so you cannot check in to it.")
ALREADY = N_("You have already checked in to this session.")


@dataclass(frozen=True)
class Code:
    session_id: int
    opened: int   # the check-in's opening moment, epoch seconds
    shown: int    # when this code was drawn, epoch seconds


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(str(current_app.secret_key), salt=_SALT)


def _epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def is_today(session: Session, now: datetime) -> bool:
    return to_local(session.starts_at).date() == to_local(now).date()


def _audit(action: str, session: Session, outcome: Outcome = Outcome.SUCCESS,
           **details: object) -> None:
    record(action, outcome=outcome, object_type="training_session", object_id=session.id,
           region_code=session.batch.region_code, details={"batch": session.batch_id, **details})


# --- staff: open, show, turn off ---------------------------------------------------------

def open_checkin(session: Session, by: User, now: datetime) -> None:
    if session.batch.status not in attendance.MARKABLE_BATCH:
        raise Conflict(N_("Attendance is marked while the batch runs."))
    if not is_today(session, now):
        raise DomainError(NOT_TODAY)
    session.checkin_opened_at = now
    db.session.flush()
    _audit("training_checkin.open", session)


def close_checkin(session: Session, by: User) -> None:
    session.checkin_opened_at = None
    db.session.flush()
    _audit("training_checkin.close", session)


def close_batch(batch: Batch, by: User) -> int:
    """Check-in off for every session of the batch (one UPDATE); returns how many were on."""
    done = db.session.execute(update(Session).where(
        Session.batch_id == batch.id, Session.checkin_opened_at.is_not(None))
        .values(checkin_opened_at=None).execution_options(synchronize_session="fetch"))
    count = int(done.rowcount or 0)  # type: ignore[attr-defined]
    record("training_checkin.close_batch", object_type="training_batch", object_id=batch.id,
           region_code=batch.region_code, details={"batch": batch.id, "sessions": count})
    return count


def code_for(session: Session, now: datetime) -> str:
    """The code to show now; only while check-in is open."""
    if session.checkin_opened_at is None:
        raise Conflict(N_("Check-in is turned off for this session."))
    return str(_serializer().dumps([session.id, _epoch(session.checkin_opened_at),
                                    _epoch(now)]))


# --- the trainee ---------------------------------------------------------------------------

def read_code(token: str, now: datetime) -> Session:
    """The session of a valid code, or DomainError(EXPIRED) for any code not good now
    (forged, too old, from before check-in was turned off or opened again)."""
    try:
        session_id, opened, shown = _serializer().loads(token)
        code = Code(int(session_id), int(opened), int(shown))
    except (BadSignature, TypeError, ValueError):
        raise DomainError(EXPIRED) from None
    age = _epoch(now) - code.shown
    session = db.session.get(Session, code.session_id)
    if (session is None or session.checkin_opened_at is None
            or _epoch(session.checkin_opened_at) != code.opened
            or not 0 <= age <= CODE_MINUTES * 60):
        raise DomainError(EXPIRED)
    return session


def check_in(token: str, person_id: int, now: datetime) -> Checkin:
    """The trainee's check-in, awaiting confirmation. Refusals are audited too (a code
    passed around shows in the log)."""
    try:
        session = read_code(token, now)
    except DomainError:
        record("training_checkin.refused", outcome=Outcome.DENIED,
               object_type="training_session", details={"reason": "code"})
        raise
    if not is_today(session, now):
        _audit("training_checkin.refused", session, Outcome.DENIED, reason="not_today")
        raise DomainError(NOT_TODAY)
    enrolment_id = db.session.scalar(select(Enrolment.id).where(
        Enrolment.batch_id == session.batch_id, Enrolment.person_id == person_id,
        Enrolment.status == EnrolmentStatus.ADMITTED.value))
    if enrolment_id is None:
        _audit("training_checkin.refused", session, Outcome.DENIED, reason="not_admitted",
               person=person_id)
        raise DomainError(NOT_ADMITTED)
    if db.session.scalar(select(Checkin.id).where(Checkin.session_id == session.id,
                                                  Checkin.enrolment_id == enrolment_id)):
        raise Conflict(ALREADY)
    made = Checkin(session_id=session.id, enrolment_id=enrolment_id, checked_in_at=now)
    db.session.add(made)
    db.session.flush()
    _audit("training_checkin.check_in", session, enrolment=enrolment_id)
    return made


# --- staff: the list and its confirmation ----------------------------------------------------

def checkins(session: Session) -> list[tuple[Checkin, str]]:
    """The session's check-ins with the trainee's name, in the order they came (one
    statement)."""
    return [(c, name) for c, name in db.session.execute(
        select(Checkin, Person.name).join(Enrolment, Enrolment.id == Checkin.enrolment_id)
        .join(Person, Person.id == Enrolment.person_id)
        .where(Checkin.session_id == session.id)
        .order_by(Checkin.checked_in_at, Checkin.id))]


def confirm(session: Session, by: User, now: datetime) -> int:
    """Every check-in awaiting confirmation is confirmed and its trainee marked present
    where not marked yet (a mark given stays: changing it is a correction). Set-based: one
    INSERT … SELECT and one UPDATE whatever the number. Returns how many were confirmed."""
    attendance.refuse_unmarkable(session, now)
    waiting = and_(Checkin.session_id == session.id, Checkin.confirmed_at.is_(None))
    attendance.mark_unmarked_present(session, by, now,
                                     only=select(Checkin.enrolment_id).where(waiting))
    done = db.session.execute(update(Checkin).where(waiting)
                              .values(confirmed_at=now, confirmed_by_id=by.id)
                              .execution_options(synchronize_session=False))
    count = int(done.rowcount or 0)  # type: ignore[attr-defined]
    _audit("training_checkin.confirm", session, confirmed=count)
    return count
