"""POST /subsidies/explain: both subsidies of a claim sent as JSON, computed by the engine
with the parameter values stored in force, with the full trace and the explanation. Like
OpenFisca's /calculate, it stores nothing (nor does it mark the values as used)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

from trainhub.core import policy
from trainhub.core.errors import N_, DomainError
from trainhub.core.timeutil import local_today
from trainhub.subsidies import claims, decisions, engine
from trainhub.subsidies.api import READ, bp
from trainhub.subsidies.api.inputs import ClaimIn
from trainhub.subsidies.api.outputs import ExplainOut
from trainhub.subsidies.api.present import in_reader_language, result_out

EARLIEST, LATEST = date(1900, 1, 1), date(2999, 12, 31)
EXPLAINED_KEY = "explain"  # stands for the person's ID number, which the claim does not carry


def _claim(body: dict[str, Any]) -> engine.Claim:
    """The engine's input; its own checks (end before start, a certificate without a date…)
    raise ValueError."""
    person, batch, completion = body["person"], body["batch"], body["completion"]
    return engine.Claim(
        person=engine.Person(
            key=EXPLAINED_KEY, sex=engine.Sex(person["sex"]), birth_date=person["birth_date"],
            has_valid_certificate=person["has_valid_certificate"],
            household_in_jiangxi=person["household_in_jiangxi"],
            employed_at_enrolment=person["employed_at_enrolment"],
            family_member=person["family_member"]),
        batch=engine.Batch(
            start_date=batch["start_date"], end_date=batch["end_date"],
            region_code=batch["region_code"],
            training_type=engine.TrainingType(batch["training_type"]),
            occupation=batch["occupation"], fee_charged=batch["fee_charged_fen"],
            planned_hours=Decimal(batch["planned_hours"]), institution_id=""),
        attendance=engine.Attendance(tuple(
            engine.Session(date=s["date"], hours=Decimal(s["hours"]), in_person=s["in_person"],
                           status=engine.AttendanceStatus(s["status"]))
            for s in body["sessions"]), withdrew=body["withdrew"]),
        completion=engine.Completion(
            passed=completion["passed"],
            certificate_type=_optional(engine.CertificateType, completion["certificate_type"]),
            level=_optional(engine.Level, completion["level"]),
            certificate_date=completion["certificate_date"]),
        claim_date=body["claim_date"] or local_today(),
        earlier=tuple(_earlier(e) for e in body["earlier"]))


def _optional(kind: Any, value: str | None) -> Any:
    return None if value is None else kind(value)


def _earlier(entry: dict[str, Any]) -> engine.EarlierSubsidy:
    return engine.EarlierSubsidy(
        kind=engine.SubsidyKind(entry["kind"]), occupation=entry["occupation"],
        level=_optional(engine.Level, entry["level"]),
        certificate_date=entry["certificate_date"], batch_end_date=entry["batch_end_date"],
        status=engine.DecisionStatus(entry["status"]))


def _dates(claim: engine.Claim) -> Iterator[date | None]:
    yield from (claim.person.birth_date, claim.batch.start_date, claim.batch.end_date,
                claim.completion.certificate_date, claim.claim_date)
    yield from (s.date for s in claim.attendance.sessions)
    for earlier in claim.earlier:
        yield from (earlier.certificate_date, earlier.batch_end_date)


def _compute(claim: engine.Claim) -> engine.Subsidies:
    # The engine adds months to dates (the claim deadline); near year 9999 that cannot be
    # done, and no claim is that far from the present anyway.
    if any(d is not None and not EARLIEST <= d <= LATEST for d in _dates(claim)):
        raise DomainError(N_("The dates of this claim are out of range."))
    parameters = claims.load_parameters([claim.batch.region_code[:4]])
    try:
        return engine.compute(claim, parameters)
    except LookupError:
        raise DomainError(N_("No value of the subsidy rules is in force on the batch's start "
                             "date (%(date)s)."), date=claim.batch.start_date.isoformat()
                          ) from None


@bp.post("/subsidies/explain")
@bp.input(ClaimIn, location="json", arg_name="body")
@bp.output(ExplainOut)
@bp.doc(operation_id="explainSubsidyClaim",
        summary="Compute both subsidies of a claim with the parameters in force, with the "
                "trace and the explanation (Accept-Language: zh or en); nothing is stored",
        **READ)
@policy.permission("subsidies.view")
def explain_claim(body: dict[str, Any]) -> dict[str, Any]:
    try:
        claim = _claim(body)
    except ValueError as error:
        # The engine's own consistency checks: end before start, a certificate without its
        # date or with a level it cannot have, no planned hours.
        raise DomainError(N_("The claim is inconsistent (%(problem)s)."),
                          problem=str(error)) from None
    result = _compute(claim)
    with in_reader_language():
        return {"fee": result_out(result.fee), "living": result_out(result.living),
                "inputs": decisions.inputs_snapshot(claim)}
