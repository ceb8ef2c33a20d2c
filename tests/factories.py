"""Plain factories for tests. Each call runs in its own application context and commits
(a savepoint under the test's transaction), returning ids and plain values, so view tests
never hold a context open across requests."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from flask import Flask

from trainhub.cli.demo import make_resident_id, uscc
from trainhub.cli.demo_totp import DEMO_TOTP_SECRET, enrol_demo_key
from trainhub.core.accounts.models import Role, User
from trainhub.core.accounts.passwords import hash_password
from trainhub.core.accounts.totp import REQUIRED_ROLES
from trainhub.core.organisations import Enterprise, Institution
from trainhub.core.people.models import EmploymentStatus
from trainhub.core.people.services import PersonInput, create_person
from trainhub.extensions import db

PASSWORD = "Correct-Horse-42!"
TOTP_SECRET = DEMO_TOTP_SECRET
_HASH = hash_password(PASSWORD, time_cost=1, memory_cost=8)
_seq = itertools.count(1)


class Factory:
    def __init__(self, app: Flask) -> None:
        self.app = app

    def _n(self) -> int:
        return next(_seq)

    def institution(self, region_code: str = "360102", name: str | None = None) -> int:
        n = self._n()
        with self.app.app_context():
            inst = Institution(name=name or f"测试培训学校{n}", region_code=region_code,
                               credit_code=uscc("52", region_code, f"MA{n:07d}"))
            db.session.add(inst)
            db.session.commit()
            return inst.id

    def enterprise(self, region_code: str = "360111") -> int:
        n = self._n()
        with self.app.app_context():
            ent = Enterprise(name=f"测试企业{n}", region_code=region_code,
                             credit_code=uscc("91", region_code, f"MA{n:07d}"))
            db.session.add(ent)
            db.session.commit()
            return ent.id

    def id_number(self, region_code: str = "360102", born: date = date(1990, 5, 17),
                  male: bool = True) -> str:
        seq = self._n() % 500 * 2 + (1 if male else 0)
        return make_resident_id(region_code, born, seq)

    def person(self, region_code: str = "360102", *, category: int | None = 4, grade: int = 3,
               name: str = "测试学员", born: date = date(1990, 5, 17), male: bool = True,
               phone: str | None = "13800001234") -> int:
        id_number = self.id_number(region_code, born, male)
        cert = f"{id_number}{category}{grade}" if category else None
        with self.app.app_context():
            person = create_person(PersonInput(
                name=name, id_number=id_number, cert_number=cert, phone=phone,
                household_region_code=region_code,
                employment_status=EmploymentStatus.UNEMPLOYED,
            ), today=date(2026, 1, 1))
            db.session.commit()
            return person.id

    def user(self, role: Role | str, *, region_code: str | None = None,
             institution_id: int | None = None, enterprise_id: int | None = None,
             person_id: int | None = None, username: str | None = None,
             second_factor: bool | None = None, **fields: Any) -> str:
        """Create an account with the scope its role needs; returns the username. A role
        that requires a second factor gets TOTP_SECRET enrolled unless second_factor=False
        (True enrols any role)."""
        role = Role(role)
        if role == Role.FEDERATION_OFFICER and region_code is None:
            region_code = "36"
        if role == Role.INSTITUTION_STAFF and institution_id is None:
            institution_id = self.institution()
        if role == Role.ENTERPRISE_CONTACT and enterprise_id is None:
            enterprise_id = self.enterprise()
        if role == Role.TRAINEE and person_id is None:
            person_id = self.person()
        username = username or f"{role.value}{self._n()}"
        with self.app.app_context():
            db.session.add(User(
                username=username, display_name=username, role=role.value,
                region_code=region_code, institution_id=institution_id,
                enterprise_id=enterprise_id, person_id=person_id, password_hash=_HASH,
                **fields,
            ))
            if second_factor if second_factor is not None else role.value in REQUIRED_ROLES:
                db.session.flush()
                enrol_demo_key(username)
            db.session.commit()
        return username

    def get_user(self, username: str) -> User:
        with self.app.app_context():
            user = db.session.query(User).filter_by(username=username).one()
            db.session.expunge(user)
            return user
