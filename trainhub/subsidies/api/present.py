"""Subsidy results and decisions as the API answers them: traces with each step in words and
the plain-language explanation, in the request's language (Accept-Language; otherwise the
application's choice, Chinese by default), and people with masked ID numbers only."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from flask import request
from flask_babel import force_locale, get_locale, gettext

from trainhub.core.i18n import html_lang, local_date
from trainhub.core.idnumbers import mask_id
from trainhub.subsidies import engine, explain, notices
from trainhub.subsidies.models import Decision

# Primary language subtag → the catalogue it is read in.
LOCALES = {"zh": "zh_Hans_CN", "en": "en"}


def reader_locale() -> str:
    """The first language of Accept-Language (by quality) that TrainHub speaks."""
    for tag, _quality in request.accept_languages:
        primary = tag.replace("_", "-").split("-")[0].lower()
        if primary in LOCALES:
            return LOCALES[primary]
    return str(get_locale())


@contextmanager
def in_reader_language() -> Iterator[None]:
    with force_locale(reader_locale()):
        yield


def _message(step: Mapping[str, Any]) -> str:
    return explain.render(engine.Message(step["msgid"], step.get("params") or {},
                                         step.get("terms") or {}), gettext, local_date)


def trace_out(steps: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Stored or fresh trace steps (`Step.as_dict()`), each with its sentence."""
    return [{**step, "message": _message(step)} for step in steps]


def explanation_out(result: engine.SubsidyResult) -> dict[str, Any]:
    found = explain.explain(result, gettext, local_date)
    return {"language": html_lang(), "headline": found.headline,
            "details": list(found.details), "text": found.text}


def result_out(result: engine.SubsidyResult) -> dict[str, Any]:
    data = result.as_dict()
    return {"kind": data["kind"], "eligible": data["eligible"], "granted": result.eligible,
            "amount_fen": data["amount"],
            "payee": data["payee"], "reasons": data["reasons"],
            "explanation": explanation_out(result), "trace": trace_out(data["trace"]),
            "parameters": data["parameters"]}


def stored_result(decision: Decision) -> engine.SubsidyResult:
    """The engine's answer as the decision keeps it, enough to explain it again in another
    language."""
    return decision.result()


def decision_item(decision: Decision) -> dict[str, Any]:
    person = decision.person
    return {
        "id": decision.id, "kind": decision.kind, "status": decision.status,
        "eligible": decision.eligible, "granted": decision.granted,
        "amount_fen": decision.granted_fen,
        "payee": decision.payee, "reasons": list(decision.reasons),
        "person": {"id": person.id, "name": person.name,
                   "id_number_masked": mask_id(person.id_number)},
        "enrolment_id": decision.enrolment_id, "batch_id": decision.batch_id,
        "batch_title": decision.batch.title, "institution_id": decision.institution_id,
        "institution_name": decision.institution.name, "region_code": decision.region_code,
        "claim_date": decision.claim_date, "computed_at": decision.computed_at,
        "submitted_at": decision.submitted_at, "decided_at": decision.decided_at,
        "budget_year": decision.budget_year, "rejection_reason": decision.rejection_reason,
        "payment": decision.payment,
    }


def decision_out(decision: Decision) -> dict[str, Any]:
    """A decision with its inputs, trace and explanation, which give the birth date and the
    age: the person is named without the masked ID number, which they would help rebuild
    (core.people.services); the lists keep it."""
    item = decision_item(decision)
    item["person"] = {"id": decision.person.id, "name": decision.person.name}
    with in_reader_language():
        return {**item, "inputs": decision.inputs,
                "parameters": decision.parameters, "trace": trace_out(decision.trace),
                "explanation": explanation_out(stored_result(decision)),
                "notice_text": notices.notice_text(decision)}
