"""我的补贴: a trainee sees their own decisions only, with status, amount, payee and why (in
their language), downloads a decision notice that verifies, and claims and uses vouchers;
officers issue vouchers through the form."""

from __future__ import annotations

import re
from datetime import timedelta

from tests.conftest import post_form, sign_in
from tests.subsidies import mine_world
from trainhub.core.accounts.models import User
from trainhub.core.documents.models import Verification
from trainhub.core.timeutil import local_today
from trainhub.extensions import db
from trainhub.subsidies import decisions
from trainhub.subsidies.models import Decision, Voucher
from trainhub.training.models import Batch


def _trainee(make) -> tuple[str, int]:
    username = make.user("trainee")
    return username, make.get_user(username).person_id


def _notice_code(app, decision_id: int) -> str | None:
    with app.app_context():
        return db.session.get(Decision, decision_id).verification_code


def _staff_of(batch: Batch) -> User:
    found = db.session.query(User).filter_by(institution_id=batch.institution_id).first()
    assert found is not None
    return found


def _status_of(app, code: str) -> str:
    with app.app_context():
        return db.session.query(Verification).filter_by(code=code).one().status


def test_a_trainee_sees_only_their_own_decisions(app, client, make):
    username, person = _trainee(make)
    mine = mine_world.decided(app, make, person)
    _, other_person = _trainee(make)
    theirs = mine_world.decided(app, make, other_person)
    sign_in(client, username)
    page = client.get("/subsidies/mine").get_data(as_text=True)
    assert "<h1>我的补贴</h1>" in page
    assert f"/subsidies/mine/{mine['fee']}/notice.pdf" in page
    assert f"/subsidies/mine/{mine['living']}/notice.pdf" in page
    assert f"/subsidies/mine/{theirs['fee']}/" not in page
    assert "培训费补贴" in page and "生活费补贴（含交通费）" in page
    assert "¥1,000.00" in page and "¥400.00" in page
    assert "您的培训费补贴为 1,000.00 元，因为您取得了" in page
    assert f'id="why-{mine["fee"]}"' in page and f'href="#why-{mine["fee"]}"' in page
    assert "已计算" in page  # the status, in words
    assert client.get(f"/subsidies/mine/{theirs['fee']}/notice.pdf").status_code == 404
    assert client.get("/subsidies/mine/2147483647/notice.pdf").status_code == 404


def test_the_explanation_follows_the_interface_language(app, client, make):
    username, person = _trainee(make)
    ids = mine_world.decided(app, make, person)
    sign_in(client, username)
    client.set_cookie("trainhub_lang", "en")
    page = client.get("/subsidies/mine").get_data(as_text=True)
    assert "<h1>My subsidies</h1>" in page
    assert "Your training-fee subsidy is 1,000.00 yuan, because you obtained" in page
    assert "It is paid to the training institution" in page
    assert f'id="why-{ids["living"]}"' in page


def test_the_notice_is_a_pdf_whose_verification_shows_the_facts(app, client, make):
    username, person = _trainee(make)
    ids = mine_world.decided(app, make, person)
    sign_in(client, username)
    pdf = client.get(f"/subsidies/mine/{ids['fee']}/notice.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF")
    code = _notice_code(app, ids["fee"])
    assert code
    # A second download is the same notice.
    client.get(f"/subsidies/mine/{ids['fee']}/notice.pdf")
    assert _notice_code(app, ids["fee"]) == code
    page = app.test_client().get(f"/verify/{code}").get_data(as_text=True)
    assert "补贴决定通知书" in page and "有效" in page
    assert "测试学员" in page and "¥1,000.00" in page and "培训费补贴" in page
    assert re.search(r"3601\*{10}\w{4}", page)  # the ID number, masked
    assert "您的培训费补贴为 1,000.00 元" in page and "已计算" in page


def test_a_changed_decision_revokes_its_notice(app, client, make):
    username, person = _trainee(make)
    ids = mine_world.decided(app, make, person)
    sign_in(client, username)
    client.get(f"/subsidies/mine/{ids['fee']}/notice.pdf")
    first = _notice_code(app, ids["fee"])
    assert first
    with app.app_context():  # recomputed to the same amount: the notice still holds
        mine_world.compute(ids["completed"])
        db.session.commit()
    assert _notice_code(app, ids["fee"]) == first and _status_of(app, first) == "valid"
    with app.app_context():  # recomputed after the 12-month deadline: no fee subsidy
        batch = db.session.get(Batch, ids["completed"])
        assert batch is not None
        decisions.compute_batch(batch, _staff_of(batch), local_today() + timedelta(days=500))
        db.session.commit()
    assert _status_of(app, first) == "revoked" and _notice_code(app, ids["fee"]) is None
    client.get(f"/subsidies/mine/{ids['fee']}/notice.pdf")
    second = _notice_code(app, ids["fee"])
    assert second and second != first and _status_of(app, second) == "valid"
    assert "¥0.00" in app.test_client().get(f"/verify/{second}").get_data(as_text=True)


def test_a_rejection_shows_its_reason(app, client, make):
    username, person = _trainee(make)
    ids = mine_world.decided(app, make, person)
    sign_in(client, username)
    client.get(f"/subsidies/mine/{ids['living']}/notice.pdf")
    before = _notice_code(app, ids["living"])
    with app.app_context():
        decision = db.session.get(Decision, ids["living"])
        assert decision is not None
        officer = User(username="reject-officer", display_name="审核人",
                       role="federation_officer", region_code="360102", password_hash="x")
        db.session.add(officer)
        db.session.flush()
        decisions.reject(decision, officer, "考勤记录与签到表不一致")
        db.session.commit()
    assert _status_of(app, before) == "revoked"
    page = client.get("/subsidies/mine").get_data(as_text=True)
    assert "已驳回" in page and "考勤记录与签到表不一致" in page


def test_the_trainee_claims_and_uses_a_voucher(app, client, make):
    username, person = _trainee(make)
    voucher = mine_world.voucher(app, person)
    _, other = _trainee(make)
    theirs = mine_world.voucher(app, other)
    sign_in(client, username)
    page = client.get("/subsidies/mine").get_data(as_text=True)
    assert "我的培训券" in page and "未领取" in page
    assert f"/subsidies/mine/vouchers/{voucher}/claim" in page
    assert f"/subsidies/mine/vouchers/{theirs}/" not in page
    answer = post_form(client, f"/subsidies/mine/vouchers/{voucher}/claim", {})
    assert answer.status_code == 302
    assert post_form(client, f"/subsidies/mine/vouchers/{theirs}/claim", {}).status_code == 404
    again = post_form(client, f"/subsidies/mine/vouchers/{voucher}/claim", {})
    assert "已领取" in client.get(again.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Voucher, voucher).status == "claimed"
        assert db.session.get(Voucher, theirs).status == "issued"


def test_a_claimed_voucher_is_used_for_a_seat_held_already(app, client, make):
    from tests.training.builders import build

    username, person = _trainee(make)
    ids = build(app, make, "enrolling", person_id=person)
    voucher = mine_world.voucher(app, person, claimed=True)
    sign_in(client, username)
    page = client.get("/subsidies/mine").get_data(as_text=True)
    assert 'name="enrolment"' in page and f'value="{ids["applicant"]}"' in page
    answer = post_form(client, f"/subsidies/mine/vouchers/{voucher}/use",
                       {"enrolment": ids["applicant"]})
    assert answer.status_code == 302
    with app.app_context():
        assert db.session.get(Voucher, voucher).enrolment_id == ids["applicant"]
    twice = post_form(client, f"/subsidies/mine/vouchers/{voucher}/use",
                      {"enrolment": ids["applicant"]})
    assert twice.status_code == 400  # the page again, with why (issue 12)
    assert "一张培训券只能使用一次" in twice.get_data(as_text=True)


def test_an_officer_issues_vouchers_with_the_form(app, client, make):
    person = make.person("360102", name="领券学员")
    with app.app_context():
        from trainhub.core.people.models import Person

        number = db.session.get(Person, person).id_number
    officer = make.user("federation_officer", region_code="360102")
    sign_in(client, officer)
    today = local_today()
    form = {"numbers": number + "\n", "face_value": "1200", "valid_from": today.isoformat(),
            "valid_until": (today + timedelta(days=180)).isoformat(), "categories": "massage"}
    answer = post_form(client, "/subsidies/vouchers/new", form)
    assert answer.status_code == 302
    listing = client.get("/subsidies/vouchers").get_data(as_text=True)
    assert "领券学员" in listing and "¥1,200.00" in listing and "未领取" in listing
    assert number not in listing  # masked
    other = app.test_client()
    sign_in(other, make.user("federation_officer", region_code="360103"))
    refused = post_form(other, "/subsidies/vouchers/new", form)
    text = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "本辖区没有登记此号码的人员" in text
    with app.app_context():
        assert db.session.query(Voucher).filter_by(person_id=person).count() == 1


def test_an_officer_cancels_a_voucher_and_the_trainee_reads_why(app, client, make):
    username, person = _trainee(make)
    voucher = mine_world.voucher(app, person)
    with app.app_context():
        region = db.session.get(Voucher, voucher).region_code
    sign_in(client, make.user("federation_officer", region_code=region))
    page = f"/subsidies/vouchers/{voucher}/cancel"
    assert page in client.get("/subsidies/vouchers").get_data(as_text=True)
    blank = post_form(client, page, {"reason": ""})
    assert blank.status_code == 400 and "理由" in blank.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Voucher, voucher).status == "issued"
    done = post_form(client, page, {"reason": "发放对象有误"})
    assert done.status_code == 302
    again = client.get(page).get_data(as_text=True)
    assert "只有未使用" in again and "<textarea" not in again
    outsider = app.test_client()
    sign_in(outsider, make.user("federation_officer", region_code="360702"))
    assert outsider.get(page).status_code == 404
    trainee = app.test_client()
    sign_in(trainee, username)
    mine = trainee.get("/subsidies/mine").get_data(as_text=True)
    assert "已由残联作废" in mine and "发放对象有误" in mine
    assert f"/subsidies/mine/vouchers/{voucher}/claim" not in mine
