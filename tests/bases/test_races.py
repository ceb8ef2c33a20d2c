"""Two officers certifying at the same moment, on PostgreSQL with real threads and
commits (the rest of the suite runs inside rolled-back transactions, which cannot show a
race). A throw-away database keeps the committed rows away from other tests."""

from __future__ import annotations

import io
import threading
from datetime import timedelta
from typing import Any

import pytest

from tests.bases.builders import _answers, _officer
from trainhub.bases import certification, services
from trainhub.bases.models import BaseApplication, BaseKind, Decision, Level
from trainhub.core.accounts.models import User
from trainhub.core.errors import Conflict
from trainhub.core.files import store_upload
from trainhub.core.organisations import Institution
from trainhub.core.timeutil import local_today
from trainhub.extensions import db

pytestmark = pytest.mark.postgres_only
PDF = b"%PDF-1.4\n%%EOF\n"


def _applications_under_notice(app: Any, count: int) -> tuple[list[int], int]:
    with app.app_context():
        institution = Institution(name="并发测试学校", credit_code=f"5236010{count:02d}MA0000000",
                                  region_code="360102")
        db.session.add(institution)
        staff = User(username=f"race-staff-{count}", display_name="s", role="institution_staff",
                     password_hash="x", institution=institution)
        db.session.add(staff)
        officer = _officer("360102", f"race{count}")
        db.session.flush()
        earlier = local_today() - timedelta(days=30)
        ids = []
        for _ in range(count):
            application = services.create_application(
                institution, services.ApplicationInput(
                    BaseKind.TRAINING, Level.COUNTY, ("massage",),
                    _answers(BaseKind.TRAINING, "360102")), staff, earlier)
            services.add_evidence(application, store_upload(
                io.BytesIO(PDF), "a.pdf", max_bytes=1024), staff)
            db.session.refresh(application)
            services.submit(application)
            services.review(application, services.ReviewInput(Decision.RECOMMEND, "同意"),
                            officer, earlier, Level.COUNTY)
            ids.append(application.id)
        db.session.commit()
        return ids, officer.id


def _certify_all_at_once(app: Any, ids: list[int], officer_id: int) -> list[Any]:
    barrier = threading.Barrier(len(ids))
    results: list[Any] = [None] * len(ids)

    def work(index: int, application_id: int) -> None:
        with app.app_context():
            application = db.session.get(BaseApplication, application_id)
            officer = db.session.get(User, officer_id)
            barrier.wait()
            try:
                base = certification.certify(application, officer, local_today())
                db.session.commit()
                results[index] = base.sequence
            except Exception as error:  # noqa: BLE001 - the test inspects what happened
                db.session.rollback()
                results[index] = error

    threads = [threading.Thread(target=work, args=(i, app_id)) for i, app_id in enumerate(ids)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_simultaneous_certifications_get_consecutive_numbers(race_app):
    ids, officer_id = _applications_under_notice(race_app, 6)
    results = _certify_all_at_once(race_app, ids, officer_id)
    assert sorted(results) == [1, 2, 3, 4, 5, 6], results


def test_the_same_application_certified_twice_at_once_is_certified_once(race_app):
    ids, officer_id = _applications_under_notice(race_app, 1)
    results = _certify_all_at_once(race_app, ids * 2, officer_id)
    numbers = [r for r in results if isinstance(r, int)]
    conflicts = [r for r in results if isinstance(r, Conflict)]
    assert len(numbers) == 1 and len(conflicts) == 1, results
