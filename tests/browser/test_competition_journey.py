"""A skills competition in a browser: the 南昌 and 赣州 officers register blind contestants
for blind massage; the provincial organiser confirms them and draws stations and codes; two
judges mark every entry with the keyboard alone (Tab, type, Enter), one of them first typing
a mark off the scale; the chief judge confirms a flagged disagreement and locks; the
organiser publishes once the appeal window has passed; the public reads the results and the
medal table; the winner downloads the certificate, whose QR page verifies it. Every page
reached is checked by axe (WCAG 2.1 A and AA).

The competition, its event and the judges' assignments are made through the services in the
live database (the organiser's pages for them have their own tests); the registration,
confirmation and draw go through the organiser's and delegations' pages."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select, update

from tests.browser.helpers import active, path_of, sign_in, submit, tab_until, visit
from tests.competitions import judging_world
from tests.factories import PASSWORD, Factory
from trainhub.cli.demo import DEMO_PASSWORD, make_resident_id
from trainhub.competitions import creation, judging
from trainhub.competitions.creation import CompetitionInput, EventInput
from trainhub.competitions.models import Competition, Entry, Event, Judge, Result
from trainhub.competitions.schemes import AspectInput
from trainhub.core.accounts import services as accounts
from trainhub.core.accounts.models import Role, User
from trainhub.core.people.models import EmploymentStatus
from trainhub.core.people.services import PersonInput, create_person
from trainhub.core.timeutil import local_today, utcnow
from trainhub.extensions import db

pytestmark = pytest.mark.browser

COMPETITION = "江西省第七届残疾人职业技能竞赛（旅程）"
WINNER = "陈志强"  # trainee2 of the demo data, blind, 南昌市东湖区
CHEN = make_resident_id("360102", date(1988, 7, 2), 317)
ZHONG = make_resident_id("360702", date(1990, 5, 9), 271)  # 钟文斌, 赣州市章贡区
PENG = make_resident_id("360103", date(1993, 4, 8), 421)   # 彭建华, made here
JUDGES = {"journey.judge1": "钱峰(裁判员)", "journey.judge2": "李敏(裁判员)"}
ASPECTS = (
    AspectInput("A", "操作规范（测量）", "measurement", None, Decimal(20), Decimal("0.5")),
    AspectInput("B", "手法（评价 0–3）", "judgement", "wsos", Decimal(30)),
    AspectInput("C", "沟通与服务（评分）", "judgement", "points", Decimal(50), Decimal("0.5")),
)


def _as(page: Any, username: str) -> None:
    page.context.clear_cookies()
    sign_in(page, username, DEMO_PASSWORD)


def _click(page: Any, selector: str, status: int | None = None) -> None:
    submit(page, page.locator(selector).first.click, status)


def _user(username: str) -> User:
    return db.session.scalars(select(User).where(User.username == username)).one()


def _judge(username: str, city: str) -> Judge:
    found = db.session.scalar(select(Judge).join(User).where(User.username == username))
    return found or judging.register_judge(_user(username), "", city, None, ["保健按摩师"])


def _set_up(live_app: Any) -> tuple[int, int]:
    """The competition open for registration today, its event, a third blind contestant
    of 南昌, a second judge account and the event's judges: (competition, event)."""
    today = local_today()
    with live_app.app_context():
        organiser = _user("sheng.officer")
        made = creation.create_competition("36", CompetitionInput(
            COMPETITION, today + timedelta(days=10), today + timedelta(days=12),
            today - timedelta(days=5), today + timedelta(days=5), "南昌市"), organiser)
        event = creation.add_event(made, EventInput(
            "盲人保健按摩", "保健按摩师", 1, 3, (1,), (), today + timedelta(days=10), ASPECTS))
        create_person(PersonInput(name="彭建华", id_number=PENG, cert_number=f"{PENG}12",
                                  phone="13870069999", household_region_code="360103",
                                  employment_status=EmploymentStatus.UNEMPLOYED), today)
        # Two judges of their own, from cities and institutions no contestant comes from
        # (the demo's judges may have conflicts with these contestants).
        settings = accounts.settings_from(live_app.config)
        for username, name in JUDGES.items():
            accounts.create_user(username=username, display_name=name, role=Role.JUDGE,
                                 password=DEMO_PASSWORD, settings=settings)
        for username, city, chief in (("journey.judge1", "3604", False),
                                      ("journey.judge2", "3605", False),
                                      ("chief.judge", "3602", True)):
            judging.assign(event, _judge(username, city), chief)
        db.session.commit()
        return made.id, event.id


def _register(page: Any, officer: str, city: str, competition: int, event: int,
              numbers: list[str]) -> None:
    _as(page, officer)
    visit(page, "/competitions/")
    for number in numbers:
        visit(page, f"/competitions/{competition}/delegations/{city}")
        page.fill(f"#e{event}-numbers-0", number)
        _click(page, f"form[action$='/delegations/{city}/entries'] button[type=submit]")
        assert "参赛" in page.inner_text("main")


def _confirm_and_draw(page: Any, live_app: Any, competition: int, event: int) -> None:
    _as(page, "sheng.officer")
    for _ in range(3):
        visit(page, f"/competitions/events/{event}")
        _click(page, "form[action$='/confirm'] button[type=submit]")
    with live_app.app_context():  # registration closed yesterday
        db.session.execute(update(Competition).where(Competition.id == competition).values(
            registration_closes=local_today() - timedelta(days=1)))
        db.session.commit()
    visit(page, f"/competitions/events/{event}")
    _click(page, "form[action$='/draw'] button[type=submit]")
    assert "工位" in page.inner_text("main")


def _enter(page: Any, values: list[str]) -> None:
    """On a sheet: Tab to the first mark, type each value, Tab on, Enter on submit."""
    tab_until(page, lambda el: el.get("id", "").startswith("mark-"), limit=60)
    for n, value in enumerate(values):
        if n:
            page.keyboard.press("Tab")
            assert active(page)["id"].startswith("mark-"), active(page)
        page.keyboard.press("Control+A")
        page.keyboard.type(value)
    tab_until(page, lambda el: el.get("text") == "提交评分表", limit=5)


def _mark_by_keyboard(page: Any, username: str, event: int, sheets: list[list[str]],
                      first_wrong: list[str] | None = None) -> None:
    _as(page, username)
    tab_until(page, lambda el: el.get("href") == "/competitions/marking")
    submit(page, lambda: page.keyboard.press("Enter"))
    tab_until(page, lambda el: el.get("href") == f"/competitions/events/{event}/marking",
              limit=60)
    submit(page, lambda: page.keyboard.press("Enter"))
    assert WINNER not in page.inner_text("body") and "南昌" not in page.inner_text("main")
    tab_until(page, lambda el: (el.get("href") or "").startswith(
        f"/competitions/events/{event}/marking/"), limit=60)
    submit(page, lambda: page.keyboard.press("Enter"))
    if first_wrong:
        _enter(page, first_wrong)
        submit(page, lambda: page.keyboard.press("Enter"), status=400)
        assert "没有保存任何分数" in page.inner_text("main")
    for values in sheets:
        assert WINNER not in page.inner_text("body")
        _enter(page, values)
        submit(page, lambda: page.keyboard.press("Enter"))
        # Submitting asks first: the page lists the marks; 确认 is reached by keyboard.
        assert "无法撤销" in page.inner_text("main") and values[-1] in page.inner_text("main")
        tab_until(page, lambda el: el.get("text") == "确认提交评分表", limit=60)
        submit(page, lambda: page.keyboard.press("Enter"))
    assert path_of(page) == f"/competitions/events/{event}/marking"
    assert page.inner_text("main").count("已提交") >= len(sheets)


def _stations(live_app: Any, event: int) -> list[str]:
    """The contestants' names by station, known to the test (never to the judges)."""
    with live_app.app_context():
        entries = db.session.scalars(select(Entry).where(
            Entry.event_id == event, Entry.status == "confirmed")
            .order_by(Entry.station_no)).all()
        return [e.members[0].person.name for e in entries]


def _marks(names: list[str], judge: int) -> list[list[str]]:
    """Judge 1 types A, B, C; judge 2 only B and C (the measurement is entered once). At
    station 1 they disagree on B (3 and 1): the flag. The winner gets the best C."""
    sheets = []
    for station, name in enumerate(names, start=1):
        b = ("3" if judge == 1 else "1") if station == 1 else "2"
        c = "48" if name == WINNER else "40"
        sheets.append(["18", b, c] if judge == 1 else [b, c])
    return sheets


def _watch_scoreboard(page: Any, event: int) -> None:
    _as(page, "sheng.officer")
    visit(page, f"/competitions/events/{event}/scoreboard")
    toggle = page.locator("#scoreboard-toggle")
    assert toggle.is_visible()  # the script runs under the CSP
    toggle.click()
    assert toggle.inner_text() == "恢复自动刷新（每30秒）"
    assert WINNER not in page.inner_text("main")


def _resolve_and_lock(page: Any, event: int) -> None:
    _as(page, "chief.judge")
    chief = f"/competitions/events/{event}/chief"
    visit(page, chief)
    _click(page, "form[action$='/chief/lock'] button[type=submit]")
    assert "分歧尚未处理" in page.inner_text("main")
    page.locator("article input[type=radio][value=confirm]").first.check()
    page.locator("article textarea").first.fill("复核录像，两位裁判的评分均有依据")
    _click(page, "form[action*='/chief/flags/'] button[type=submit]")
    assert "可以锁定" in page.inner_text("main")
    _click(page, "form[action$='/chief/lock'] button[type=submit]")
    assert "加密号将被解码" in page.inner_text("main")  # what the lock will do
    _click(page, "form.confirm-form button[type=submit]")
    assert "评分已锁定" in page.inner_text("main")
    visit(page, f"/competitions/events/{event}/decoded")
    assert WINNER in page.inner_text("main")


def _publish(page: Any, live_app: Any, event: int) -> None:
    _as(page, "sheng.officer")
    scoreboard = f"/competitions/events/{event}/scoreboard"
    visit(page, scoreboard)
    assert WINNER in page.inner_text("main")  # decoded after the lock
    _click(page, "form[action$='/publish'] button[type=submit]")
    assert "申诉受理期至" in page.inner_text("main")
    with live_app.app_context():  # the two-hour appeal window passes
        db.session.execute(update(Event).where(Event.id == event).values(
            ends_at=utcnow() - timedelta(hours=3)))
        db.session.commit()
    visit(page, scoreboard)
    _click(page, "form[action$='/publish'] button[type=submit]")
    assert "份获奖证书" in page.inner_text("main")  # what publication will do
    _click(page, "form.confirm-form button[type=submit]")
    assert "成绩已公布" in page.inner_text("main")
    sheet = page.context.request.get(f"/competitions/events/{event}/results-sheet.pdf")
    assert sheet.status == 200 and sheet.body().startswith(b"%PDF")


def _read_results(page: Any, competition: int, event: int) -> None:
    page.context.clear_cookies()
    visit(page, f"/competitions/events/{event}/results")
    first = page.locator("main table tbody tr").first.inner_text()
    assert WINNER in first and "一等奖" in first and "南昌市代表队" in first
    visit(page, f"/competitions/events/{event}/results?standardised=1")
    visit(page, f"/competitions/{competition}/results")
    assert re.search(r"南昌市代表队\s+1", page.inner_text("#medal-table"))


def _certificate(page: Any, live_app: Any, event: int) -> None:
    _as(page, "trainee2")
    visit(page, "/competitions/mine")
    link = page.locator("a[href$='/certificate.pdf']").first.get_attribute("href")
    pdf = page.context.request.get(link)
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")
    with live_app.app_context():
        code = db.session.scalars(select(Result.verification_code).where(
            Result.event_id == event, Result.award.is_not(None))).one()
    page.context.clear_cookies()
    visit(page, f"/verify/{code}")
    text = page.inner_text("main")
    assert WINNER in text and "一等奖" in text and "有效" in text


def test_register_draw_mark_lock_publish_verify(page: Any, live_app: Any) -> None:
    competition, event = _set_up(live_app)
    _register(page, "nanchang.officer", "3601", competition, event, [CHEN, PENG])
    _register(page, "ganzhou.officer", "3607", competition, event, [ZHONG])
    _confirm_and_draw(page, live_app, competition, event)
    names = _stations(live_app, event)
    _mark_by_keyboard(page, "journey.judge1", event, _marks(names, 1),
                      first_wrong=["18", "5", "40"])
    _watch_scoreboard(page, event)
    _mark_by_keyboard(page, "journey.judge2", event, _marks(names, 2))
    _resolve_and_lock(page, event)
    _publish(page, live_app, event)
    _read_results(page, competition, event)
    _certificate(page, live_app, event)


def _sign_in_as(page: Any, username: str) -> None:
    page.context.clear_cookies()
    sign_in(page, username, PASSWORD)


def test_corrections_appeals_and_arbitration_pages(page: Any, live_app: Any) -> None:
    """After the lock: a correction typed above the maximum, then one approved by a second
    member of the arbitration group; an appeal filed within the window and decided."""
    world = judging_world.build(live_app, Factory(live_app), "locked")
    event = world["event"]
    with live_app.app_context():  # the event ended half an hour ago: appeals are open
        db.session.execute(update(Event).where(Event.id == event).values(
            ends_at=utcnow() - timedelta(minutes=30)))
        # The test builders name an account like its username (federation_officer2);
        # people have names, which the pages show (the plain-Chinese check reads such a
        # name as a code)
        for account in db.session.scalars(select(User)):
            if re.fullmatch(r"[a-z_.\-]+\d*", account.display_name):
                account.display_name = f"测试人员{account.id}"
        db.session.commit()
    corrections = f"/competitions/events/{event}/corrections"
    _sign_in_as(page, world["chief"])
    visit(page, corrections)
    page.fill("#new_value", "25")
    page.fill("#reason", "录入错误")
    _click(page, "main form button[type=submit]", status=400)
    assert "不能超过满分20" in page.inner_text("main")
    page.fill("#new_value", "17")
    _click(page, "main form button[type=submit]")
    assert "须由仲裁组另一名成员批准" in page.inner_text("main")
    _sign_in_as(page, world["arbitrator_1"])
    visit(page, corrections)
    _click(page, "button[name=decision][value=approve]")
    assert "已批准并生效" in page.inner_text("main")

    _sign_in_as(page, world["city_officer"])
    appeal = f"/competitions/events/{event}/appeal"
    visit(page, appeal)
    _click(page, "main form button[type=submit]", status=400)  # nothing typed
    page.fill("#content", "测量分录入有误，请复核")
    _click(page, "main form button[type=submit]")
    assert "申诉已提交" in page.inner_text("main")
    _sign_in_as(page, world["arbitrator_2"])
    visit(page, f"/competitions/events/{event}/arbitration")
    page.locator("article input[type=radio][value=dismissed]").first.check()
    page.locator("article textarea").first.fill("测量分已按更正程序修改，维持其余评分")
    _click(page, "article form button[type=submit]")
    assert "申诉裁决已记录" in page.inner_text("main")
