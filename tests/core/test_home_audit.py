"""The audit administrator's home page: today's refused and failed actions, and whether the
log still ends where its chain's head says."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import text

from tests.core.test_audit_chain import _behind_the_application, _log
from trainhub.core.accounts.models import User
from trainhub.core.audit import waiting
from trainhub.core.audit.models import Outcome
from trainhub.core.audit.service import record
from trainhub.core.timeutil import local_today
from trainhub.extensions import db


def test_today_counts_refusals_and_failures_in_scope(ctx):
    record("test.event", outcome=Outcome.DENIED, region_code="360102")
    record("test.event", outcome=Outcome.DENIED, region_code="360702")
    record("test.event", outcome=Outcome.FAILURE, region_code="360102")
    record("test.event", region_code="360102")
    db.session.commit()
    auditor = User(username="a", display_name="a", role="audit_admin", password_hash="x")
    officer = User(username="o", display_name="o", role="federation_officer",
                   password_hash="x", region_code="3601")
    today = local_today()
    assert waiting.state(auditor, today) == waiting.AuditState(2, 1, True)
    assert waiting.state(officer, today) == waiting.AuditState(1, 1, True)
    assert waiting.state(auditor, today + timedelta(days=1)) == waiting.AuditState(0, 0, True)


def test_rows_cut_off_the_end_no_longer_reach_the_head(ctx):
    ids = _log()
    auditor = User(username="a", display_name="a", role="audit_admin", password_hash="x")
    assert waiting.state(auditor, local_today()).head_matches
    with _behind_the_application() as connection:
        connection.execute(text("DELETE FROM audit_entries WHERE id >= :id"), {"id": ids[-2]})
    assert not waiting.state(auditor, local_today()).head_matches
