"""Labels and masks for templates: sensitive values are masked unless a view unmasks them."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_babel import lazy_gettext as _l

from trainhub.core.idnumbers import mask_id, mask_name, mask_phone
from trainhub.core.labels import label_filter

CATEGORY_LABELS = {
    1: _l("Visual"), 2: _l("Hearing"), 3: _l("Speech"), 4: _l("Physical"),
    5: _l("Intellectual"), 6: _l("Psychosocial"), 7: _l("Multiple"),
}
GRADE_LABELS = {1: _l("Grade 1"), 2: _l("Grade 2"), 3: _l("Grade 3"), 4: _l("Grade 4")}
OUTCOME_LABELS = {"success": _l("success"), "failure": _l("failure"), "denied": _l("denied")}
ROLE_LABELS = {
    "admin": _l("System administrator"),
    "security_admin": _l("Security administrator"),
    "audit_admin": _l("Audit administrator"),
    "federation_officer": _l("Federation officer"),
    "institution_staff": _l("Institution staff"),
    "enterprise_contact": _l("Enterprise contact"),
    "trainee": _l("Trainee"),
    "judge": _l("Judge"),
    "chief_judge": _l("Chief judge"),
}


def _label(table: dict[Any, Any]) -> Any:
    # translated once per rendering (core.labels): a roster shows the same few categories in
    # every row; a value without a label, None included, shows as before
    return label_filter(table, empty=None)


def reject_keys(mapping: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {k: v for k, v in mapping.items() if k not in keys}


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(
        mask_id=mask_id, mask_phone=mask_phone, mask_name=mask_name,
        category=_label(CATEGORY_LABELS), grade=_label(GRADE_LABELS),
        outcome=_label(OUTCOME_LABELS), role=_label(ROLE_LABELS), reject_keys=reject_keys,
    )
