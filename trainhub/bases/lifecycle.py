"""Life after certification: yearly review (年度考核), suspension, revocation, renewal,
expiry (computed from the validity, so nobody has to act), and incubated enterprises."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from trainhub.bases.certification import add_years
from trainhub.bases.models import (
    AnnualReview,
    ApplicationStatus,
    Base,
    BaseApplication,
    BaseKind,
    BaseStatus,
    ResidentEnterprise,
    ReviewOutcome,
)
from trainhub.core.accounts.models import User
from trainhub.core.audit.service import record
from trainhub.core.documents import service as documents
from trainhub.core.errors import N_, Checks, Conflict, DomainError
from trainhub.core.parameters import service as parameters
from trainhub.extensions import db


def effective_status(base: Base, today: date) -> str:
    """valid / suspended / revoked / superseded, or expired once the validity has passed."""
    if base.status == BaseStatus.VALID and today > base.valid_until:
        return "expired"
    return base.status


def _audit(action: str, base: Base, **details: Any) -> None:
    record(action, object_type="base", object_id=base.id, region_code=base.region_code,
           details=details)


def _require_in_force(base: Base, today: date) -> None:
    status = effective_status(base, today)
    if status == "expired":
        raise Conflict(N_("This base expired on %(date)s; it can no longer be reviewed or "
                          "changed. Apply for renewal instead."), date=base.valid_until)
    if status in (BaseStatus.REVOKED, BaseStatus.SUPERSEDED):
        raise Conflict(N_("This base is no longer certified."))


def review_sheet(base: Base, today: date) -> list[dict[str, Any]]:
    return list(parameters.value("bases.annual_review_sheet", today,  # type: ignore[arg-type]
                                 base.region_code))


def pass_score(base: Base, today: date) -> int:
    return parameters.int_value("bases.annual_review_pass_score", today, base.region_code)


@dataclass(frozen=True)
class AnnualReviewInput:
    year: int
    scores: dict[str, int]
    outcome: ReviewOutcome
    rectify_by: date | None
    comments: str


def annual_review(base: Base, data: AnnualReviewInput, by: User, today: date) -> AnnualReview:
    _require_in_force(base, today)
    total = check_annual_review(base, data, today)
    review = AnnualReview(base_id=base.id, year=data.year, scores=data.scores, total=total,
                          outcome=data.outcome.value, rectify_by=data.rectify_by,
                          comments=data.comments.strip(), reviewer_id=by.id)
    db.session.add(review)
    db.session.flush()
    _audit("base.annual_review", base, year=data.year, total=total, outcome=data.outcome.value)
    if data.outcome == ReviewOutcome.REVOKE:
        revoke(base, data.comments, today)
    return review


def check_annual_review(base: Base, data: AnnualReviewInput, today: date) -> int:
    """Every rule the review breaks, raised together, each on the review form's field;
    the total of the scores when none is broken."""
    checks = Checks()
    if not base.valid_from.year <= data.year <= today.year:
        checks.add(N_("The review year must fall within the base's certification."),
                   field="year")
    elif db.session.scalar(select(AnnualReview.id).where(AnnualReview.base_id == base.id,
                                                        AnnualReview.year == data.year)):
        checks.extend(Conflict(N_("This base already has a review for %(year)s."),
                               year=data.year).on("year"))
    total = 0
    try:
        total = _score(review_sheet(base, today), data.scores)
    except DomainError as error:
        checks.extend(error)
    else:
        mark = pass_score(base, today)
        if data.outcome == ReviewOutcome.PASS and total < mark:
            checks.add(N_("A total of %(total)s is below the pass mark of %(pass)s."),
                       field="outcome", total=total, **{"pass": mark})
    if data.outcome == ReviewOutcome.RECTIFY and (not data.rectify_by
                                                  or data.rectify_by <= today):
        checks.add(N_("Set a rectification deadline after today."), field="rectify_by")
    if data.outcome != ReviewOutcome.PASS and not data.comments.strip():
        checks.add(N_("Explain the outcome in the comments."), field="comments")
    checks.done()
    return total


def _score(sheet: list[dict[str, Any]], scores: dict[str, int]) -> int:
    items = {item["item"]: int(item["max_points"]) for item in sheet}
    if set(scores) != set(items):
        raise DomainError(N_("Score every item of the review sheet."))
    for item, points in scores.items():
        if not 0 <= points <= items[item]:
            raise DomainError(N_("“%(item)s” takes 0 to %(max)s points."), item=item,
                              max=items[item])
    return sum(scores.values())


def suspend(base: Base, reason: str, today: date) -> None:
    _require_in_force(base, today)
    if base.status == BaseStatus.SUSPENDED:
        raise Conflict(N_("This base is already suspended."))
    _set_status(base, BaseStatus.SUSPENDED, reason, "suspended")


def reinstate(base: Base, today: date) -> None:
    if base.status != BaseStatus.SUSPENDED:
        raise Conflict(N_("Only a suspended base can be reinstated."))
    _require_in_force(base, today)
    _set_status(base, BaseStatus.VALID, "", "valid")


def revoke(base: Base, reason: str, today: date) -> None:
    _require_in_force(base, today)
    _set_status(base, BaseStatus.REVOKED, reason, "revoked")


def _set_status(base: Base, status: BaseStatus, reason: str, public: str) -> None:
    if status != BaseStatus.VALID and not reason.strip():
        raise DomainError(N_("Give the reason."))
    base.status, base.status_reason = status.value, reason.strip()
    verification = documents.find(base.verification_code)
    if verification is not None:
        documents.set_status(verification, public, reason.strip() or "reinstated")
    _audit(f"base.{status.value if status != BaseStatus.VALID else 'reinstate'}", base,
           reason=reason.strip())


def start_renewal(base: Base, by: User, today: date) -> BaseApplication:
    """A renewal is a new application for the same kind and level; certifying it replaces
    this base. Allowed while the base is valid or within a year after it expired."""
    if base.status in (BaseStatus.REVOKED, BaseStatus.SUPERSEDED):
        raise Conflict(N_("A revoked or replaced base cannot be renewed."))
    pending = db.session.scalar(select(BaseApplication.id).where(
        BaseApplication.renews_base_id == base.id,
        BaseApplication.status.not_in([ApplicationStatus.REJECTED.value,
                                       ApplicationStatus.WITHDRAWN.value])))
    if pending:
        raise Conflict(N_("A renewal of this base is already under way."))
    previous = base.application
    application = BaseApplication(
        institution_id=base.institution_id, kind=base.kind, level_sought=base.level,
        specialties=list(base.specialties), region_code=base.region_code,
        answers=dict(previous.answers), criteria_value_id=previous.criteria_value_id,
        renews_base_id=base.id, created_by_id=by.id,
    )
    db.session.add(application)
    db.session.flush()
    _audit("base.renewal_start", base, application=application.id)
    return application


@dataclass(frozen=True)
class ResidentInput:
    name: str
    founder_name: str
    entry_date: date
    exit_date: date | None
    jobs_created: int
    services: str
    founder_person_id: int | None = None


def save_resident(base: Base, data: ResidentInput, today: date,
                  resident: ResidentEnterprise | None = None) -> ResidentEnterprise:
    if base.kind != BaseKind.INCUBATOR:
        raise DomainError(N_("Only incubation bases record resident enterprises."))
    _check_resident(base, data, today)
    resident = resident or ResidentEnterprise(base_id=base.id)
    for field in ("name", "founder_name", "entry_date", "exit_date", "jobs_created",
                  "services", "founder_person_id"):
        value = getattr(data, field)
        setattr(resident, field, value.strip() if isinstance(value, str) else value)
    db.session.add(resident)
    db.session.flush()
    _audit("base.resident_save", base, resident=resident.id, name=resident.name)
    return resident


def _check_resident(base: Base, data: ResidentInput, today: date) -> None:
    """Every rule the resident enterprise breaks, raised together, each on its field."""
    checks = Checks()
    for name in ("name", "founder_name"):
        if not getattr(data, name).strip():
            checks.add(N_("Give the enterprise's name and its founder."), field=name)
    if data.entry_date > today:
        checks.add(N_("The entry date cannot be in the future."), field="entry_date")
    if data.jobs_created < 0:
        checks.add(N_("Jobs created cannot be negative."), field="jobs_created")
    end = data.exit_date or today
    if data.exit_date is not None and data.exit_date < data.entry_date:
        checks.add(N_("The exit date must come after the entry date."), field="exit_date")
    elif end >= data.entry_date:
        years = parameters.int_value("bases.incubation_max_years", data.entry_date,
                                     base.region_code)
        if end > add_years(data.entry_date, years):
            checks.add(N_("Incubation may last at most %(years)s years."),
                       field="exit_date" if data.exit_date else "entry_date", years=years)
    checks.done()
