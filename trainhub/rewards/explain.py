"""Plain-language explanations of a reward result, from its trace (pure).

As for the subsidies (`trainhub.subsidies.explain`, whose rendering this uses): the caller
passes `translate` (the service: flask_babel.gettext; tests: a babel catalog's gettext) and
`show_date`; by default the English msgids and ISO dates are returned. The enterprise reads
the amount and how it was reached, or every problem that stopped the declaration; each
declared person is explained apart, by their place in the declaration (never by name).
"""

from __future__ import annotations

from datetime import date

from trainhub.rewards.trace import N_
from trainhub.rewards.values import Outcome, PersonResult, RewardResult
from trainhub.subsidies.explain import Explanation, ShowDate, Translate, render
from trainhub.subsidies.values import format_yuan

__all__ = ["Explanation", "explain", "explain_person", "explain_trace"]

REFUSED = N_(
    "The declaration cannot be decided as it stands, for the reasons below; nothing was computed."
)
REWARDED = N_(
    "The over-quota employment reward for %(year)s is %(amount)s yuan, for "
    "%(rewarded)s persons employed above the quota."
)
NOT_REWARDED = N_(
    "There is no over-quota employment reward for %(year)s: the persons counted "
    "do not exceed the quota by one person or more."
)
COUNTED = N_("Person %(row)s counts as %(weight)s.")
NOT_COUNTED = N_("Person %(row)s is not counted.")


def _identity(message: str) -> str:
    return message


def _iso(day: date) -> str:
    return day.isoformat()


def explain(
    result: RewardResult, translate: Translate = _identity, show_date: ShowDate = _iso
) -> Explanation:
    """The amount and how it was reached, or why the declaration was not decided."""
    if not result.accepted:
        return Explanation(translate(REFUSED), _rendered(result, translate, show_date))
    values = {
        "year": str(result.year),
        "amount": format_yuan(result.amount),
        "rewarded": str(result.rewarded),
    }
    headline = translate(REWARDED if result.rewarded else NOT_REWARDED) % values
    return Explanation(headline, _rendered(result, translate, show_date))


def explain_person(
    person: PersonResult, translate: Translate = _identity, show_date: ShowDate = _iso
) -> Explanation:
    """Whether a declared person counts and how many they count as, or every condition
    they do not meet."""
    values = {"row": str(person.row), "weight": str(person.weight)}
    if person.counted:
        details = [s for s in person.trace if s.outcome is Outcome.APPLIED]
        headline = translate(COUNTED) % values
    else:
        details = [s for s in person.trace if s.outcome is Outcome.FAILED]
        headline = translate(NOT_COUNTED) % values
    return Explanation(headline, tuple(render(s.message, translate, show_date) for s in details))


def explain_trace(
    result: RewardResult, translate: Translate = _identity, show_date: ShowDate = _iso
) -> tuple[str, ...]:
    """Every step, each person's conditions met included: what a reviewing officer reads."""
    steps = [*(s for p in result.persons for s in p.trace), *result.trace]
    return tuple(render(s.message, translate, show_date) for s in steps)


def _rendered(result: RewardResult, translate: Translate, show_date: ShowDate) -> tuple[str, ...]:
    return tuple(render(s.message, translate, show_date) for s in result.trace)
