"""The audit log: append-only, written with the change, searchable within scope."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError

from tests.conftest import login, sign_in
from trainhub.core.audit.models import AuditEntry, AuditTamperError, Outcome
from trainhub.core.audit.service import record
from trainhub.core.errors import DomainError
from trainhub.core.people import services
from trainhub.core.people.models import EmploymentStatus
from trainhub.extensions import db


def test_orm_refuses_to_change_or_delete_an_entry(ctx):
    entry = record("test.event", region_code="3601")
    db.session.flush()
    entry.action = "edited"
    with pytest.raises(AuditTamperError):
        db.session.flush()
    db.session.rollback()


@pytest.mark.parametrize("statement", [
    "UPDATE audit_entries SET action = 'edited'",
    "DELETE FROM audit_entries",
])
def test_database_refuses_raw_updates_and_deletes(ctx, statement):
    record("test.event", region_code="3601")
    db.session.flush()
    nested = db.session.begin_nested()
    with pytest.raises(DatabaseError, match="append-only"):
        db.session.execute(text(statement))
    nested.rollback()
    assert db.session.scalar(select(AuditEntry.action).order_by(AuditEntry.id.desc())) \
        == "test.event"


def test_a_failed_change_leaves_no_audit_row(ctx, make):
    make.person("360102")
    data = services.PersonInput(
        name="重复", id_number=db.session.scalars(select(services.Person)).one().id_number,
        cert_number=None, phone=None, household_region_code="360102",
        employment_status=EmploymentStatus.UNEMPLOYED)
    before = db.session.scalar(select(db.func.count()).select_from(AuditEntry))
    with pytest.raises(DomainError):
        services.create_person(data, date(2026, 1, 1))
    db.session.rollback()
    assert db.session.scalar(select(db.func.count()).select_from(AuditEntry)) == before


def test_every_field_of_an_entry_is_filled(app, client, make):
    login(client, make.user("federation_officer", region_code="3601"))
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry)).all()[-1]
    for column in ("occurred_at", "actor_id", "actor_username", "actor_role", "action",
                   "object_type", "object_id", "outcome", "region_code", "client_address"):
        assert getattr(entry, column) not in (None, ""), column


def _entries(app, regions: list[str]) -> None:
    with app.app_context():
        for region in regions:
            record("test.event", outcome=Outcome.SUCCESS, region_code=region,
                   details={"region": region})
        db.session.commit()


def test_officers_search_within_their_region(app, client, make):
    _entries(app, ["360102", "360702"])
    sign_in(client, make.user("federation_officer", region_code="3601"))
    page = client.get("/audit/").get_data(as_text=True)
    assert "：东湖区</span>" in page and "：章贡区</span>" not in page  # region names


def test_the_audit_administrator_searches_everything_and_filters_by_outcome(app, client, make):
    _entries(app, ["360102", "360702"])
    sign_in(client, make.user("audit_admin"))
    page = client.get("/audit/").get_data(as_text=True)
    assert "：东湖区</span>" in page and "：章贡区</span>" in page
    page = client.get("/audit/?outcome=denied").get_data(as_text=True)
    assert "：东湖区</span>" not in page


def test_the_action_filter_is_a_choice_of_named_actions_that_stays_chosen(app, client, make):
    """The filter took a code typed by hand (auth.login) (issue 12, item 8): a choice of the
    named actions, by group, in Chinese; the one chosen stays chosen after the search. Two
    codes of one name (base.supersede, base.superseded) are one choice finding both."""
    with app.app_context():
        record("auth.login", region_code="360102", details={"region_code": "360102"})
        record("auth.logout", region_code="360103", details={"region_code": "360103"})
        record("base.supersede", region_code="360702", details={"region_code": "360702"})
        record("base.superseded", region_code="360703", details={"region_code": "360703"})
        db.session.commit()
    sign_in(client, make.user("audit_admin"))
    page = client.get("/audit/").get_data(as_text=True)
    start = page.index('<select class="form-select" id="f-action" name="action">')
    choice = page[start:page.index("</select>", start)]
    assert '<label class="form-label" for="f-action">操作</label>' in page
    assert '<option value="">全部</option>' in choice
    assert '<optgroup label="账户与登录">' in choice and '<optgroup label="基地">' in choice
    assert '<optgroup label="职业培训">' in choice and '<optgroup label="培训补贴">' in choice
    assert '<option value="auth.login">登录</option>' in choice
    labels = re.findall(r"<option value=\"[^\"]+\"[^>]*>([^<]+)</option>", choice)
    assert len(labels) == len(set(labels)) > 100  # every named action, each name once
    assert not [label for label in labels if re.search(r"[a-z_]+\.[a-z_]+", label)]
    assert choice.count("基地由复核认定取代") == 1

    page = client.get("/audit/?action=auth.login").get_data(as_text=True)
    assert '<option value="auth.login" selected>登录</option>' in page
    assert "：东湖区</span>" in page and "：西湖区</span>" not in page
    assert "：章贡区</span>" not in page
    both = client.get("/audit/?action=base.superseded").get_data(as_text=True)
    assert '<option value="base.supersede" selected>' in both
    assert "：章贡区</span>" in both and "：南康区</span>" in both
    assert "：东湖区</span>" not in both
    # A code the page does not offer filters nothing and chooses nothing.
    typed = client.get("/audit/?action=auth.").get_data(as_text=True)
    assert "：东湖区</span>" in typed and "：章贡区</span>" in typed
    assert " selected>" not in typed[typed.index('id="f-action"'):typed.index("</select>")]


def test_the_log_names_actions_objects_and_keys_and_writes_values_plainly(app, client, make):
    """Codes on the page were the stored codes: auth.login, user #2, amount_fen: 24000,
    chief: False (issue 12, item 8)."""
    from trainhub.core.accounts.models import User

    username = make.user("audit_admin")
    with app.app_context():
        user = db.session.scalars(select(User).where(User.username == username)).one()
        user.display_name = "王管理"
        record("auth.login", actor=user, object_type="user", object_id=user.id,
               region_code="3601")
        record("subsidy.approve", object_type="subsidy_decision", object_id=7,
               region_code="3601", details={"kind": "fee", "amount_fen": 24000,
                                            "chief": False, "on": "2026-11-17"})
        db.session.commit()
    sign_in(client, username)
    page = client.get("/audit/").get_data(as_text=True)
    # The entries: the filter's choices carry codes as their values.
    page = page[page.index('<p class="mt-3" role="status">'):]
    assert "登录" in page and "auth.login" not in page
    assert f"王管理（{username}）" in page and "user #" not in page
    assert "补贴已批准" in page and "培训费补贴" in page
    assert "金额：¥240.00" in page and "amount_fen" not in page
    assert "裁判长：否" in page and "False" not in page
    assert "2026年11月17日" in page and "2026-11-17" not in page


def test_consents_and_remembered_devices_are_written_plainly(app, client, make):
    """The consent purpose, its method, who recorded it and a sign-in's remembered device
    were shown as sensitive_training, paper, 5 and remembered_device."""
    from trainhub.core.accounts.models import User

    username = make.user("audit_admin")
    with app.app_context():
        user = db.session.scalars(select(User).where(User.username == username)).one()
        user.display_name = "李记录"
        record("privacy.consent_give", object_type="consent", object_id=6,
               region_code="3601", details={"consent": "sensitive_training",
                                            "notice_version": "2026-1", "method": "paper",
                                            "recorded_by": user.id})
        record("auth.login", actor=user, object_type="user", object_id=user.id,
               region_code="3601", details={"method": "remembered_device"})
        record("privacy.copy_download", object_type="person", object_id=1,
               region_code="3601", details={"format": "json"})
        db.session.commit()
    sign_in(client, username)
    page = client.get("/audit/").get_data(as_text=True)
    page = page[page.index('<p class="mt-3" role="status">'):]
    for code in ("sensitive_training", "paper", "remembered_device", "json"):
        assert f"：{code}" not in page, code
    assert "纸质告知书" in page and "已记住的设备" in page
    assert f"李记录（{username}）" in page


def test_every_audited_action_has_a_name(app):
    """The log page shows each action by its name: an action recorded in the code without
    one would be shown as its code (issue 12, item 8). Actions named in the record() or
    _audit() call itself, as a literal or one of two; the actions put together from a
    status are named in the labels by hand."""
    import re
    from pathlib import Path

    from trainhub.core.audit import labels

    root = Path(__file__).resolve().parents[2] / "trainhub"
    call = re.compile(r"(?:\brecord|\b_audit|\brefuse)\(\s*((?:[A-Z_]+|\"[^\"]*\")"
                      r"(?:\s+if\s+[^\"]+?\s+else\s+\"[^\"]*\")?)")
    literal = re.compile(r"\"([a-z_]+\.[a-z_]*[a-z])\"")  # not a prefix ("….correction_")
    constant = re.compile(r"^ACTION = \"([a-z_]+\.[a-z_]+)\"", re.M)
    found = set()
    for path in root.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        for match in call.finditer(source):
            found.update(literal.findall(match.group(1)))
        found.update(constant.findall(source))
    assert len(found) > 80
    assert sorted(found - set(labels.ACTIONS)) == []
