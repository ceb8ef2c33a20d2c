"""Who may enter an event: disability category and grade, age by sex on the event's
reference date, and no earlier title in the same occupation. Pure: plain values in, the
reasons for a refusal out (English msgids with their values), none when eligible."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date


def N_(message: str) -> str:
    return message


@dataclass(frozen=True)
class Contestant:
    name: str
    sex: str  # "M" / "F"
    birth_date: date
    category: int | None  # disability category 1–7, None without a certificate
    grade: int | None
    titles: frozenset[str] = frozenset()  # occupations in which they already won 一等奖


@dataclass(frozen=True)
class Rules:
    occupation: str
    reference_date: date
    age_min: int
    age_max_male: int    # inclusive
    age_max_female: int  # inclusive
    categories: Collection[int] = field(default_factory=tuple)  # empty: any
    grades: Collection[int] = field(default_factory=tuple)
    exclude_title_holders: bool = True


@dataclass(frozen=True)
class Refusal:
    msgid: str
    params: dict[str, object]


def age_on(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def refusals(person: Contestant, rules: Rules) -> list[Refusal]:
    found: list[Refusal] = []
    if person.category is None:
        found.append(Refusal(N_("%(name)s holds no disability certificate."),
                             {"name": person.name}))
    elif rules.categories and person.category not in rules.categories:
        found.append(Refusal(N_("%(name)s's disability category is not admitted to this "
                                "event."), {"name": person.name}))
    if person.grade is not None and rules.grades and person.grade not in rules.grades:
        found.append(Refusal(N_("%(name)s's disability grade is not admitted to this event."),
                             {"name": person.name}))
    found.extend(_age(person, rules))
    if rules.exclude_title_holders and rules.occupation in person.titles:
        found.append(Refusal(N_("%(name)s already won the first prize in this occupation; "
                                "title holders do not enter again."), {"name": person.name}))
    return found


def _age(person: Contestant, rules: Rules) -> Sequence[Refusal]:
    age = age_on(person.birth_date, rules.reference_date)
    limit = rules.age_max_male if person.sex == "M" else rules.age_max_female
    if not rules.age_min <= age <= limit:
        return [Refusal(N_("%(name)s is %(age)s on %(date)s; this event admits %(min)s to "
                           "%(max)s."), {"name": person.name, "age": age,
                                         "date": rules.reference_date,
                                         "min": rules.age_min, "max": limit})]
    return []
