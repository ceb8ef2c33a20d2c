"""The input checks of a declaration: every problem that stops it from being decided at all
(bad input: nothing is computed), each a failed step naming its refusal code. The persons are
named by their place in the declaration, never by name or number."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from trainhub.rewards.trace import N_, failed
from trainhub.rewards.values import Declaration, DeclaredPerson, Refusal, Step
from trainhub.subsidies.values import format_number

GRADES = range(1, 5)
MONTHS_IN_YEAR = 12


def refusals(declaration: Declaration) -> list[Step]:
    """Every problem of the input that stops the declaration from being decided."""
    steps: list[Step] = []
    staff, declared = declaration.staff, len(declaration.persons)
    if staff <= 0:
        steps.append(
            failed(
                "declaration.staff",
                N_("The average staff count must be more than 0; %(staff)s was declared."),
                {"staff": format_number(staff)},
                Refusal.STAFF_NOT_POSITIVE,
            )
        )
    elif declared > staff:
        steps.append(
            failed(
                "declaration.persons",
                N_(
                    "%(persons)s persons with disabilities were declared, more than the "
                    "average staff count of %(staff)s."
                ),
                {"persons": declared, "staff": format_number(staff)},
                Refusal.MORE_PERSONS_THAN_STAFF,
            )
        )
    if declaration.year >= declaration.declared_on.year:
        steps.append(
            failed(
                "declaration.year",
                N_(
                    "The reward for %(year)s can be declared once the year has ended, from "
                    "1 January %(next)s."
                ),
                {"year": declaration.year, "next": declaration.year + 1},
                Refusal.YEAR_NOT_ENDED,
            )
        )
    steps += _twice(declaration.persons)
    for row, person in enumerate(declaration.persons, start=1):
        steps += _person_input(row, person, declaration.year)
    return steps


def _twice(persons: Iterable[DeclaredPerson]) -> list[Step]:
    """One person declared on several rows; the rows are named, never the person."""
    rows: dict[str, list[int]] = defaultdict(list)
    for row, person in enumerate(persons, start=1):
        rows[person.key].append(row)
    return [
        failed(
            "declaration.person_twice",
            N_("Persons %(rows)s are the same person; each person is declared once."),
            {"rows": ", ".join(map(str, same))},
            Refusal.PERSON_TWICE,
        )
        for same in rows.values()
        if len(same) > 1
    ]


def _person_input(row: int, person: DeclaredPerson, year: int) -> list[Step]:
    steps = []
    if person.grade not in GRADES:
        steps.append(
            failed(
                "person.grade",
                N_(
                    "Person %(row)s: the disability grade must be 1, 2, 3 or 4; %(grade)s was "
                    "declared."
                ),
                {"row": row, "grade": person.grade},
                Refusal.GRADE_UNKNOWN,
            )
        )
    if not 0 <= person.insurance_months <= MONTHS_IN_YEAR:
        steps.append(
            failed(
                "person.insurance_months",
                N_(
                    "Person %(row)s: social insurance is paid for 0 to 12 months of a year; "
                    "%(months)s were declared."
                ),
                {"row": row, "months": person.insurance_months},
                Refusal.INSURANCE_MONTHS_OUT_OF_RANGE,
            )
        )
    if person.monthly_wage < 0:
        steps.append(
            failed(
                "person.wage",
                N_("Person %(row)s: the monthly wage cannot be negative."),
                {"row": row},
                Refusal.WAGE_NEGATIVE,
            )
        )
    return steps + _contract_input(row, person, year)


def _contract_input(row: int, person: DeclaredPerson, year: int) -> list[Step]:
    start, end = person.contract_start, person.contract_end
    params: dict[str, object] = {"row": row, "start": start, "end": end, "year": year}
    if end is not None and end < start:
        return [
            failed(
                "person.contract_dates",
                N_(
                    "Person %(row)s: the labour contract ends on %(end)s, before it starts on "
                    "%(start)s."
                ),
                params,
                Refusal.CONTRACT_ENDS_BEFORE_START,
            )
        ]
    if end is not None and end.year < year:
        return [
            failed(
                "person.contract_in_year",
                N_("Person %(row)s: the labour contract ended on %(end)s, before %(year)s began."),
                params,
                Refusal.CONTRACT_OUTSIDE_YEAR,
            )
        ]
    if start.year > year:
        return [
            failed(
                "person.contract_in_year",
                N_(
                    "Person %(row)s: the labour contract starts on %(start)s, after %(year)s ended."
                ),
                params,
                Refusal.CONTRACT_OUTSIDE_YEAR,
            )
        ]
    return []
