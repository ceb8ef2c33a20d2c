"""Plain-language explanations of subsidy results, from their trace (pure).

The caller passes `translate` (the service: flask_babel.gettext; tests: a babel catalog's
gettext); by default the English msgids are returned. The trace keeps dates as ISO text;
`show_date` (the service: core.i18n.local_date) writes them as the reader's pages do. A
granted subsidy is explained by the calculation steps, a refused one by every condition
that was not met.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from trainhub.subsidies.engine import (
    N_,
    Message,
    Outcome,
    Payee,
    Step,
    SubsidyKind,
    SubsidyResult,
    format_yuan,
)

Translate = Callable[[str], str]
ShowDate = Callable[[date], str]
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

# A sentence ending in full-width punctuation is followed directly by the next one.
_FULL_WIDTH_ENDS = ("。", "！", "？", "：", "；", "）")

REFUSED = {
    SubsidyKind.FEE: N_("You receive no training-fee subsidy."),
    SubsidyKind.LIVING: N_("You receive no living allowance (including transport)."),
}
PAID_TO = {
    Payee.INSTITUTION: N_("It is paid to the training institution, which advanced the cost of "
                          "your training."),
    Payee.TRAINEE: N_("It is paid to you."),
}


def _identity(message: str) -> str:
    return message


@dataclass(frozen=True)
class Explanation:
    headline: str
    details: tuple[str, ...]

    @property
    def sentences(self) -> tuple[str, ...]:
        return (self.headline, *self.details)

    @property
    def text(self) -> str:
        return join_sentences(self.sentences)


def _iso(day: date) -> str:
    return day.isoformat()


def render(message: Message, translate: Translate = _identity,
           show_date: ShowDate = _iso) -> str:
    params = {k: show_date(date.fromisoformat(v))
              if isinstance(v, str) and _ISO_DATE.fullmatch(v) else v
              for k, v in message.params.items()}
    values = {**params, **{k: translate(v) for k, v in message.terms.items()}}
    return translate(message.msgid) % values


def join_sentences(sentences: Iterable[str]) -> str:
    text = ""
    for sentence in sentences:
        gap = "" if not text or text.endswith(_FULL_WIDTH_ENDS) else " "
        text += gap + sentence
    return text


def explain(result: SubsidyResult, translate: Translate = _identity,
            show_date: ShowDate = _iso) -> Explanation:
    """What the trainee reads: the amount and why, or which conditions were not met."""
    if not result.eligible:
        failed = [render(s.message, translate, show_date) for s in result.trace
                  if s.outcome is Outcome.FAILED]
        return Explanation(translate(REFUSED[result.kind]), tuple(failed))
    applied = [render(s.message, translate, show_date) for s in result.trace
               if s.outcome is Outcome.APPLIED]
    return Explanation(_granted(result, translate),
                       (*applied, translate(PAID_TO[result.payee])))


def explain_trace(result: SubsidyResult, translate: Translate = _identity,
                  show_date: ShowDate = _iso) -> tuple[str, ...]:
    """Every step, conditions met included: what an officer reviewing the decision reads."""
    return tuple(render(s.message, translate, show_date) for s in result.trace)


def _granted(result: SubsidyResult, translate: Translate) -> str:
    amount = format_yuan(result.amount)
    if result.kind is SubsidyKind.LIVING:
        days = _find(result, "living.days").message.params["days"]
        return translate(N_("Your living allowance, including transport, is %(amount)s yuan, "
                            "because you attended in-person training on %(days)s days.")) % {
            "amount": amount, "days": days}
    attendance = _find(result, "fee.attendance").message.params
    values = {"amount": amount, "rate": attendance["rate"],
              "threshold": attendance["threshold"],
              "certificate": translate(_find(result, "fee.standard").message.terms["certificate"])}
    if result.step("fee.day_rule") is None:
        msgid = N_("Your training-fee subsidy is %(amount)s yuan, because you obtained "
                   "%(certificate)s and your attendance rate reached %(threshold)s%%.")
    else:
        msgid = N_("Your training-fee subsidy is %(amount)s yuan, because you obtained "
                   "%(certificate)s with an attendance rate of %(rate)s%%, below %(threshold)s%%.")
    return translate(msgid) % values


def _find(result: SubsidyResult, rule: str) -> Step:
    step = result.step(rule)
    if step is None:
        raise ValueError(f"the trace of a granted {result.kind} subsidy lacks the {rule} step")
    return step
