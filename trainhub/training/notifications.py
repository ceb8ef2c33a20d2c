"""What the training domain tells trainees, and when: its notification kinds (templates)
and the listeners of its own signals that call core.notifications. Connected by
`connect()` from the domain's setup, not at import."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from trainhub.core.accounts.models import Role, User
from trainhub.core.errors import N_
from trainhub.core.notifications import kinds
from trainhub.core.notifications.service import notify_accounts, notify_people, path_for
from trainhub.extensions import db
from trainhub.training import signals
from trainhub.training.catalog import ACTIVE_ENROLMENT
from trainhub.training.models import Batch, Enrolment

COURSE = ("course",)
kinds.register("training.admitted", N_("You have a seat"),
               N_("You have been admitted to the course %(course)s."), COURSE)
kinds.register("training.waiting", N_("You are on the waiting list"),
               N_("The course %(course)s is full; you are on its waiting list and will be "
                  "told if a seat becomes free."), COURSE)
kinds.register("training.declined", N_("Your application was not accepted"),
               N_("Your application for the course %(course)s was not accepted. The reason "
                  "is on your training page."), COURSE)
kinds.register("training.promoted", N_("A seat became free for you"),
               N_("A seat in the course %(course)s became free and has been given to you "
                  "from the waiting list."), COURSE)
kinds.register("training.invited", N_("You are invited to a course"),
               N_("The institution running the course %(course)s asks you to confirm your "
                  "enrolment. Answer on your training page."), COURSE)
kinds.register("training.removed", N_("You were removed from a course"),
               N_("The institution removed you from the course %(course)s. The reason is on "
                  "your training page."), COURSE)
kinds.register("training.batch_cancelled", N_("A course was cancelled"),
               N_("The course %(course)s, due to start on %(start)s, has been cancelled."),
               ("course", "start"))
kinds.register("training.result_recorded", N_("Your training result was recorded"),
               N_("Your result in the course %(course)s has been recorded. See it, and your "
                  "certificate if you passed, on your training page."), COURSE)

kinds.register("training.batch_approved", N_("A batch was approved"),
               N_("The batch %(course)s, starting on %(start)s, was approved; you may open "
                  "it for applications."), ("course", "start"))
kinds.register("training.batch_returned", N_("A batch was returned for changes"),
               N_("The batch %(course)s was returned for changes; the comments are on its "
                  "page."), COURSE)
kinds.register("training.batch_rejected", N_("A batch was rejected"),
               N_("The batch %(course)s was rejected; the comments are on its page."),
               COURSE)

OUTCOMES = {"admitted": "training.admitted", "waiting": "training.waiting",
            "declined": "training.declined", "promoted": "training.promoted",
            "removed": "training.removed"}


def _mine() -> str:
    return path_for("training.mine")


def on_application_decided(enrolment: Enrolment, outcome: str, **_: Any) -> None:
    notify_people([enrolment.person_id], OUTCOMES[outcome],
                  {"course": enrolment.batch.title}, _mine())


def on_result_recorded(enrolment: Enrolment, **_: Any) -> None:
    notify_people([enrolment.person_id], "training.result_recorded",
                  {"course": enrolment.batch.title}, _mine())


def on_seats_taken_together(batch: Batch, seats: dict[int, int], **_: Any) -> None:
    """Seats given by an import: those who have an account are told, in one INSERT."""
    notify_people(seats.values(), "training.admitted", {"course": batch.title}, _mine())


def on_invited(batch: Batch, person_id: int, **_: Any) -> None:
    notify_people([person_id], "training.invited", {"course": batch.title}, _mine())


def on_batch_reviewed(batch: Batch, outcome: str, **_: Any) -> None:
    """Every active staff account of the batch's institution."""
    params: dict[str, Any] = {"course": batch.title}
    if outcome == "approved":
        params["start"] = batch.start_date
    notify_accounts((User.institution_id == batch.institution_id)
                    & (User.role == Role.INSTITUTION_STAFF.value), f"training.batch_{outcome}",
                    params, path_for("training.batch", batch_id=batch.id))


def on_pending_declined(batch: Batch, person_ids: list[int], **_: Any) -> None:
    notify_people(person_ids, "training.declined", {"course": batch.title}, _mine())


def on_batch_cancelled(batch: Batch, **_: Any) -> None:
    """Everyone who had applied, was waiting or held a seat: one set of INSERTs."""
    people = db.session.scalars(select(Enrolment.person_id).where(
        Enrolment.batch_id == batch.id,
        Enrolment.status.in_([s.value for s in ACTIVE_ENROLMENT])))
    notify_people(people, "training.batch_cancelled",
                  {"course": batch.title, "start": batch.start_date}, _mine())


def connect() -> None:
    signals.application_decided.connect(on_application_decided)
    signals.result_recorded.connect(on_result_recorded)
    signals.pending_declined.connect(on_pending_declined)
    signals.seats_taken_together.connect(on_seats_taken_together)
    signals.invited.connect(on_invited)
    signals.batch_reviewed.connect(on_batch_reviewed)
    signals.batch_cancelled.connect(on_batch_cancelled)
