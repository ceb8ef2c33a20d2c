"""Demo competition: 江西省第七届残疾人职业技能竞赛, organised by the province, with two
events. 盲人保健按摩 (visual disability only) is confirmed and drawn, its judges assigned, so
judges can mark at once; 电子商务 (any category) is still open, so the cities' officers can
register. Delegations of 南昌市, 赣州市, 九江市 and 上饶市; the demo accounts `judge` and
`chief.judge` and two more judges in the registry; an arbitration group.

Last year's 江西省第六届残疾人职业技能竞赛 is over: its 手工编织 event was marked, locked and
published, so its public results, the medal table and the award certificates can be read
(trainee3 holds one, under 我的竞赛成绩)."""

from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal

from flask import current_app
from sqlalchemy import select

from trainhub.competitions import (
    arbitration,
    creation,
    drawing,
    judging,
    marking,
    registration,
    results,
)
from trainhub.competitions.creation import CompetitionInput, EventInput
from trainhub.competitions.models import Competition, Entry, Event, Judge
from trainhub.competitions.schemes import AspectInput
from trainhub.core.accounts import services as accounts
from trainhub.core.accounts.models import Role, User
from trainhub.core.idnumbers import resident_id_check_char
from trainhub.core.organisations import Institution
from trainhub.core.people.models import EmploymentStatus, Person
from trainhub.core.people.services import PersonInput, create_person
from trainhub.core.timeutil import from_local
from trainhub.extensions import db

MASSAGE_SCHEME = (
    AspectInput("A", "操作规范与卫生（测量）", "measurement", None, Decimal(20), Decimal("0.5")),
    AspectInput("B", "推拿手法（评价 0–3）", "judgement", "wsos", Decimal(45)),
    AspectInput("C", "沟通与服务（评分）", "judgement", "points", Decimal(35), Decimal("0.5")),
)
ECOMMERCE_SCHEME = (
    AspectInput("A", "店铺搭建完成度（测量）", "measurement", None, Decimal(30), Decimal(1)),
    AspectInput("B", "商品详情页设计（评价 0–3）", "judgement", "wsos", Decimal(40)),
    AspectInput("C", "客服应答（评分）", "judgement", "points", Decimal(30), Decimal(1)),
)

# name, county, birth date, sequence (odd: male), disability category, grade
CONTESTANTS = {
    "王海涛": ("360111", date(1987, 4, 18), 233, 1, 2),
    "刘春华": ("360703", date(1993, 8, 6), 148, 1, 3),
    "周建平": ("360403", date(1985, 12, 1), 411, 1, 1),
    "江美玲": ("361102", date(1996, 2, 27), 326, 1, 2),
    "程磊": ("361102", date(1998, 10, 12), 517, 4, 3),
    "吴芳": ("360403", date(1994, 5, 20), 262, 2, 2),
}
HANDICRAFT_SCHEME = (
    AspectInput("A", "作品完成度（测量）", "measurement", None, Decimal(20), Decimal("0.5")),
    AspectInput("B", "编织工艺（评价 0–3）", "judgement", "wsos", Decimal(45)),
    AspectInput("C", "创意与美观（评分）", "judgement", "points", Decimal(35), Decimal("0.5")),
)
# Last year's contestants: city, then as CONTESTANTS; "trainee3" is the demo trainee 黄丽华.
PAST_CONTESTANTS = {
    "黄丽华": ("3601", None),
    "邱桂兰": ("3607", ("360702", date(1989, 9, 15), 624, 4, 3)),
    "袁志明": ("3609", ("360902", date(1991, 6, 3), 335, 2, 2)),
    "饶文静": ("3610", ("361002", date(1997, 3, 21), 188, 4, 2)),
}
# Each entry's marks (A, B, C), the same from every judge allowed to mark it: distinct
# ranks, no disagreement.
PAST_MARKS = [(Decimal(19), Decimal(3), Decimal(33)), (Decimal(17), Decimal(2), Decimal(30)),
              (Decimal("15.5"), Decimal(2), Decimal(26)), (Decimal(14), Decimal(1), Decimal(22))]

# username, display name, role, home city, institution (the first demo institution or none)
JUDGES = [
    ("judge", "郭静", "3604", True, ["保健按摩师"]),
    ("chief.judge", "罗明", "3605", False, ["保健按摩师", "互联网营销师"]),
    ("judge.zhao", "赵立新", "3603", False, ["保健按摩师"]),
    ("judge.sun", "孙丽", "3608", False, ["互联网营销师"]),
]
EXTRA_JUDGE_ACCOUNTS = {"judge.zhao": "赵立新(裁判员)", "judge.sun": "孙丽(裁判员)"}


def _user(username: str) -> User:
    return db.session.scalars(select(User).where(User.username == username)).one()


def _trainee(username: str) -> Person:
    person = _user(username).person
    assert person is not None
    return person


def _person(name: str, county: str, born: date, seq: int, category: int, grade: int,
            today: date) -> Person:
    first17 = f"{county}{born:%Y%m%d}{seq:03d}"
    id_number = first17 + resident_id_check_char(first17)
    return create_person(PersonInput(
        name=name, id_number=id_number, cert_number=f"{id_number}{category}{grade}",
        phone=None, household_region_code=county,
        employment_status=EmploymentStatus.UNEMPLOYED), today)


def _people(today: date) -> dict[str, Person]:
    made = {name: _person(name, *facts, today) for name, facts in CONTESTANTS.items()}
    for username in ("trainee1", "trainee2", "trainee4", "trainee5"):
        person = _trainee(username)
        made[person.name] = person
    return made


def _judges(password: str) -> dict[str, Judge]:
    settings = accounts.settings_from(current_app.config)
    for username, display_name in EXTRA_JUDGE_ACCOUNTS.items():
        accounts.create_user(username=username, display_name=display_name, role=Role.JUDGE,
                             password=password, settings=settings)
    school = db.session.scalars(select(Institution).order_by(Institution.id)).first()
    return {username: judging.register_judge(
        _user(username), name, city, school.id if works_at_school and school else None,
        specialties) for username, name, city, works_at_school, specialties in JUDGES}


def _enter(event: Event, city: str, person: Person, today: date) -> Entry:
    # The demo has officer accounts for 南昌市 and 赣州市 only; the province's officer enters
    # the other two cities' contestants on their behalf.
    officer = _user({"3601": "nanchang.officer", "3607": "ganzhou.officer"}.get(
        city, "sheng.officer"))
    return registration.register(event, registration.delegation_for(event.competition, city),
                                 [person], officer, today)


def _massage(made: Competition, people: dict[str, Person], organiser: User,
             today: date) -> Event:
    event = creation.add_event(made, EventInput(
        name="盲人保健按摩", occupation="保健按摩师", team_size=1, quota=3, categories=(1,),
        grades=(), age_reference_date=made.starts_on, aspects=MASSAGE_SCHEME))
    for city, name in (("3601", "陈志强"), ("3601", "王海涛"), ("3607", "钟文斌"),
                       ("3607", "刘春华"), ("3604", "周建平"), ("3611", "江美玲")):
        registration.decide(_enter(event, city, people[name], today), True, organiser)
    return event


def _ecommerce(made: Competition, people: dict[str, Person], organiser: User,
               today: date) -> Event:
    event = creation.add_event(made, EventInput(
        name="电子商务", occupation="互联网营销师", team_size=1, quota=2, categories=(),
        grades=(), age_reference_date=made.starts_on, aspects=ECOMMERCE_SCHEME,
        award_rule="ratio", award_ratios=(("一等奖", Decimal(10)), ("二等奖", Decimal(20)),
                                          ("三等奖", Decimal(30)))))
    _enter(event, "3601", people["刘晓燕"], today)
    registration.decide(_enter(event, "3607", people["赖秀英"], today), True, organiser)
    _enter(event, "3611", people["程磊"], today)
    registration.decide(_enter(event, "3604", people["吴芳"], today), False, organiser,
                        "残疾人证已过期，请换领新证后重新报名。")
    return event


def _past_competition(judges: dict[str, Judge], organiser: User, today: date) -> Competition:
    """Last year's competition, run to the end: registered, drawn, marked by both judges,
    locked by the chief judge, published after the appeal window."""
    opens = today - timedelta(days=400)
    starts = opens + timedelta(days=30)
    made = creation.create_competition("36", CompetitionInput(
        "江西省第六届残疾人职业技能竞赛", starts, starts + timedelta(days=1), opens,
        opens + timedelta(days=20), "江西省残疾人综合服务中心（南昌市）"), organiser)
    for username in ("sheng.officer", "judge.sun"):
        arbitration.add(made, _user(username))
    event = creation.add_event(made, EventInput(
        name="手工编织", occupation="手工编织工", team_size=1, quota=2, categories=(),
        grades=(), age_reference_date=starts, aspects=HANDICRAFT_SCHEME))
    for name, (city, facts) in PAST_CONTESTANTS.items():
        person = _trainee("trainee3") if facts is None else _person(name, *facts, today)
        registration.decide(_enter(event, city, person, opens + timedelta(days=5)), True,
                            organiser)
    for username, chief in (("chief.judge", True), ("judge", False), ("judge.zhao", False)):
        judging.assign(event, judges[username], chief)
    drawing.draw(event, organiser, made.registration_closes + timedelta(days=1))
    marked_at = from_local(starts, time(15))
    ids = {a.code: a.id for a in event.aspects}
    entries = sorted((e for e in event.entries if e.code), key=lambda e: e.id)
    conflicts = judging.conflicts(event)
    for assignment in (a for a in event.assignments if not a.chief):
        for entry, (a, b, c) in zip(entries, PAST_MARKS, strict=True):
            if not conflicts.allowed(assignment.judge_id, entry.id):
                continue  # 回避: 郭静 works at the school 黄丽华 trained at
            marking.save_sheet(event, assignment, entry, {ids["A"]: a, ids["B"]: b, ids["C"]: c},
                               submit=True, now=marked_at)
    event.ends_at = from_local(starts + timedelta(days=1), time(17))
    chief_judge = next(a.judge.user for a in event.assignments if a.chief)
    marking.lock(event, chief_judge, event.ends_at)
    results.publish(event, organiser, event.ends_at + timedelta(days=1))
    return made


def load_demo_competitions(today: date, password: str) -> None:
    organiser = _user("sheng.officer")
    starts = today + timedelta(days=21)
    made = creation.create_competition("36", CompetitionInput(
        "江西省第七届残疾人职业技能竞赛", starts, starts + timedelta(days=2),
        today - timedelta(days=14), today + timedelta(days=7),
        "江西省残疾人综合服务中心（南昌市）"), organiser)
    people = _people(today)
    judges = _judges(password)
    massage = _massage(made, people, organiser, today)
    ecommerce = _ecommerce(made, people, organiser, today)
    for username, chief in (("chief.judge", True), ("judge", False), ("judge.zhao", False)):
        judging.assign(massage, judges[username], chief)
    judging.assign(ecommerce, judges["judge.sun"], False)
    # The massage event is drawn ahead of the close, as if its registration had ended, so
    # that judges can mark in the demo while the cities still register for e-commerce.
    drawing.draw(massage, organiser, made.registration_closes + timedelta(days=1))
    for username in ("sheng.officer", "judge.sun"):
        arbitration.add(made, _user(username))
    _past_competition(judges, organiser, today)
    db.session.flush()
