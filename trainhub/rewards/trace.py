"""Building the reward engine's trace: a step is a condition that held or failed (with the
reason code of a failure) or a step of the calculation, each with a msgid and its values as
text (dates as ISO text, which `explain` writes as the reader's pages do)."""

from __future__ import annotations

from trainhub.rewards.values import Exclusion, Message, Outcome, Step, UsedParameter


def N_(message: str) -> str:
    """Marks a msgid for extraction; `explain` translates it when shown."""
    return message


def step(
    rule: str,
    outcome: Outcome,
    msgid: str,
    params: dict[str, object],
    parameters: tuple[UsedParameter, ...] = (),
    reason: str | None = None,
    terms: dict[str, str] | None = None,
) -> Step:
    message = Message(msgid, {k: str(v) for k, v in params.items()}, terms or {})
    return Step(rule, outcome, message, parameters, reason)


def failed(
    rule: str,
    msgid: str,
    params: dict[str, object],
    reason: str,
    parameters: tuple[UsedParameter, ...] = (),
) -> Step:
    return step(rule, Outcome.FAILED, msgid, params, parameters, reason)


def applied(
    rule: str, msgid: str, params: dict[str, object], parameters: tuple[UsedParameter, ...] = ()
) -> Step:
    return step(rule, Outcome.APPLIED, msgid, params, parameters)


def check(
    rule: str,
    ok: bool,
    passed: str,
    failed: str,
    params: dict[str, object],
    reason: Exclusion,
    parameters: tuple[UsedParameter, ...] = (),
    terms: dict[str, str] | None = None,
) -> Step:
    if ok:
        return step(rule, Outcome.PASSED, passed, params, parameters, terms=terms)
    return step(rule, Outcome.FAILED, failed, params, parameters, reason, terms)
