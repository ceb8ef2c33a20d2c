"""The judges' and the chief judge's pages through the test client: judges see stations and
codes only, never a name, city or institution; bad marks are refused beside their field and
save nothing; marking after the lock is refused; the chief judge resolves flags and locks;
decoding before the lock and a correction without a second approver are refused."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from tests.competitions import judging_world
from tests.competitions.judging_world import CONTESTANT
from tests.conftest import post_form, sign_in
from trainhub.competitions.models import Correction, Delegation, Event, Mark
from trainhub.core.accounts.models import User
from trainhub.core.regions import Region
from trainhub.extensions import db

NAMES_CITIES = ("南昌", "赣州", "景德镇", "萍乡", "代表队", CONTESTANT)


@pytest.fixture
def world(app, make):
    return judging_world.build(app, make)


def _marks(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Mark))


def _page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data(as_text=True)


def _no_identity(app, html: str, event_id: int) -> None:
    """Nothing on the page names a contestant, a delegation or a city of the event."""
    with app.app_context():
        people = [m.person.name for e in db.session.get(Event, event_id).entries
                  for m in e.members]
        delegations = db.session.scalars(select(Delegation.name)).all()
        cities = db.session.scalars(select(Region.name).where(
            Region.code.in_(judging_world.CITIES))).all()
    for text in (*people, *delegations, *cities, *NAMES_CITIES):
        assert text not in html, text


def _sheet(world, n: int = 1) -> str:
    return f"/competitions/events/{world['event']}/marking/{world['codes'][n]}"


def test_a_judge_sees_codes_and_stations_only(app, client, world):
    sign_in(client, world["judge_b"])
    listing = _page(client, "/competitions/marking")
    assert "盲人保健按摩" in listing
    entries = _page(client, f"/competitions/events/{world['event']}/marking")
    _no_identity(app, entries, world["event"])
    # Judge B comes from 3601: the 南昌 entry is left out, and its sheet is not found.
    assert world["codes"][0] not in entries
    assert all(code in entries for code in world["codes"][1:])
    assert client.get(_sheet(world, 0)).status_code == 404
    sheet = _page(client, _sheet(world))
    _no_identity(app, sheet, world["event"])


def test_the_marking_form_is_labelled_and_keyboard_ready(client, world):
    sign_in(client, world["judge_a"])
    html = _page(client, _sheet(world))
    inputs = re.findall(r"<input type=\"number\"[^>]*>", html, re.S)
    assert len(inputs) == 3
    b = world["aspects"]["B"]
    wsos = next(i for i in inputs if f'id="mark-{b}"' in i)
    assert 'inputmode="decimal"' in wsos and 'min="0"' in wsos and 'max="3"' in wsos
    assert f'aria-describedby="mark-{b}-hint"' in wsos
    assert f'<label class="form-label fw-bold" for="mark-{b}">' in html
    assert "0–3" in html and "30" in html  # the scale and the aspect's maximum
    assert "<script" not in html.split("</footer>")[0].split("<main")[1]
    assert html.index('value="draft"') < html.index('value="submit"')


@pytest.mark.parametrize(("aspect", "value", "message"), [
    ("C", "50.5", "不能超过满分50"), ("C", "40.3", "0.5的整数倍"), ("B", "4", "0、1、2或3"),
    ("A", "abc", "不是数字"),
])
def test_a_bad_mark_is_refused_beside_its_field_and_nothing_is_saved(app, client, world,
                                                                     aspect, value, message):
    sign_in(client, world["judge_a"])
    field = f"mark-{world['aspects'][aspect]}"
    response = post_form(client, _sheet(world), {
        field: value, "action": "draft",
        **{f"mark-{world['aspects'][a]}": "2" for a in ("A", "B", "C") if a != aspect}})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in html, html
    assert f'aria-describedby="{field}-hint {field}-error"' in html
    assert 'aria-invalid="true"' in html and f'id="{field}-error"' in html
    assert "没有保存" in html
    assert _marks(app) == 0


def test_submitting_needs_every_mark_and_freezes_the_sheet(app, client, world):
    sign_in(client, world["judge_a"])
    ids = world["aspects"]
    response = post_form(client, _sheet(world), {f"mark-{ids['B']}": "2", "action": "submit"})
    assert response.status_code == 400
    assert "提交评分表前请填写此项分数" in response.get_data(as_text=True)
    assert _marks(app) == 0
    draft = post_form(client, _sheet(world), {f"mark-{ids['B']}": "2", "action": "draft"})
    assert draft.status_code == 302 and _marks(app) == 1
    full = {f"mark-{ids['A']}": "18", f"mark-{ids['B']}": "2", f"mark-{ids['C']}": "40.5",
            "action": "submit"}
    # Submitting asks first: the marks are kept as a draft, the page says what will happen
    # and sends them again with confirmed=1; 返回 leads back to the sheet.
    asked = post_form(client, _sheet(world), full)
    page = asked.get_data(as_text=True)
    assert asked.status_code == 200 and "无法撤销" in page and "40.5" in page
    assert 'name="confirmed" value="1"' in page and 'name="action" value="submit"' in page
    assert f'href="{_sheet(world)}"' in page
    assert _marks(app) == 3 and '<input type="number"' in _page(client, _sheet(world))
    done = post_form(client, _sheet(world), {**full, "confirmed": "1"})
    # On to the next sheet still to mark, by station.
    assert done.status_code == 302 and "/marking/" in done.headers["Location"]
    assert done.headers["Location"].rsplit("/", 1)[1] != world["codes"][1]
    frozen = _page(client, _sheet(world))
    assert '<input type="number"' not in frozen and "已提交" in frozen and "40.5" in frozen


def _lock(app, world):
    with app.app_context():
        event = db.session.get(Event, world["event"])
        users = {k: db.session.scalars(select(User).where(User.username == world[k])).one()
                 for k in ("judge_a", "judge_b", "chief")}
        judging_world.mark_all(event, users)
        judging_world._lock(event, users)
        db.session.commit()


def test_marking_after_the_lock_is_refused(app, client, world):
    _lock(app, world)
    sign_in(client, world["judge_a"])
    before = _marks(app)
    html = _page(client, _sheet(world))
    assert "评分已结束" in html and '<input type="number"' not in html
    response = post_form(client, _sheet(world), {
        f"mark-{world['aspects']['B']}": "3", "action": "draft"})
    assert _marks(app) == before
    with app.app_context():
        changed = db.session.scalar(select(func.count()).select_from(Mark).where(
            Mark.value == Decimal(3)))
    assert changed == 0 and response.status_code in (200, 302, 400)


def test_the_chief_judge_resolves_a_flag_and_locks(app, client, world):
    sign_in(client, world["chief"])
    chief = f"/competitions/events/{world['event']}/chief"
    html = _page(client, chief)
    _no_identity(app, html, world["event"])
    assert world["codes"][0] in html and "尚缺" in html
    refused = post_form(client, chief + "/lock", {})
    assert refused.status_code == 302
    assert "无法锁定" in _page(client, chief)
    with app.app_context():
        event = db.session.get(Event, world["event"])
        users = {k: db.session.scalars(select(User).where(User.username == world[k])).one()
                 for k in ("judge_a", "judge_b")}
        judging_world.mark_all(event, users, {(world["entries"][1], "B"): Decimal(0)})
        db.session.commit()
    html = _page(client, chief)
    assert "裁判A" in html and "裁判B" in html  # the chief judge sees who gave which mark
    flag = f"{chief}/flags/{world['entries'][1]}/B"
    prefix = f"flag-{world['entries'][1]}-B-"
    # the blank form drawn once is given the flag's own names and ids (issue 13)
    assert f'name="{prefix}action"' in html and f'id="{prefix}reason"' in html
    assert f'name="{prefix}csrf_token"' in html and "@@" not in html
    refused = post_form(client, flag, {prefix + "action": "confirm", prefix + "reason": ""})
    # The page again, the choice still made (issue 12): not a redirect that drops it.
    assert refused.status_code == 400
    assert "确认存在分歧的评分须说明理由" in refused.get_data(as_text=True)
    post_form(client, flag, {prefix + "action": "confirm", prefix + "reason": "复核录像，评分有据"})
    html = _page(client, chief)
    assert "可以锁定" in html
    decoded = f"/competitions/events/{world['event']}/decoded"
    before = client.get(decoded)
    assert before.status_code == 409 and CONTESTANT not in before.get_data(as_text=True)
    asked = post_form(client, chief + "/lock", {})  # asks first, locks nothing
    assert asked.status_code == 200 and "锁定" in asked.get_data(as_text=True)
    assert client.get(decoded).status_code == 409
    locked = post_form(client, chief + "/lock", {"confirmed": "1"})
    assert locked.status_code == 302
    assert CONTESTANT in _page(client, decoded)


def _missing_codes(html: str) -> list[str]:
    section = html.split('id="missing"', 1)[1].split("</section>", 1)[0]
    return re.findall(r"<code>(\w+)</code>", section)


def test_the_entries_missing_marks_are_listed_a_page_at_a_time(client, world, monkeypatch):
    """A thousand entries being marked are listed 50 a page (issue 13); here 1 a page."""
    monkeypatch.setattr("trainhub.competitions.views.chief.MISSING_PER_PAGE", 1)
    sign_in(client, world["chief"])
    chief = f"/competitions/events/{world['event']}/chief"
    first, second = _page(client, chief), _page(client, chief + "?page=2")
    assert len(_missing_codes(first)) == len(_missing_codes(second)) == 1
    assert {*_missing_codes(first), *_missing_codes(second)} <= set(world["codes"])
    assert _missing_codes(first) != _missing_codes(second)
    assert 'aria-current="page"' in first and f"{chief}?page=2" in first


def test_a_correction_needs_a_second_approver(app, client, world):
    _lock(app, world)
    path = f"/competitions/events/{world['event']}/corrections"
    with app.app_context():
        mark = db.session.scalars(select(Mark).where(
            Mark.aspect_id == world["aspects"]["A"])).first()
        mark_id = mark.id
    sign_in(client, world["arbitrator_1"])
    asked = post_form(client, path, {"mark_id": mark_id, "new_value": "17",
                                     "reason": "录入错误"})
    assert asked.status_code == 302
    with app.app_context():
        correction = db.session.scalars(select(Correction)).one()
        correction_id = correction.id
    decide = f"/competitions/corrections/{correction_id}/decide"
    post_form(client, decide, {"decision": "approve"})
    assert "第二人" in _page(client, path)
    with app.app_context():
        assert db.session.get(Correction, correction_id).status == "pending"
        assert db.session.get(Mark, mark_id).value == Decimal(18)
    client.post("/logout", data={"csrf_token": ""})
    second = app.test_client()
    sign_in(second, world["arbitrator_2"])
    post_form(second, decide, {"decision": "approve"})
    with app.app_context():
        assert db.session.get(Correction, correction_id).status == "approved"
        assert db.session.get(Mark, mark_id).value == Decimal(17)
    assert "17" in _page(second, path)


def test_a_correction_with_a_bad_mark_is_refused_beside_nothing_saved(app, client, world):
    _lock(app, world)
    path = f"/competitions/events/{world['event']}/corrections"
    with app.app_context():
        mark_id = db.session.scalars(select(Mark.id).where(
            Mark.aspect_id == world["aspects"]["A"])).first()
    sign_in(client, world["chief"])
    response = post_form(client, path, {"mark_id": mark_id, "new_value": "25",
                                        "reason": "录入错误"})
    assert response.status_code == 400 and "不能超过满分20。" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Correction)) == 0
