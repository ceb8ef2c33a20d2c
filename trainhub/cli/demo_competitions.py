"""Demo competition: 江西省第七届残疾人职业技能竞赛, organised by the province, with two
events. 盲人保健按摩 (visual disability only) is confirmed and drawn, its judges assigned, so
judges can mark at once; 电子商务 (any category) is still open, so the cities' officers can
register. Delegations of 南昌市, 赣州市, 九江市 and 上饶市; the demo accounts `judge` and
`chief.judge` and two more judges in the registry; an arbitration group."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from flask import current_app
from sqlalchemy import select

from trainhub.competitions import arbitration, creation, drawing, judging, registration
from trainhub.competitions.creation import CompetitionInput, EventInput
from trainhub.competitions.models import Competition, Entry, Event, Judge
from trainhub.competitions.schemes import AspectInput
from trainhub.core.accounts import services as accounts
from trainhub.core.accounts.models import Role, User
from trainhub.core.idnumbers import resident_id_check_char
from trainhub.core.organisations import Institution
from trainhub.core.people.models import EmploymentStatus, Person
from trainhub.core.people.services import PersonInput, create_person
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


def _people(today: date) -> dict[str, Person]:
    made = {}
    for name, (county, born, seq, category, grade) in CONTESTANTS.items():
        first17 = f"{county}{born:%Y%m%d}{seq:03d}"
        id_number = first17 + resident_id_check_char(first17)
        made[name] = create_person(PersonInput(
            name=name, id_number=id_number, cert_number=f"{id_number}{category}{grade}",
            phone=None, household_region_code=county,
            employment_status=EmploymentStatus.UNEMPLOYED), today)
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
    db.session.flush()
