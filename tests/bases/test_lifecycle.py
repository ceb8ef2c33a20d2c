"""After certification: yearly review, suspension, revocation, renewal, expiry, residents."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest

from tests.bases.conftest import PDF, TODAY, certified, to_notice
from trainhub.bases import certification, lifecycle, services
from trainhub.bases.models import BaseKind, BaseStatus, Level, ReviewOutcome
from trainhub.core.documents import service as documents
from trainhub.core.errors import Conflict, DomainError
from trainhub.core.files import store_upload


def _scores(base, fill=lambda m: m):
    sheet = lifecycle.review_sheet(base, TODAY)
    return {item["item"]: fill(int(item["max_points"])) for item in sheet}


def test_sheet_totals_one_hundred(world):
    base = certified(world, level=Level.COUNTY)
    assert sum(_scores(base).values()) == 100


def test_pass_rectify_and_revoke(world):
    base = certified(world, level=Level.COUNTY)
    day = base.valid_from + timedelta(days=30)
    review = lifecycle.annual_review(base, lifecycle.AnnualReviewInput(
        day.year, _scores(base), ReviewOutcome.PASS, None, ""), world.county, day)
    assert review.total == 100
    with pytest.raises(Conflict):  # one review per year
        lifecycle.annual_review(base, lifecycle.AnnualReviewInput(
            day.year, _scores(base), ReviewOutcome.PASS, None, ""), world.county, day)


def test_pass_needs_the_pass_mark(world):
    base = certified(world, level=Level.COUNTY)
    low = _scores(base, lambda m: m // 3)
    with pytest.raises(DomainError, match="pass mark"):
        lifecycle.annual_review(base, lifecycle.AnnualReviewInput(
            base.valid_from.year, low, ReviewOutcome.PASS, None, ""), world.county,
            base.valid_from)


def test_score_out_of_range_is_refused(world):
    base = certified(world, level=Level.COUNTY)
    scores = _scores(base)
    first = next(iter(scores))
    with pytest.raises(DomainError):
        lifecycle.annual_review(base, lifecycle.AnnualReviewInput(
            base.valid_from.year, dict(scores, **{first: scores[first] + 1}),
            ReviewOutcome.PASS, None, ""), world.county, base.valid_from)


def test_revoke_outcome_revokes_and_the_verification_page_says_so(world):
    base = certified(world, level=Level.COUNTY)
    lifecycle.annual_review(base, lifecycle.AnnualReviewInput(
        base.valid_from.year, _scores(base, lambda m: 0), ReviewOutcome.REVOKE, None,
        "停止培训业务"), world.county, base.valid_from)
    assert base.status == BaseStatus.REVOKED
    verification = documents.find(base.verification_code)
    assert documents.current_status(verification, base.valid_from) == "revoked"


def test_expired_base_cannot_be_reviewed(world):
    base = certified(world, level=Level.COUNTY)
    after = base.valid_until + timedelta(days=1)
    assert lifecycle.effective_status(base, after) == "expired"
    with pytest.raises(Conflict, match="expired"):
        lifecycle.annual_review(base, lifecycle.AnnualReviewInput(
            base.valid_until.year, _scores(base), ReviewOutcome.PASS, None, ""),
            world.county, after)
    verification = documents.find(base.verification_code)
    assert documents.current_status(verification, after) == "expired"


def test_suspend_reinstate(world):
    base = certified(world, level=Level.COUNTY)
    with pytest.raises(DomainError):
        lifecycle.suspend(base, "  ", base.valid_from)
    lifecycle.suspend(base, "整改期间", base.valid_from)
    assert lifecycle.effective_status(base, base.valid_from) == "suspended"
    lifecycle.reinstate(base, base.valid_from)
    assert base.status == BaseStatus.VALID


def test_renewal_replaces_the_old_certificate(world):
    old = certified(world, level=Level.COUNTY)
    application = lifecycle.start_renewal(old, world.staff, old.valid_from)
    with pytest.raises(Conflict):
        lifecycle.start_renewal(old, world.staff, old.valid_from)
    services.add_evidence(application, store_upload(io.BytesIO(PDF), "新.pdf",
                                                    max_bytes=1 << 20), world.staff)
    to_notice(world, application)
    new = certification.certify(application, world.county,
                                application.notice.ends_on + timedelta(days=1))
    assert old.status == BaseStatus.SUPERSEDED and new.sequence == 2
    assert documents.find(old.verification_code).status == "revoked"


def test_incubator_residents_respect_the_incubation_limit(world):
    base = certified(world, BaseKind.INCUBATOR, Level.COUNTY)
    entry = date(2024, 1, 1)
    ok = lifecycle.ResidentInput("赣南盲人推拿工作室", "钟文斌", entry, date(2026, 12, 31), 4,
                                 "场地、培训、营销")
    resident = lifecycle.save_resident(base, ok, date(2027, 1, 1))
    assert resident.jobs_created == 4
    too_long = lifecycle.ResidentInput("超期企业", "某某", entry, date(2027, 1, 2), 1, "")
    with pytest.raises(DomainError, match="Incubation may last"):
        lifecycle.save_resident(base, too_long, date(2027, 2, 1))


def test_only_incubators_have_residents(world):
    base = certified(world, BaseKind.TRAINING, Level.COUNTY)
    with pytest.raises(DomainError):
        lifecycle.save_resident(base, lifecycle.ResidentInput(
            "x", "y", TODAY, None, 0, ""), TODAY)
