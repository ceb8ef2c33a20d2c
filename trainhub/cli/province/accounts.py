"""Accounts of the province: an officer for every federation (province, 11 cities, 100
counties), a staff account for every institution, a contact for every enterprise, the
judges; and, at the end, a few of them made sign-in accounts with the demo password.

The bulk accounts share one argon2 hash of a random secret nobody holds: they are the
names behind reviews, approvals and marks, not doors. The sign-in accounts get their own
hash of the demo password (core.accounts.passwords, the app's settings)."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any, cast

from flask import current_app
from sqlalchemy import Table, update

from trainhub.cli.demo import DEMO_PASSWORD
from trainhub.cli.province import names
from trainhub.cli.province.bulk import Bulk
from trainhub.cli.province.world import World
from trainhub.core.accounts.models import Role, User
from trainhub.core.accounts.passwords import hash_password
from trainhub.core.accounts.services import settings_from
from trainhub.core.timeutil import utcnow

USERS = cast(Table, User.__table__)


class Accounts:
    """Rows of the users table, written in groups as their organisations exist."""

    def __init__(self, world: World, bulk: Bulk) -> None:
        self.world, self.bulk = world, bulk
        settings = settings_from(current_app.config)
        self._hash = hash_password(secrets.token_urlsafe(24), settings.argon2_time_cost,
                                   settings.argon2_memory_cost)
        # before the first application for a base (a few months before its certification)
        self.created_at = world.moment(world.bases_start - timedelta(days=200),
                                       world.rng("accounts"))
        self.count = 0

    def row(self, user_id: int, username: str, display_name: str, role: Role,
            **scope: Any) -> dict[str, Any]:
        return {"id": user_id, "username": username, "display_name": display_name[:64],
                "role": role.value, "region_code": scope.get("region_code"),
                "institution_id": scope.get("institution_id"),
                "enterprise_id": scope.get("enterprise_id"), "person_id": scope.get("person_id"),
                "password_hash": self._hash, "password_changed_at": self.created_at,
                "must_change_password": False, "failed_logins": 0, "locked_until": None,
                "is_active_account": True, "expires_at": None, "last_login_at": None,
                "created_at": self.created_at}

    def write(self, rows: list[dict[str, Any]]) -> None:
        self.count += self.bulk.insert(USERS, rows)

    def officers(self) -> None:
        """One officer per federation, named like the demo's 王建国(省残联)."""
        world, rng = self.world, self.world.rng("accounts")
        regions = [("36", "江西省")] + list(world.cities.items()) + [
            (c.code, c.name) for c in world.counties]
        ids = self.bulk.ids(USERS, len(regions))
        rows = []
        for (code, name), user_id in zip(regions, ids, strict=True):
            world.officers[code] = user_id
            label = "省残联" if code == "36" else f"{name}残联"
            person = names.person_name(rng, rng.choice("MF"))
            rows.append(self.row(user_id, f"officer.{code}", f"{person}({label})",
                                 Role.FEDERATION_OFFICER, region_code=code))
        self.write(rows)

    def organisations(self) -> None:
        world, rng = self.world, self.world.rng("accounts")
        rows = []
        ids = iter(self.bulk.ids(USERS, len(world.institutions)
                                 + len(world.enterprises)))
        for org in world.institutions:
            user_id = next(ids)
            world.staff[org.id] = user_id
            rows.append(self.row(user_id, f"staff.{org.id}",
                                 names.person_name(rng, rng.choice("MF")),
                                 Role.INSTITUTION_STAFF, institution_id=org.id))
        for org in world.enterprises:
            user_id = next(ids)
            world.contacts[org.id] = user_id
            rows.append(self.row(user_id, f"contact.{org.id}",
                                 names.person_name(rng, rng.choice("MF")),
                                 Role.ENTERPRISE_CONTACT, enterprise_id=org.id))
        self.write(rows)

    def officer_for(self, region: str, level: str = "county") -> int:
        """The federation officer of the county, its city or the province."""
        code = {"county": region, "city": region[:4], "province": "36"}[level]
        return self.world.officers[code]


def make_signins(world: World, accounts: Accounts, chosen: dict[str, int],
                 trainee_person: int | None) -> None:
    """The demo password for a few accounts that take part (renamed to be found), and a
    trainee account for a person with a paid subsidy. Their password date is the real
    time of generation, so that the 90-day expiry does not ask for a change at once."""
    settings = settings_from(current_app.config)
    password_hash = hash_password(DEMO_PASSWORD, settings.argon2_time_cost,
                                  settings.argon2_memory_cost)
    changed: datetime = utcnow()
    connection = accounts.bulk.connection
    for username, user_id in chosen.items():
        connection.execute(update(USERS).where(USERS.c.id == user_id).values(
            username=username, password_hash=password_hash, password_changed_at=changed))
        world.signins[username] = user_id
    if trainee_person is not None:
        user_id = accounts.bulk.next_id(USERS)
        person = next(p for p in world.people if p.id == trainee_person)
        row = accounts.row(user_id, "trainee", person.name, Role.TRAINEE,
                           person_id=trainee_person)
        row.update(password_hash=password_hash, password_changed_at=changed)
        accounts.write([row])
        world.signins["trainee"] = user_id
