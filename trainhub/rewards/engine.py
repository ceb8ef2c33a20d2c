"""The over-quota employment reward: DESIGN §8 as pure functions over plain values, with a trace.

`compute(declaration, parameters)` decides an enterprise's declaration for a year: which
declared persons count (and why each does or does not), the quota, the excess, the rewarded
persons and the amount, each step in the trace with a msgid that `explain` renders.
`resolve(year, find)` picks the dated parameters that apply to a year, from a lookup the
caller gives (the service reads the database; the case files read their own tables).

Money is integer fen; the staff count, the quota and the excess are exact `Decimal`s, never
rounded. Amount = rewarded persons × multiple × monthly minimum wage: whole fen by
construction.

Readings beyond DESIGN §8, so that the code and a hand computation agree:
- the reward is "per person per year" (每人每年), so a person counts only if the conditions on
  the person hold **throughout** the reward year: the disability certificate valid from
  1 January to 31 December (renewals: the service passes the validity of the certificates
  together), aged at least the working-age minimum on 1 January and younger than the limit
  for their sex on 31 December (DESIGN §5's bounds and parameters), and social insurance paid
  for at least `rewards.min_insurance_months` (12) months of the year;
- the contract lasts at least `rewards.min_contract_years`: a contract from 1 January 2024
  to 31 December 2024 is one year long; one without a fixed term always is;
- the wage is compared with the same minimum wage the amount is paid by: the county's tier
  in force on 31 December of the year before the reward year (a change during the reward
  year does not apply); equal to it is not below it;
- a person with a certificate of grade `rewards.severe_grade_max` (2) or more severe counts
  as `rewards.severe_grade_weight` (2) persons (财税〔2015〕72号 art. 8);
- the other parameters are those in force on 1 January of the reward year, as a batch's are
  those of its start date: a change during the year applies from the next year;
- bad input refuses the whole declaration, naming every problem at once (`checks`), and
  nothing is computed: an average staff count of 0 or less; more persons declared than the
  staff count (the persons, not the double count); one person (same key) declared twice,
  named by their rows; a year that has not ended on the declaration date (its average staff
  count and insurance months are not known yet; a future year is one such); a grade other
  than 1–4; insurance months outside 0–12; a contract ending before it starts, or not in
  force at all in the year; a negative wage.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

from trainhub.rewards.checks import refusals
from trainhub.rewards.trace import N_, applied, check, step
from trainhub.rewards.values import (
    Declaration,
    DeclaredPerson,
    Exclusion,
    Outcome,
    PersonResult,
    Refusal,
    RewardParameters,
    RewardResult,
    Sex,
    Step,
    UsedParameter,
)
from trainhub.subsidies.values import add_months, age_on, format_number, format_yuan

TIERS_KEY = "core.min_wage_tiers"
# The engine's fields and the parameters they are read from (in force on 1 January).
KEYS = {
    "quota_percent": "rewards.quota_percent",
    "multiple": "rewards.multiple",
    "severe_grade_max": "rewards.severe_grade_max",
    "severe_grade_weight": "rewards.severe_grade_weight",
    "min_contract_years": "rewards.min_contract_years",
    "min_insurance_months": "rewards.min_insurance_months",
    "working_age_min": "subsidies.working_age_min",
    "working_age_limit_male": "subsidies.working_age_limit_male",
    "working_age_limit_female": "subsidies.working_age_limit_female",
}

# A lookup of the value of a key in force on a date (in the county being decided). For
# TIERS_KEY it answers the county's tier in the table in force, as a whole number.
Find = Callable[[str, date], UsedParameter]

SEX_TERMS = {Sex.MALE: N_("men"), Sex.FEMALE: N_("women")}


# --- the parameters of a year -------------------------------------------------------------


def rules_date(year: int) -> date:
    return date(year, 1, 1)


def wage_date(year: int) -> date:
    """The minimum wage is "the previous year's": the value in force on its last day."""
    return date(year - 1, 12, 31)


def resolve(year: int, find: Find) -> RewardParameters:
    """The parameters that apply to a reward year, each with its source."""
    used = {field: find(key, rules_date(year)) for field, key in KEYS.items()}
    tier = find(TIERS_KEY, wage_date(year))
    used["minimum_wage_tier"] = tier
    used["minimum_wage"] = find(f"core.min_wage_tier{tier.value}", wage_date(year))
    whole = {field: _whole(used[field]) for field in KEYS if field != "quota_percent"}
    return RewardParameters(
        quota_percent=Decimal(used["quota_percent"].value),
        **whole,
        minimum_wage=_whole(used["minimum_wage"]),
        minimum_wage_tier=_whole(tier),
        minimum_wage_on=wage_date(year),
        used=used,
    )


def _whole(used: UsedParameter) -> int:
    if not isinstance(used.value, int):
        raise TypeError(f"parameter {used.key} must be a whole number")
    return used.value


# --- the declaration ---------------------------------------------------------------------


def compute(declaration: Declaration, parameters: RewardParameters) -> RewardResult:
    refused = refusals(declaration)
    if refused:
        return RewardResult(
            declaration.year,
            tuple(Refusal(s.reason) for s in refused if s.reason),
            (),
            0,
            Decimal(0),
            Decimal(0),
            0,
            0,
            tuple(refused),
        )
    persons = tuple(
        _person(row, person, declaration.year, parameters)
        for row, person in enumerate(declaration.persons, start=1)
    )
    counted = sum(p.weight for p in persons)
    quota = declaration.staff * parameters.quota_percent / 100
    excess = counted - quota
    rewarded = int(excess) if excess >= 1 else 0  # int() floors a positive Decimal
    amount = rewarded * parameters.multiple * parameters.minimum_wage
    steps = _calculation(declaration, parameters, counted, quota, excess, rewarded, amount)
    return RewardResult(
        declaration.year, (), persons, counted, quota, excess, rewarded, amount, tuple(steps)
    )


def _calculation(
    declaration: Declaration,
    parameters: RewardParameters,
    counted: int,
    quota: Decimal,
    excess: Decimal,
    rewarded: int,
    amount: int,
) -> list[Step]:
    values = {
        "counted": counted,
        "declared": len(declaration.persons),
        "staff": format_number(declaration.staff),
        "rate": format_number(parameters.quota_percent),
        "quota": format_number(quota),
        "excess": format_number(excess),
        "rewarded": rewarded,
        "year": declaration.year,
    }
    steps = [
        applied(
            "reward.counted",
            N_("%(counted)s persons are counted, of the %(declared)s persons declared."),
            values,
        ),
        applied(
            "reward.quota",
            N_(
                "The quota is the average staff count of %(staff)s × "
                "%(rate)s%% = %(quota)s persons, not rounded."
            ),
            values,
            parameters.sources("quota_percent"),
        ),
    ]
    if excess <= 0:
        steps.append(
            applied(
                "reward.excess",
                N_("The %(counted)s persons counted do not exceed the quota of %(quota)s."),
                values,
            )
        )
        return steps
    steps.append(
        applied(
            "reward.excess",
            N_("The persons counted exceed the quota by %(counted)s − %(quota)s = %(excess)s."),
            values,
        )
    )
    if not rewarded:
        steps.append(
            applied(
                "reward.rewarded",
                N_("An excess of %(excess)s is less than one person, so there is no reward."),
                values,
            )
        )
        return steps
    steps.append(
        applied(
            "reward.rewarded",
            N_("An excess of %(excess)s gives %(rewarded)s rewarded persons: whole persons only."),
            values,
        )
    )
    steps.append(
        applied(
            "reward.amount",
            N_(
                "%(rewarded)s persons × %(multiple)s × the monthly minimum wage of %(wage)s yuan "
                "(tier %(tier)s, in force on %(on)s) = %(amount)s yuan."
            ),
            {
                "rewarded": rewarded,
                "multiple": parameters.multiple,
                "wage": format_yuan(parameters.minimum_wage),
                "tier": parameters.minimum_wage_tier,
                "on": parameters.minimum_wage_on,
                "amount": format_yuan(amount),
            },
            parameters.sources("multiple", "minimum_wage_tier", "minimum_wage"),
        )
    )
    return steps


# --- one person ---------------------------------------------------------------------------


def _person(
    row: int, person: DeclaredPerson, year: int, parameters: RewardParameters
) -> PersonResult:
    steps = [
        _certificate(person, year),
        _working_age(person, year, parameters),
        _contract(person, parameters),
        _insurance(person, year, parameters),
        _wage(person, parameters),
    ]
    exclusions = tuple(Exclusion(s.reason) for s in steps if s.reason is not None)
    weight = 0
    if not exclusions:
        weight, counts = _weight(person, parameters)
        steps.append(counts)
    return PersonResult(row, person.key, weight, exclusions, tuple(steps))


def _certificate(person: DeclaredPerson, year: int) -> Step:
    since, until = person.certificate_valid_from, person.certificate_valid_until
    ok = since <= date(year, 1, 1) and (until is None or until >= date(year, 12, 31))
    params: dict[str, object] = {"year": year, "from": since, "until": until}
    if until is None:
        failed = N_("The disability certificate is valid from %(from)s, not throughout %(year)s.")
    else:
        failed = N_(
            "The disability certificate is valid from %(from)s to %(until)s, not "
            "throughout %(year)s."
        )
    return check(
        "person.certificate",
        ok,
        N_("The disability certificate was valid throughout %(year)s."),
        failed,
        params,
        Exclusion.CERTIFICATE_NOT_VALID,
    )


def _working_age(person: DeclaredPerson, year: int, parameters: RewardParameters) -> Step:
    first, last = date(year, 1, 1), date(year, 12, 31)
    minimum = parameters.working_age_min
    if person.sex is Sex.MALE:
        limit, limit_field = parameters.working_age_limit_male, "working_age_limit_male"
    else:
        limit, limit_field = parameters.working_age_limit_female, "working_age_limit_female"
    age_first, age_last = age_on(person.birth_date, first), age_on(person.birth_date, last)
    params: dict[str, object] = {
        "year": year,
        "first": first,
        "last": last,
        "age_first": age_first,
        "age_last": age_last,
        "min": minimum,
        "limit": limit,
    }
    terms = {"sex": SEX_TERMS[person.sex]}
    if age_first < minimum:
        return step(
            "person.working_age",
            Outcome.FAILED,
            N_("The employee was %(age_first)s on %(first)s, under the working age of %(min)s."),
            params,
            parameters.sources("working_age_min"),
            Exclusion.UNDER_WORKING_AGE,
            terms,
        )
    return check(
        "person.working_age",
        age_last < limit,
        N_(
            "The employee was of working age throughout %(year)s: %(age_first)s on %(first)s and "
            "%(age_last)s on %(last)s."
        ),
        N_(
            "The employee was %(age_last)s on %(last)s; %(sex)s are of working age while younger "
            "than %(limit)s."
        ),
        params,
        Exclusion.OVER_WORKING_AGE,
        parameters.sources("working_age_min", limit_field),
        terms,
    )


def _contract(person: DeclaredPerson, parameters: RewardParameters) -> Step:
    years, start, end = parameters.min_contract_years, person.contract_start, person.contract_end
    sources = parameters.sources("min_contract_years")
    if end is None:
        return step(
            "person.contract",
            Outcome.PASSED,
            N_("The labour contract, from %(start)s, has no fixed term."),
            {"start": start},
            sources,
        )
    # A contract from 1 January to 31 December is one year long.
    shortest_end = add_months(start, 12 * years) - timedelta(days=1)
    return check(
        "person.contract",
        end >= shortest_end,
        N_("The labour contract runs from %(start)s to %(end)s: at least %(years)s year(s)."),
        N_(
            "The labour contract runs from %(start)s to %(end)s: shorter than the %(years)s "
            "year(s) required."
        ),
        {"start": start, "end": end, "years": years},
        Exclusion.CONTRACT_TOO_SHORT,
        sources,
    )


def _insurance(person: DeclaredPerson, year: int, parameters: RewardParameters) -> Step:
    minimum = parameters.min_insurance_months
    return check(
        "person.insurance",
        person.insurance_months >= minimum,
        N_(
            "Social insurance was paid for %(months)s months of %(year)s; at least %(min)s are "
            "required."
        ),
        N_(
            "Social insurance was paid for only %(months)s months of %(year)s; at least %(min)s "
            "are required."
        ),
        {"months": person.insurance_months, "year": year, "min": minimum},
        Exclusion.TOO_FEW_INSURANCE_MONTHS,
        parameters.sources("min_insurance_months"),
    )


def _wage(person: DeclaredPerson, parameters: RewardParameters) -> Step:
    minimum = parameters.minimum_wage
    return check(
        "person.wage",
        person.monthly_wage >= minimum,
        N_(
            "The monthly wage of %(wage)s yuan is not below the minimum wage of %(minimum)s yuan "
            "in force on %(on)s."
        ),
        N_(
            "The monthly wage of %(wage)s yuan is below the minimum wage of %(minimum)s yuan in "
            "force on %(on)s."
        ),
        {
            "wage": format_yuan(person.monthly_wage),
            "minimum": format_yuan(minimum),
            "on": parameters.minimum_wage_on,
        },
        Exclusion.WAGE_BELOW_MINIMUM,
        parameters.sources("minimum_wage_tier", "minimum_wage"),
    )


def _weight(person: DeclaredPerson, parameters: RewardParameters) -> tuple[int, Step]:
    if person.grade <= parameters.severe_grade_max:
        weight = parameters.severe_grade_weight
        return weight, applied(
            "person.weight",
            N_("With a disability of grade %(grade)s, the employee counts as %(weight)s persons."),
            {"grade": person.grade, "weight": weight},
            parameters.sources("severe_grade_max", "severe_grade_weight"),
        )
    return 1, applied(
        "person.weight",
        N_("With a disability of grade %(grade)s, the employee counts as 1 person."),
        {"grade": person.grade},
        parameters.sources("severe_grade_max"),
    )
