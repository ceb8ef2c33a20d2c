"""Rows of the running batches: enrolments, attendance marks (COPY on PostgreSQL, about
3,000,000 at scale 1), results with their completion certificates in the verification
registry (the facts training.completion.completion_facts freezes), and follow-ups."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from flask_babel import force_locale, gettext

from trainhub.cli.province.bulk import Bulk
from trainhub.cli.province.compat import FAMILY_SEATS
from trainhub.cli.province.enrolments import attended_hours
from trainhub.cli.province.world import MARK_CODES, BatchRec, EnrolRec, World
from trainhub.core.documents.models import Verification
from trainhub.core.errors import N_
from trainhub.core.i18n import local_date
from trainhub.core.idnumbers import mask_id
from trainhub.training.completion import DOCUMENT_KIND, certificate_obtained
from trainhub.training.display import (
    CATEGORY_LABELS,
    TRAINING_TYPE_LABELS,
    number,
)
from trainhub.training.models import Attendance, Completion, Enrolment, FollowUp

ATTENDANCE_COLUMNS = ("enrolment_id", "session_id", "status", "marked_by_id", "marked_at")


def write_enrolments(world: World, bulk: Bulk) -> None:
    def rows() -> Iterator[dict[str, Any]]:
        for e in world.enrolments:
            yield {"id": e.id, "batch_id": e.batch.id, "person_id": e.person.id,
                   "status": e.status, "source": e.source, "applied_at": e.applied_at,
                   "decided_at": e.decided_at, "decided_by_id": e.decided_by,
                   "decision_note": e.note, "withdrawn_at": e.withdrawn_at,
                   "employed_at_enrolment": e.person.employment != "unemployed",
                   **({"family_relation": e.family_relation,
                       "family_cert_number": e.family_cert if e.family_relation else None}
                      if FAMILY_SEATS else {})}
    bulk.done("training_enrolments",
              bulk.insert(Enrolment.__table__, rows()))


def write_attendance(world: World, bulk: Bulk) -> None:
    """The sheet of a session is marked at once, a little after it ends, by the batch's
    staff (training.attendance.mark_session stamps every mark of the sheet alike)."""
    def rows() -> Iterator[tuple[Any, ...]]:
        for e in world.enrolments:
            if not e.marks:
                continue
            sessions, staff = e.batch.sessions, e.batch.staff_id
            for session, code in zip(sessions, e.marks, strict=True):
                if code:
                    marked = session.ends_at + timedelta(minutes=5 + session.id % 90)
                    yield (e.id, session.id, MARK_CODES[code], staff,
                           world.before_now(marked))
    bulk.done("training_attendance", bulk.copy(
        Attendance.__table__, ATTENDANCE_COLUMNS, rows()))


class _Facts:
    """completion_facts in Chinese, the certificate's language, the per-batch part once."""

    def __init__(self) -> None:
        self.batches: dict[int, tuple[list[list[str]], str]] = {}

    def of(self, enrolment: EnrolRec) -> list[list[str]]:
        batch, completion = enrolment.batch, enrolment.completion
        assert completion is not None
        middle, planned = self.batches.get(batch.id) or self._batch(batch)
        facts = [[N_("Name"), enrolment.person.name],
                 [N_("Resident ID"), mask_id(enrolment.person.id_number)],
                 *middle,
                 [N_("Hours attended"), gettext("%(attended)s of %(planned)s planned hours",
                                                attended=number(attended_hours(enrolment)),
                                                planned=planned)],
                 [N_("Assessment"), gettext("Passed")]]
        if completion.certificate_type:
            facts.append([N_("Certificate obtained"), certificate_obtained(
                completion.certificate_type, completion.certificate_level)])
        return facts

    def _batch(self, batch: BatchRec) -> tuple[list[list[str]], str]:
        middle = [[N_("Training institution"), batch.base.institution.name],
                  [N_("Batch"), batch.title], [N_("Occupation"), batch.occupation],
                  [N_("Category"), str(CATEGORY_LABELS[batch.category])],
                  [N_("Training type"), str(TRAINING_TYPE_LABELS[batch.training_type])],
                  [N_("Training period"), f"{local_date(batch.start)} – "
                                          f"{local_date(batch.end)}"]]
        self.batches[batch.id] = (middle, number(batch.planned_hours))
        return self.batches[batch.id]


def write_completions(world: World, bulk: Bulk) -> None:
    done = [e for e in world.enrolments if e.completion is not None]
    ids = bulk.ids(Completion.__table__, len(done))
    facts = _Facts()
    with force_locale("zh_Hans_CN"):
        documents = []
        for e in done:
            c = e.completion
            assert c is not None
            if c.verification_code:
                documents.append({
                    "id": bulk.next_id(Verification.__table__),
                    "code": c.verification_code, "kind": DOCUMENT_KIND, "document_number": None,
                    "facts": facts.of(e), "valid_from": c.assessed_on, "valid_until": None,
                    "status": "valid", "status_reason": None, "issuer": None,
                    "region_code": e.batch.region, "issued_at": c.recorded_at,
                    "updated_at": c.recorded_at})
    bulk.done("verifications (completions)", bulk.insert(
        Verification.__table__, documents))

    def rows() -> Iterator[dict[str, Any]]:
        for e, completion_id in zip(done, ids, strict=True):
            c = e.completion
            assert c is not None
            yield {"id": completion_id, "enrolment_id": e.id, "passed": c.passed,
                   "certificate_type": c.certificate_type,
                   "certificate_level": c.certificate_level,
                   "certificate_number": c.certificate_number,
                   "certificate_date": c.certificate_date, "assessed_on": c.assessed_on,
                   "verification_code": c.verification_code,
                   "recorded_by_id": e.batch.staff_id, "recorded_at": c.recorded_at}
    bulk.done("training_completions",
              bulk.insert(Completion.__table__, rows()))


def write_followups(bulk: Bulk, rows: list[dict[str, Any]]) -> None:
    ids = bulk.ids(FollowUp.__table__, len(rows))
    for row, followup_id in zip(rows, ids, strict=True):
        row["id"] = followup_id
    bulk.done("training_followups",
              bulk.insert(FollowUp.__table__, rows))

