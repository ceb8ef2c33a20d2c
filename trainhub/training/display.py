"""Names of the training codes, translated for the reader (and frozen in Chinese on
certificates, whose legal language is Chinese)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from flask import Flask
from flask_babel import lazy_gettext as _l
from jinja2 import pass_context
from jinja2.runtime import Context

from trainhub.core.labels import label_filter, translated
from trainhub.training import eligibility

CATEGORY_LABELS = {
    "massage": _l("Blind massage"),
    "heritage_ceramics": _l("Intangible heritage: ceramics"),
    "heritage_porcelain": _l("Intangible heritage: porcelain-plate painting"),
    "heritage_gan_embroidery": _l("Intangible heritage: Gan embroidery"),
    "heritage_xuan_embroidery": _l("Intangible heritage: Xuan-paper embroidery"),
    "heritage_bamboo": _l("Intangible heritage: bamboo weaving"),
    "ecommerce_service": _l("E-commerce: customer service"),
    "ecommerce_design": _l("E-commerce: design"),
    "ecommerce_operations": _l("E-commerce: operations"),
    "livestreaming": _l("Livestream selling"),
    "handicraft": _l("Handicrafts"),
    "agriculture": _l("Modern agriculture"),
    "computer": _l("Computer operation"),
    "domestic": _l("Domestic services"),
    "other": _l("Other"),
}
TRAINING_TYPE_LABELS = {
    "employment_skills": _l("Employment skills training"),
    "pre_job": _l("Pre-job skills training"),
    "upgrading": _l("On-the-job skills upgrading"),
    "entrepreneurship": _l("Entrepreneurship and innovation training"),
}
CERTIFICATE_TYPE_LABELS = {
    "qualification": _l("Vocational qualification certificate"),
    "skill_level": _l("Vocational skill level certificate"),
    "special_ability": _l("Special vocational ability certificate"),
    "training": _l("Training certificate"),
}
CERTIFICATE_LEVEL_LABELS = {
    "junior": _l("Level 5 (junior)"),
    "intermediate": _l("Level 4 (intermediate)"),
    "senior": _l("Level 3 (senior)"),
    "technician": _l("Level 2 (technician)"),
    "senior_technician": _l("Level 1 (senior technician)"),
}
DELIVERY_LABELS = {"in_person": _l("In person"), "online": _l("Online"),
                   "mixed": _l("In person and online")}
SESSION_MODE_LABELS = {"in_person": _l("In person"), "online": _l("Online")}
DELIVERY_MODEL_LABELS = {"project": _l("Project-based"), "order": _l("Order-based"),
                         "package": _l("Package-based")}
PROVISION_LABELS = {
    "sign_language": _l("Sign-language interpreter"),
    "braille": _l("Braille materials"),
    "large_print": _l("Large-print materials"),
    "screen_reader": _l("Screen-reader-ready materials"),
    "step_free": _l("Step-free site"),
}
ADMISSION_LABELS = {"auto": _l("Automatic, in order of application"),
                    "manual": _l("Decided by the institution")}
BATCH_STATUS_LABELS = {
    "draft": _l("Draft"), "submitted": _l("Awaiting approval"),
    "returned": _l("Returned for changes"), "rejected": _l("Rejected"),
    "approved": _l("Approved"), "enrolling": _l("Open for applications"),
    "in_progress": _l("In progress"), "completed": _l("Completed"),
    "settled": _l("Settled"), "cancelled": _l("Cancelled"),
}
ENROLMENT_STATUS_LABELS = {
    "applied": _l("Applied, awaiting decision"), "waiting": _l("On the waiting list"),
    "admitted": _l("Admitted"), "declined": _l("Not admitted"), "withdrawn": _l("Withdrawn"),
}
ATTENDANCE_LABELS = {"present": _l("Present"), "late": _l("Late"), "excused": _l("Excused"),
                     "absent": _l("Absent")}
EMPLOYMENT_FORM_LABELS = {
    "quota": _l("Quota employment"),
    "concentrated": _l("Concentrated employment"),
    "self_employed": _l("Self-employment"),
    "flexible": _l("Flexible employment"),
    "public_welfare": _l("Public-welfare post"),
    "supported": _l("Supported employment"),
}
DEMAND_STATUS_LABELS = {"open": _l("Open"), "closed": _l("Closed")}
# A family member's relation to the person with disabilities (eligibility.RELATIONS), and
# what they and the staff are told: no subsidy follows their seat.
FAMILY_NOTICE = eligibility.FAMILY_NOTICE
RELATION_LABELS = {"spouse": _l("Spouse"), "child": _l("Child"), "parent": _l("Parent"),
                   "other": _l("Other family member")}


def number(value: Decimal | int | None) -> str:
    """8.00 → 8, 7.50 → 7.5, 79.9 → 79.9: hours and rates without trailing zeros."""
    if value is None:
        return ""
    return f"{Decimal(value).normalize():f}"


def names(table: dict[str, Any], codes: Iterable[str]) -> str:
    return "、".join(str(table.get(c, c)) for c in codes)


def _names_filter(table: dict[str, Any]) -> Any:
    """`names` for templates, each label translated once per rendering: a roster lists the
    unmet provisions of many trainees, the same few labels (issue 13)."""
    @pass_context
    def shown(context: Context, codes: Iterable[str]) -> str:
        return "、".join(str(translated(context, table.get(c, c))) for c in codes)
    return shown


def _label(table: dict[str, Any]) -> Any:
    # translated once per rendering: a sheet shows the same few statuses in every cell
    return label_filter(table)


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(
        training_category=_label(CATEGORY_LABELS),
        training_type=_label(TRAINING_TYPE_LABELS),
        certificate_type=_label(CERTIFICATE_TYPE_LABELS),
        certificate_level=_label(CERTIFICATE_LEVEL_LABELS),
        delivery=_label(DELIVERY_LABELS),
        session_mode=_label(SESSION_MODE_LABELS),
        batch_status=_label(BATCH_STATUS_LABELS),
        enrolment_status=_label(ENROLMENT_STATUS_LABELS),
        attendance=_label(ATTENDANCE_LABELS),
        employment_form=_label(EMPLOYMENT_FORM_LABELS),
        demand_status=_label(DEMAND_STATUS_LABELS),
        provisions=_names_filter(PROVISION_LABELS),
        delivery_models=_names_filter(DELIVERY_MODEL_LABELS),
        admission=_label(ADMISSION_LABELS),
        family_relation=_label(RELATION_LABELS),
        number=number,
    )
    # The msgid of what a family member and the staff are told (translated where shown).
    app.jinja_env.globals.update(family_notice=FAMILY_NOTICE)
