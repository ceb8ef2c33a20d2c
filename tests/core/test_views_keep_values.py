"""Issue 12, item 2, through HTTP: a form refused by a view comes back as the page itself
(never a redirect that drops what was typed), with the choice still chosen, the text still
typed and the error beside the field and in the summary. Row forms of a list (flags,
appeals, entries, payments, applications) come back in their row; an upload keeps the other
fields and says the file must be chosen again (no browser refills a file input).

One test per view that used to flash a message and redirect (or, for attendance, drew the
marks stored instead of those chosen), and for the two that already came back (filing an
appeal, substituting a contestant), so that they stay so."""

from __future__ import annotations

import html as html_lib
import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.bases.builders import build as bases_world
from tests.competitions import judging_world, organise_world
from tests.conftest import form_token, post_form, sign_in
from tests.subsidies.builders import decided, set_budgets
from tests.training import builders as training
from tests.training.excel_files import excel_site
from trainhub.bases.models import BaseApplication
from trainhub.competitions.models import Entry, Event
from trainhub.core.accounts.models import User
from trainhub.core.timeutil import local_today, utcnow
from trainhub.extensions import db
from trainhub.subsidies.models import Decision
from trainhub.training import batches
from trainhub.training.models import Attendance, Enrolment

AGAIN = "请重新选择文件"  # "Choose the file again": a browser never refills a file input
LONG = "长" * 2001  # over every reason's 2000 characters


def _page(response, status: int = 400) -> str:
    assert response.status_code == status, (response.status_code,
                                            response.headers.get("Location"))
    return html_lib.unescape(response.get_data(as_text=True))


def _chosen(html: str, name: str, value: object) -> bool:
    """The option or radio/checkbox `value` of the control `name` is selected/checked."""
    for tag in re.findall(r"<(?:input|option)\b[^>]*>", html):
        ours = tag.startswith("<option") or f'name="{name}"' in tag
        if f'value="{value}"' in tag and ours and re.search(r"\b(?:selected|checked)\b",
                                                              tag):
            return True
    return False


def _select(html: str, name: str) -> str:
    found = re.search(rf'<select[^>]*name="{re.escape(name)}".*?</select>', html, re.S)
    assert found, name
    return found.group(0)


def _summary(html: str) -> str:
    found = re.search(r'<div[^>]*id="error-summary".*?</div>', html, re.S)
    assert found, "no error summary"
    return found.group(0)


# --- bases -----------------------------------------------------------------------------

def _staff_of_draft(app, make, ids) -> str:
    with app.app_context():
        owner = db.session.get(BaseApplication, ids["draft"]).institution_id
    return make.user("institution_staff", institution_id=owner)


def test_evidence_upload_comes_back_and_asks_for_the_file_again(app, client, make):
    ids = bases_world(app, make, "draft")
    sign_in(client, _staff_of_draft(app, make, ids))
    page = f"/bases/applications/{ids['draft']}"
    response = client.post(f"{page}/evidence", data={
        "csrf_token": form_token(client),
        "file": (io.BytesIO(b"MZ\x90\x00" + b"\x00" * 60), "营业执照.pdf")},
        content_type="multipart/form-data")
    html = _page(response)
    assert "PDF" in _summary(html) and AGAIN in html
    empty = client.post(f"{page}/evidence", data={"csrf_token": form_token(client)},
                        content_type="multipart/form-data")
    html = _page(empty)
    assert 'id="file-error"' in html and 'href="#file"' in _summary(html)


def test_a_review_photo_comes_back_in_its_review(app, client, make):
    ids = bases_world(app, make, "notice")
    sign_in(client, make.user("federation_officer", region_code="360102"))
    page = f"/bases/applications/{ids['notice']}"
    prefix = f"review{ids['review']}"
    response = client.post(f"{page}/reviews/{ids['review']}/photos", data={
        f"{prefix}-csrf_token": form_token(client),
        f"{prefix}-photo": (io.BytesIO(b"MZ\x90\x00" + b"\x00" * 60), "补拍.jpg")},
        content_type="multipart/form-data")
    html = _page(response)
    assert "JPEG" in _summary(html) and AGAIN in html
    assert f'id="{prefix}-photo"' in html


def test_resolving_an_objection_keeps_the_choice_and_shows_the_error(app, client, make):
    ids = bases_world(app, make, "notice")
    sign_in(client, make.user("federation_officer", region_code="360102"))
    prefix = f"objection{ids['objection']}"
    response = post_form(client, f"/bases/objections/{ids['objection']}/resolve", {
        f"{prefix}-upheld": "y", f"{prefix}-resolution": ""})
    html = _page(response)
    assert _chosen(html, f"{prefix}-upheld", "y")
    assert f'id="{prefix}-resolution-error"' in html
    assert f'href="#{prefix}-resolution"' in _summary(html)


def test_suspending_a_base_with_a_reason_too_long_keeps_it(app, client, make):
    ids = bases_world(app, make, "base")
    sign_in(client, make.user("federation_officer", region_code="3601"))
    response = post_form(client, f"/bases/{ids['base']}/suspend", {"reason": LONG})
    html = _page(response)
    assert f"{LONG}</textarea>" in html
    assert 'id="reason-error"' in html and 'href="#reason"' in _summary(html)


# --- competitions ----------------------------------------------------------------------

@pytest.fixture
def flagged(app, make):
    """A drawn event whose judges disagree on aspect B of the second entry."""
    world = judging_world.build(app, make)
    with app.app_context():
        event = db.session.get(Event, world["event"])
        users = {k: db.session.scalars(select(User).where(User.username == world[k])).one()
                 for k in ("judge_a", "judge_b")}
        judging_world.mark_all(event, users, {(world["entries"][1], "B"): Decimal(0)})
        db.session.commit()
    return world


def test_the_chief_judges_flag_decision_survives_an_error(client, flagged):
    sign_in(client, flagged["chief"])
    entry = flagged["entries"][1]
    path = f"/competitions/events/{flagged['event']}/chief/flags/{entry}/B"
    prefix = f"flag-{entry}-B-"
    refused = post_form(client, path, {prefix + "action": "confirm", prefix + "reason": ""})
    html = _page(refused)
    assert _chosen(html, prefix + "action", "confirm")
    assert "确认存在分歧的评分须说明理由" in html and "error-summary" in html
    unchosen = post_form(client, path, {prefix + "reason": "复核录像，评分有据"})
    html = _page(unchosen)
    assert "复核录像，评分有据</textarea>" in html
    assert f'id="{prefix}action-error"' in html
    assert f'href="#{prefix}action"' in _summary(html)


def test_an_appeal_decision_survives_an_error(app, client, make):
    world = judging_world.build(app, make, "locked")
    appeal_id = judging_world.add_appeal(app, world)
    sign_in(client, world["arbitrator_1"])
    prefix = f"appeal-{appeal_id}-"
    response = post_form(client, f"/competitions/appeals/{appeal_id}/decide",
                         {prefix + "decision": "upheld", prefix + "note": ""})
    html = _page(response)
    assert _chosen(html, prefix + "decision", "upheld")
    assert f'id="{prefix}note-error"' in html and f'href="#{prefix}note"' in _summary(html)


def test_filing_an_appeal_keeps_the_entry_chosen(app, client, make):
    world = judging_world.build(app, make, "locked")
    with app.app_context():
        db.session.get(Event, world["event"]).ends_at = utcnow() - timedelta(minutes=30)
        db.session.commit()
    sign_in(client, world["city_officer"])
    entry = world["entries"][0]
    response = post_form(client, f"/competitions/events/{world['event']}/appeal",
                         {"entry_id": entry, "content": ""})
    html = _page(response)
    assert _chosen(_select(html, "entry_id"), "entry_id", entry)
    assert 'id="content-error"' in html


def test_refusing_an_entry_keeps_the_reason_in_its_row(app, client, make):
    people = organise_world.accounts(make)
    contest = organise_world.competition(app, people["organiser"])
    entry, other = organise_world.entries(app, contest["event"], ("3601", "3607"),
                                          confirm=False)
    sign_in(client, people["organiser"])
    reason = "报名材料" * 130  # over the 500 characters of a refusal
    response = post_form(client, f"/competitions/entries/{entry}/refuse", {"reason": reason})
    html = _page(response)
    assert html.count(f'value="{reason}"') == 1  # in its own row, not the other's
    assert f'id="reason-{other}"' in html and f'id="reason-{other}-error"' not in html
    assert f'id="reason-{entry}-error"' in html
    assert f'href="#reason-{entry}"' in _summary(html)
    with app.app_context():
        assert db.session.get(Entry, entry).status == "registered"


def test_substituting_a_contestant_keeps_the_choice_and_the_number(app, client, make):
    people = organise_world.accounts(make)
    contest = organise_world.competition(app, people["organiser"])
    [entry] = organise_world.entries(app, contest["event"], ("3601",))
    with app.app_context():
        leaving = db.session.get(Entry, entry).members[0].person_id
    sign_in(client, people["nanchang"])
    response = post_form(client, f"/competitions/entries/{entry}/substitute",
                         {f"s{entry}-leaving": leaving, f"s{entry}-number": "36010219"})
    html = _page(response)
    assert _chosen(_select(html, f"s{entry}-leaving"), f"s{entry}-leaving", leaving)
    assert 'value="36010219"' in html and f'href="#s{entry}-number"' in html


# --- subsidies -------------------------------------------------------------------------

def test_bulk_approval_over_the_budget_keeps_the_ticks(app, client, make):
    first, second = decided(app, make, "submitted"), decided(app, make, "submitted")
    officer = make.user("federation_officer", region_code="360102")
    with app.app_context():
        set_budgets(make.get_user(officer), fee=150000)  # room for one ¥1,000 subsidy
        db.session.commit()
    sign_in(client, officer)
    response = post_form(client, "/subsidies/approvals",
                         {"decision": [first["decision"], second["decision"]]})
    html = _page(response)
    assert _chosen(html, "decision", first["decision"])
    assert _chosen(html, "decision", second["decision"])
    assert "超出" in _summary(html)
    nothing = post_form(client, "/subsidies/approvals", {})
    html = _page(nothing)
    assert not _chosen(html, "decision", first["decision"])
    assert 'id="approve-error"' in html and "error-summary" in html


def test_a_payment_row_of_the_queue_keeps_what_was_typed(app, client, make):
    ids = decided(app, make, "approved")
    officer = make.user("federation_officer", region_code="360102")
    sign_in(client, officer)
    response = post_form(client, f"/subsidies/decisions/{ids['decision']}/pay",
                         {"back": "approvals", "paid_on": "", "reference": "GK2026-0099"})
    html = _page(response)
    assert "审批" in html  # the queue, not the decision's own page
    assert f'id="reference-{ids["decision"]}"' in html and 'value="GK2026-0099"' in html
    assert f'id="paid-on-{ids["decision"]}-error"' in html
    assert f'href="#paid-on-{ids["decision"]}"' in _summary(html)
    with app.app_context():
        assert db.session.get(Decision, ids["decision"]).status == "approved"


def test_a_rejection_from_the_queue_keeps_the_reason(app, client, make):
    ids = decided(app, make, "submitted")
    sign_in(client, make.user("federation_officer", region_code="360102"))
    response = post_form(client, f"/subsidies/decisions/{ids['living']}/reject",
                         {"back": "approvals", "reason": LONG})
    html = _page(response)
    assert f"{LONG}</textarea>" in html and 'href="#reason"' in _summary(html)


def test_a_voucher_seat_is_never_chosen_for_the_trainee_and_a_refusal_stays(app, client, make):
    from tests.subsidies import mine_world
    from tests.training.builders import build

    person = make.person("360102", name="用券学员")
    username = make.user("trainee", person_id=person)
    ids = build(app, make, "enrolling", person_id=person)
    voucher = mine_world.voucher(app, person, claimed=True)
    with app.app_context():
        db.session.get(Enrolment, ids["applicant"]).status = "admitted"
        db.session.commit()
    sign_in(client, username)
    page = _select(client.get("/subsidies/mine").get_data(as_text=True), "enrolment")
    assert '<option value="">' in page and "selected" not in page  # no seat chosen for them
    unchosen = post_form(client, f"/subsidies/mine/vouchers/{voucher}/use", {"enrolment": ""})
    html = _page(unchosen)
    assert f'id="enrolment-{voucher}-error"' in html
    assert f'href="#enrolment-{voucher}"' in _summary(html)
    with app.app_context():
        from trainhub.subsidies.models import Voucher

        db.session.get(Voucher, voucher).valid_from = local_today() + timedelta(days=3)
        db.session.commit()
    refused = post_form(client, f"/subsidies/mine/vouchers/{voucher}/use",
                        {"enrolment": ids["applicant"]})
    # The seat is no longer offered (the voucher is not valid yet): the page says why.
    assert "起有效" in _summary(_page(refused))


# --- training --------------------------------------------------------------------------

@pytest.fixture
def site(app, make):
    return excel_site(app, make)


@pytest.mark.parametrize("kind", ["roster", "attendance"])
def test_the_export_purpose_comes_back_with_its_error(client, site, kind):
    sign_in(client, site["staff"])
    purpose = "核对" * 101  # over 200 characters
    response = post_form(client, f"/training/batches/{site['batch']}/{kind}.xlsx",
                         {"purpose": purpose})
    html = _page(response)
    assert f'value="{purpose}"' in html
    assert f'id="{kind}-purpose-error"' in html
    assert f'href="#{kind}-purpose"' in _summary(html)


def test_an_import_without_a_workbook_comes_back_on_the_roster(client, site):
    sign_in(client, site["staff"])
    response = client.post(f"/training/batches/{site['batch']}/imports", data={
        "csrf_token": form_token(client), "file": (io.BytesIO(b"a,b\n1,2\n"), "名单.xlsx"),
        "consent": "y"},
        content_type="multipart/form-data")
    html = _page(response)
    assert "该文件都不是 Excel 工作簿（.xlsx）" in _summary(html) and AGAIN in html
    assert 'id="import-file"' in html
    empty = client.post(f"/training/batches/{site['batch']}/imports",
                        data={"csrf_token": form_token(client)},
                        content_type="multipart/form-data")
    assert 'id="import-file-error"' in _page(empty)


def test_declining_keeps_the_note_in_the_applicants_row(app, client, site):
    with app.app_context():
        waiting = db.session.scalars(select(Enrolment).where(
            Enrolment.batch_id == site["batch"])).first()
        waiting.status = "applied"
        db.session.commit()
        enrolment_id = waiting.id
    sign_in(client, site["staff"])
    note = "名额" * 251  # over 500 characters
    response = post_form(client, f"/training/enrolments/{enrolment_id}/decline",
                         {"note": note})
    html = _page(response)
    assert f'value="{note}"' in html
    assert f'id="note-{enrolment_id}-error"' in html
    assert f'href="#note-{enrolment_id}"' in _summary(html)


@pytest.fixture
def submitted(app, make):
    with app.app_context():
        owner = training.institution("360102")
        today = local_today()
        base = training.base(owner, valid_from=today - timedelta(days=60),
                             valid_until=today + timedelta(days=700))
        staff = training.user("institution_staff", institution_id=owner.id)
        made = training.batch(base, staff, today, status="submitted")
        db.session.commit()
        return {"batch": made.id, "staff": staff.username}


def test_returning_a_batch_keeps_the_comment(client, make, submitted):
    sign_in(client, make.user("federation_officer", region_code="360102"))
    comment = "请补充" * 1334  # over 4000 characters
    response = post_form(client, f"/training/batches/{submitted['batch']}/return",
                         {"decision": "return", "comment": comment})
    html = _page(response)
    assert f"{comment}</textarea>" in html
    assert 'id="comment-error"' in html and 'href="#comment"' in _summary(html)


def test_cancelling_a_batch_keeps_the_reason(client, submitted):
    sign_in(client, submitted["staff"])
    response = post_form(client, f"/training/batches/{submitted['batch']}/cancel",
                         {"reason": LONG})
    html = _page(response)
    assert f"{LONG}</textarea>" in html
    assert 'id="reason-error"' in html and 'href="#reason"' in _summary(html)


def test_attendance_refused_keeps_the_marks_chosen(app, client, make):
    today = local_today()
    with app.app_context():
        owner = training.institution("360102")
        base = training.base(owner, valid_from=today - timedelta(days=60),
                             valid_until=today + timedelta(days=700))
        staff = training.user("institution_staff", institution_id=owner.id)
        start = today - timedelta(days=1)
        ran = training.batch(base, staff, start - timedelta(days=20), start=start,
                             status="enrolling")
        (one,) = training.enrol(ran, 1, staff)
        batches.start(ran, start)
        db.session.commit()
        batch_id, last, one_id = ran.id, ran.sessions[-1].id, one.id
        username = staff.username
    sign_in(client, username)
    response = post_form(client, f"/training/batches/{batch_id}/sessions/{last}/attendance",
                         {f"mark-{one_id}": "late"})
    html = _page(response)
    assert "该课次尚未进行" in html
    assert _chosen(html, f"mark-{one_id}", "late")
    with app.app_context():
        assert db.session.scalars(select(Attendance)).all() == []


# --- people ----------------------------------------------------------------------------

def test_a_number_of_nobody_stays_typed_to_correct_it(client, make):
    sign_in(client, make.user("federation_officer", region_code="360102"))
    response = post_form(client, "/people/search", {"number": "360102199001010000"})
    html = _page(response, 200)
    assert 'value="360102199001010000"' in html and "本地区没有" in html


def test_a_malformed_search_number_comes_back_typed(client, make):
    sign_in(client, make.user("federation_officer", region_code="360102"))
    typed = "3601021990051700111234567890"  # 28 characters: more than any number
    response = post_form(client, "/people/search", {"number": typed})
    html = _page(response)
    assert f'value="{typed}"' in html
    assert 'id="number-error"' in html and 'href="#number"' in _summary(html)
