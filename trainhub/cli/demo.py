"""Demo data: one account per role, two institutions, an enterprise and several trainees.

Every ID number is synthetic but valid (checksum, real date), built from real county codes.
"""

from __future__ import annotations

from datetime import date

from flask import current_app
from sqlalchemy import func, select

from trainhub.cli import demo_guard
from trainhub.cli.demo_bases import load_demo_bases
from trainhub.cli.demo_competitions import EXTRA_JUDGE_ACCOUNTS, load_demo_competitions
from trainhub.cli.demo_subsidies import load_demo_subsidies
from trainhub.cli.demo_totp import enrol_demo_accounts
from trainhub.cli.demo_training import load_demo_training
from trainhub.core.accounts import services as accounts
from trainhub.core.accounts.models import Role, User
from trainhub.core.idnumbers import resident_id_check_char
from trainhub.core.organisations import Enterprise, Institution
from trainhub.core.parameters.defaults import load_defaults
from trainhub.core.people.models import EmploymentStatus
from trainhub.core.people.services import PersonInput, create_person
from trainhub.core.privacy import consent
from trainhub.core.privacy.models import Method
from trainhub.core.regions import load_regions
from trainhub.core.timeutil import local_today
from trainhub.extensions import db

DEMO_PASSWORD = "Demo-Pass-2024!"  # noqa: S105 - printed for the demo on purpose


def make_resident_id(region: str, born: date, sequence: int) -> str:
    """17 digits plus the GB 11643 check character; an odd sequence is male."""
    first17 = f"{region}{born:%Y%m%d}{sequence:03d}"
    return first17 + resident_id_check_char(first17)


def uscc(kind: str, region: str, serial: str) -> str:
    """kind: 52 private non-enterprise unit (schools), 91 company (GB 32100 codes)."""
    from trainhub.core.idnumbers import uscc_check_char

    first17 = f"{kind}{region}{serial}"
    return first17 + uscc_check_char(first17)


# name, county, birth date, sequence, disability category, grade, employment, needs
TRAINEES = [
    ("刘晓燕", "360102", date(1995, 3, 14), 142, 2, 2, "unemployed", {"needs_sign_language"}),
    ("陈志强", "360102", date(1988, 7, 2), 317, 1, 1, "unemployed",
     {"needs_braille", "needs_screen_reader"}),
    ("黄丽华", "360111", date(1992, 11, 23), 508, 4, 3, "unemployed", {"needs_wheelchair_access"}),
    ("钟文斌", "360702", date(1990, 5, 9), 271, 1, 2, "employed", {"needs_large_print"}),
    ("赖秀英", "360703", date(1999, 1, 30), 364, 3, 4, "unemployed", set()),
]


# username, display name, role, scope: a region code or the organisation it belongs to
ACCOUNTS = [
    # 三员分立: the system, security and audit administrators are three accounts.
    ("admin", "系统管理员", Role.ADMIN, ""),
    ("security.admin", "安全管理员", Role.SECURITY_ADMIN, ""),
    ("audit.admin", "审计管理员", Role.AUDIT_ADMIN, ""),
    ("sheng.officer", "王建国(省残联)", Role.FEDERATION_OFFICER, "36"),
    ("nanchang.officer", "李红梅(南昌市残联)", Role.FEDERATION_OFFICER, "3601"),
    ("donghu.officer", "张伟(东湖区残联)", Role.FEDERATION_OFFICER, "360102"),
    ("ganzhou.officer", "谢丽萍(赣州市残联)", Role.FEDERATION_OFFICER, "3607"),
    ("zhanggong.officer", "黄海(章贡区残联)", Role.FEDERATION_OFFICER, "360702"),
    ("school.staff", "周敏(南昌盲校)", Role.INSTITUTION_STAFF, "first"),
    ("craft.staff", "邱华(赣州非遗中心)", Role.INSTITUTION_STAFF, "second"),
    ("enterprise", "吴俊(赣鄱电商)", Role.ENTERPRISE_CONTACT, "enterprise"),
    ("judge", "郭静(裁判员)", Role.JUDGE, ""),
    ("chief.judge", "罗明(裁判长)", Role.CHIEF_JUDGE, ""),
]


def _organisations() -> tuple[Institution, Institution, Enterprise]:
    first = Institution(name="南昌市盲人按摩职业培训学校",
                        credit_code=uscc("52", "360102", "MA35X8R01"),
                        region_code="360102", address="南昌市东湖区阳明路 88 号")
    second = Institution(name="赣州市非遗手工技艺培训中心",
                         credit_code=uscc("52", "360702", "MA39K2T52"),
                         region_code="360702", address="赣州市章贡区文清路 12 号")
    enterprise = Enterprise(name="江西赣鄱电子商务有限公司",
                            credit_code=uscc("91", "360111", "MA38P4L73"), region_code="360111")
    db.session.add_all([first, second, enterprise])
    db.session.flush()
    return first, second, enterprise


def demo_logins() -> list[tuple[str, str, str]]:
    """The demo accounts as (username, password, description) rows."""
    rows = [(u, DEMO_PASSWORD, f"{role.value} — {name}") for u, name, role, _ in ACCOUNTS]
    rows += [(f"trainee{i + 1}", DEMO_PASSWORD, f"trainee — {t[0]}")
             for i, t in enumerate(TRAINEES)]
    rows += [(u, DEMO_PASSWORD, f"judge — {name}") for u, name in EXTRA_JUDGE_ACCOUNTS.items()]
    return rows


def load_demo(force: bool = False) -> list[tuple[str, str, str]] | None:
    """Create the demo records; None when the database already has accounts. Raises
    DemoRefused on a production configuration or a database of real accounts."""
    demo_guard.refuse_production(current_app.config)
    demo_guard.refuse_real_accounts({username for username, _, _ in demo_logins()}, force)
    if not force and db.session.scalar(select(func.count()).select_from(User)):
        return None
    load_regions()
    load_defaults()
    first, second, enterprise = _organisations()
    settings = accounts.settings_from(current_app.config)
    scopes = {"first": {"institution_id": first.id}, "second": {"institution_id": second.id},
              "enterprise": {"enterprise_id": enterprise.id}}
    for username, name, role, scope in ACCOUNTS:
        scope_args = scopes.get(scope, {"region_code": scope} if scope else {})
        accounts.create_user(username=username, display_name=name, role=role,
                             password=DEMO_PASSWORD, settings=settings, **scope_args)
    today = local_today()
    for index, (name, county, born, seq, category, grade, status, needs) in enumerate(TRAINEES):
        id_number = make_resident_id(county, born, seq)
        person = create_person(PersonInput(
            name=name, id_number=id_number, cert_number=f"{id_number}{category}{grade}",
            phone=f"1387006{index:04d}", household_region_code=county,
            employment_status=EmploymentStatus(status), needs=frozenset(needs),
        ), today)
        trainee = accounts.create_user(
            username=f"trainee{index + 1}", display_name=name, role=Role.TRAINEE,
            password=DEMO_PASSWORD, settings=settings, person_id=person.id)
        consent.give(person, trainee, Method.ONLINE)  # as registration records it
    load_demo_bases(first, second, today)
    load_demo_training(enterprise, today)
    load_demo_subsidies(today)
    load_demo_competitions(today, DEMO_PASSWORD)
    enrol_demo_accounts()
    return demo_logins()
