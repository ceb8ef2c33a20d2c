"""Decision notices (补贴决定通知书): a decision as a verifiable document of kind
"subsidy_decision", with a QR code to /verify/<code>.

A notice is registered when the trainee first downloads it, not at computation: most
decisions change (claimed, approved, paid) before anyone prints them, and a registry row per
state would be noise. Its facts are frozen in Chinese, the notice's language; whenever the
decision no longer matches them (recomputed to another amount or explanation, or moved to
another status) the notice is revoked at once, so an old print never verifies as valid, and
the next download registers a new one. Services flush and audit, never commit."""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import force_locale, gettext

from trainhub.core.documents import service as documents
from trainhub.core.documents.models import Verification, VerificationStatus
from trainhub.core.errors import N_
from trainhub.core.i18n import local_dates
from trainhub.core.idnumbers import mask_id
from trainhub.core.timeutil import local_today
from trainhub.extensions import db
from trainhub.subsidies import engine, plain
from trainhub.subsidies.models import Decision

DOCUMENT_KIND = "subsidy_decision"  # labelled in core.documents.views
TITLE = N_("Subsidy decision notice")
NOTICE_LOCALE = "zh_Hans_CN"


# --- facts -------------------------------------------------------------------------------

def _chunks(text: str, size: int = documents.MAX_VALUE) -> list[str]:
    """A long explanation over several facts (a fact holds at most MAX_VALUE characters)."""
    return [text[i:i + size] for i in range(0, len(text), size)] or [""]


def facts(decision: Decision) -> list[list[str]]:
    """What the notice certifies, in Chinese; the ID number masked (the verification page
    is public)."""
    batch, person = decision.batch, decision.person
    with force_locale(NOTICE_LOCALE):
        rows = [
            [N_("Name"), person.name],
            [N_("Resident ID"), mask_id(person.id_number)],
            [N_("Batch"), batch.title],
            [N_("Training institution"), decision.institution.name],
            [N_("Subsidy"), str(plain.kind_label(decision.kind))],
            [N_("Amount"), f"¥{engine.format_yuan(decision.granted_fen)}"],
            [N_("Paid to"), plain.payee_text(decision)],
            [N_("Status"), f"{plain.status_label(decision)}：{plain.status_text(decision)}"],
        ]
        rows += [[N_("Explanation"), part] for part in _chunks(notice_text(decision))]
        if decision.rejection_reason:
            rows += [[N_("Reason for rejection"), part]
                     for part in _chunks(decision.rejection_reason)]
    return rows


def notice_text(decision: Decision) -> str:
    """The explanation the notice certifies: the Chinese text stored with the decision, its
    dates written as the pages write them (a decision computed before that keeps ISO
    dates in its text)."""
    with force_locale(NOTICE_LOCALE):
        return local_dates(decision.explanation)


def _as_read(facts: list[list[str]]) -> list[list[str]]:
    """Facts as a reader takes them: a value over several rows as one, dates written as the
    pages write them."""
    merged: list[list[str]] = []
    for key, value in facts:
        if merged and merged[-1][0] == key:
            merged[-1][1] += value
        else:
            merged.append([key, value])
    with force_locale(NOTICE_LOCALE):
        return [[key, local_dates(value)] for key, value in merged]


def still_holds(issued: list[list[str]], wanted: list[list[str]]) -> bool:
    """A notice registered before the dates of its explanation were written in Chinese
    still holds for the same decision: it says the same thing."""
    return issued == wanted or _as_read(issued) == _as_read(wanted)


# --- issue and revoke --------------------------------------------------------------------

def _revoke(verification: Verification) -> None:
    if verification.status != VerificationStatus.REVOKED.value:
        with force_locale(NOTICE_LOCALE):
            reason = gettext(N_("Replaced: the subsidy decision has changed."))
        documents.set_status(verification, VerificationStatus.REVOKED.value, reason)


def current(decision: Decision) -> Verification:
    """The notice of the decision as it is now: the one registered before if its facts still
    hold, else a new one (the old one revoked)."""
    db.session.refresh(decision, with_for_update=True)  # two downloads register one notice
    wanted = facts(decision)
    found = documents.find(decision.verification_code) if decision.verification_code else None
    if found is not None and found.status == VerificationStatus.VALID.value \
            and still_holds(found.facts, wanted):
        return found
    if found is not None:
        _revoke(found)
    made = documents.issue(DOCUMENT_KIND, wanted, region_code=decision.region_code,
                           valid_from=local_today())
    decision.verification_code = made.code
    db.session.flush()
    return made


def revise(decisions: Iterable[Decision]) -> None:
    """After decisions changed: revoke every notice whose facts no longer hold (the next
    download registers a new one)."""
    for decision in decisions:
        if not decision.verification_code:
            continue
        found = documents.find(decision.verification_code)
        if found is None or not still_holds(found.facts, facts(decision)):
            if found is not None:
                _revoke(found)
            decision.verification_code = None
    db.session.flush()
