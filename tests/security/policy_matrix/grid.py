"""The actors of the policy matrix, and its tables (actor × object state → allowed).

The object of every table lies in county 360102 (南昌市东湖区) of city 3601 and belongs to
institution 1, enterprise 1 and person 7, unless its state says otherwise. The actors:

    anonymous             nobody signed in (None)
    admin                 the system administrator (accounts)
    security_admin        the security administrator (roles, security settings)
    audit_admin           the audit administrator (reads the audit log)
    officer_province      federation officer of the province (36)
    officer_city          federation officer of the object's city (3601)
    officer_county        federation officer of the object's county (360102)
    officer_other_city    federation officer of another city (3607, 赣州市)
    officer_other_county  federation officer of another county of the same city (360103)
    staff_own             staff of the object's institution (1)
    staff_other           staff of another institution (2)
    enterprise_own        contact of the object's enterprise (1)
    enterprise_other      contact of another enterprise (2)
    trainee_self          the trainee the object is about (person 7)
    trainee_other         another trainee (person 8)
    judge_assigned        a judge assigned to the event (competition tables)
    judge_other           a judge in the registry, not assigned to it
    chief_assigned        a chief judge assigned to the event as its chief
    chief_other           a chief judge not assigned to it

Each actor has its own user id (ID below), so a state can name an actor as the owner of a
token, the reviewer of a review, or a member of an arbitration group.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import trainhub
from trainhub.core import policy
from trainhub.core.accounts.models import Role, User


def _import_rules_and_models() -> None:
    """Every domain registers its rules in trainhub/<domain>/rules.py (core's are in
    core/policy.py); the models are imported too, so in-memory objects can be built."""
    root = Path(trainhub.__file__).parent
    for path in sorted([*root.rglob("rules.py"), *root.rglob("models.py")]):
        module = ".".join(("trainhub", *path.relative_to(root).with_suffix("").parts))
        importlib.import_module(module)


_import_rules_and_models()

PROVINCE, CITY, COUNTY = "36", "3601", "360102"
OTHER_CITY, OTHER_COUNTY = "3607", "360103"
OWN_INSTITUTION, OTHER_INSTITUTION = 1, 2
OWN_ENTERPRISE, OTHER_ENTERPRISE = 1, 2
SELF_PERSON, OTHER_PERSON = 7, 8


def _user(uid: int, role: Role, **scope: Any) -> User:
    return User(id=uid, username=f"u{uid}", display_name=f"u{uid}", role=role.value, **scope)


ACTORS: dict[str, User | None] = {
    "anonymous": None,
    "admin": _user(1, Role.ADMIN),
    "security_admin": _user(17, Role.SECURITY_ADMIN),
    "audit_admin": _user(18, Role.AUDIT_ADMIN),
    "officer_province": _user(2, Role.FEDERATION_OFFICER, region_code=PROVINCE),
    "officer_city": _user(3, Role.FEDERATION_OFFICER, region_code=CITY),
    "officer_county": _user(4, Role.FEDERATION_OFFICER, region_code=COUNTY),
    "officer_other_city": _user(5, Role.FEDERATION_OFFICER, region_code=OTHER_CITY),
    "officer_other_county": _user(6, Role.FEDERATION_OFFICER, region_code=OTHER_COUNTY),
    "staff_own": _user(7, Role.INSTITUTION_STAFF, institution_id=OWN_INSTITUTION),
    "staff_other": _user(8, Role.INSTITUTION_STAFF, institution_id=OTHER_INSTITUTION),
    "enterprise_own": _user(9, Role.ENTERPRISE_CONTACT, enterprise_id=OWN_ENTERPRISE),
    "enterprise_other": _user(10, Role.ENTERPRISE_CONTACT, enterprise_id=OTHER_ENTERPRISE),
    "trainee_self": _user(11, Role.TRAINEE, person_id=SELF_PERSON),
    "trainee_other": _user(12, Role.TRAINEE, person_id=OTHER_PERSON),
    "judge_assigned": _user(13, Role.JUDGE),
    "judge_other": _user(14, Role.JUDGE),
    "chief_assigned": _user(15, Role.CHIEF_JUDGE),
    "chief_other": _user(16, Role.CHIEF_JUDGE),
}
NOBODY = 999  # a user id that is none of the actors'


def uid(actor: str) -> int:
    user = ACTORS[actor]
    assert user is not None
    return user.id


YES, NO = "Y", "-"
PAGE = "page"  # the column of the check without an object

@dataclass(frozen=True)
class For:
    """An object that depends on who asks (e.g. the actor's own token)."""

    build: Callable[[User | None], Any]


@dataclass
class Table:
    """`action`'s truth: the grid's header names the states of `objects` in order, each
    following line an actor and its cells (Y or -). Every actor kind must have a line."""

    action: str
    objects: Mapping[str, Any]
    grid: str
    expected: dict[tuple[str, str], bool] = field(init=False)

    def __post_init__(self) -> None:
        lines = [line.split() for line in self.grid.strip().splitlines() if line.strip()]
        header, rows = lines[0], lines[1:]
        assert header == list(self.objects), (self.action, header, list(self.objects))
        self.expected = {}
        seen: list[str] = []
        for actor, *cells in rows:
            assert actor in ACTORS, (self.action, actor)
            assert actor not in seen, (self.action, "twice", actor)
            assert len(cells) == len(header), (self.action, actor, cells)
            assert set(cells) <= {YES, NO}, (self.action, actor, cells)
            seen.append(actor)
            for state, cell in zip(header, cells, strict=True):
                self.expected[actor, state] = cell == YES

    @property
    def actors(self) -> list[str]:
        return list(dict.fromkeys(actor for actor, _ in self.expected))

    def obj(self, state: str, user: User | None) -> Any:
        made = self.objects[state]
        return made.build(user) if isinstance(made, For) else made


def page(**states: Any) -> dict[str, Any]:
    """The `page` column (no object) followed by the given states."""
    return {PAGE: None, **states}


def _render(table: Table, cells: Mapping[tuple[str, str], bool]) -> str:
    states = list(table.objects)
    width = max(len(a) for a in ACTORS) + 2
    lines = [" " * width + " ".join(states)]
    for actor in table.actors:
        row = " ".join((YES if cells[actor, s] else NO).center(len(s)) for s in states)
        lines.append((actor.ljust(width) + row).rstrip())
    return "\n".join(lines)


def _disagreements(table: Table, actual: Mapping[tuple[str, str], bool], what: str) -> str:
    wrong = [f"  {actor} × {state}: the table says {'Y' if ok else '-'}, {what} says "
             f"{'Y' if actual[actor, state] else '-'}"
             for (actor, state), ok in table.expected.items() if actual[actor, state] != ok]
    if not wrong:
        return ""
    return "\n".join([f"{table.action}:", *wrong, f"{what}'s grid:", _render(table, actual)])


def check(table: Table) -> None:
    """policy.may gives every cell of the table."""
    actual = {(actor, state): policy.may(ACTORS[actor], table.action,
                                         table.obj(state, ACTORS[actor]))
              for actor, state in table.expected}
    message = _disagreements(table, actual, "policy.may")
    assert not message, message


def _evaluate(clause: Any, obj: Any) -> bool:
    """A SQL filter evaluated on an object in memory, by the evaluator SQLAlchemy uses for
    `synchronize_session="evaluate"` (NULL comparisons give None: not kept)."""
    from sqlalchemy.orm.evaluator import _EvaluatorCompiler

    return bool(_EvaluatorCompiler(type(obj)).process(clause)(obj))


def check_where(table: Table) -> None:
    """For a scoped action, the list's filter keeps exactly the objects the table allows."""
    cells = [(a, s) for a, s in table.expected if s != PAGE]
    actual = dict(table.expected)
    for actor, state in cells:
        obj = table.obj(state, ACTORS[actor])
        actual[actor, state] = _evaluate(policy.where(ACTORS[actor], table.action, type(obj)),
                                         obj)
    message = _disagreements(table, actual, "policy.where")
    assert not message, message


def scoped(tables: Iterable[Table]) -> list[Table]:
    return [t for t in tables if t.action in policy.scoped_actions()]


def ids(table: Table) -> str:
    return table.action
