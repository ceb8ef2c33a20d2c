"""The coverage dashboard: gaps against the targets per city and county, as a table beside a
map (static/js/coverage-map.js fetches map.json), and as an Excel workbook.

Every view is scoped to the officer's region (the province for the admin) and counts the
bases valid today; filters come from the query string and unknown values are ignored with a
notice. Thin views: parse → scope → service → respond.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import quote

from flask import Response, jsonify, render_template, request
from flask_babel import get_locale, gettext
from flask_login import current_user

from trainhub.bases.coverage import CityRow, Coverage, coverage
from trainhub.bases.display import KIND_LABELS, SPECIALTY_LABELS
from trainhub.bases.models import SPECIALTIES, BaseKind
from trainhub.bases.views import bp
from trainhub.core import policy
from trainhub.core.accounts.models import Role
from trainhub.core.audit.service import record
from trainhub.core.errors import PermissionDenied
from trainhub.core.excel import CellValue, Sheet, write_workbook
from trainhub.core.regions import region_path
from trainhub.core.timeutil import local_today
from trainhub.extensions import db

PROVINCE = "36"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Filters:
    kind: BaseKind | None = None
    specialty: str | None = None
    ignored: tuple[str, ...] = field(default=())

    def query(self) -> dict[str, str]:
        """The query string that reproduces these filters (for links and map.json)."""
        values = {"kind": self.kind.value if self.kind else "",
                  "specialty": self.specialty or ""}
        return {k: v for k, v in values.items() if v}


def parse_filters(args: Any) -> Filters:
    """`kind` and `specialty` from the query string; anything else is ignored, and said."""
    kind_text, specialty = args.get("kind", ""), args.get("specialty", "")
    ignored = []
    kind = BaseKind(kind_text) if kind_text in set(BaseKind) else None
    if kind_text and kind is None:
        ignored.append("kind")
    if specialty and specialty not in SPECIALTIES:
        ignored.append("specialty")
        specialty = ""
    return Filters(kind, specialty or None, tuple(ignored))


def scope_code() -> str:
    """The officer's region; the province for the admin. An officer without a region
    sees nothing rather than everything."""
    if current_user.role == Role.ADMIN:
        return PROVINCE
    region = policy.officer_region(current_user)
    if not region:
        raise PermissionDenied("bases.coverage")
    return region


def _report(filters: Filters) -> Coverage:
    return coverage(scope_code(), local_today(), filters.kind, filters.specialty)


# --- shared wording ------------------------------------------------------------------

def _chinese() -> bool:
    return str(get_locale()).startswith("zh")


def join_names(names: list[str]) -> str:
    return ("、" if _chinese() else ", ").join(names)


def specialty_text(counts: Counter[str]) -> str:
    """'盲人按摩 3、电子商务 1' in the order of SPECIALTIES."""
    return specialty_texts()(counts)


def specialty_texts() -> Callable[[Counter[str]], str]:
    """specialty_text for a whole page or workbook: the labels and the separator translated
    once, not for each of a province's hundred counties (issue 13)."""
    labels = [(code, str(SPECIALTY_LABELS[code])) for code in SPECIALTIES]
    separator = "、" if _chinese() else ", "

    def text(counts: Counter[str]) -> str:
        return separator.join(f"{label} {counts[code]}" for code, label in labels
                              if counts[code])
    return text


def filter_text(filters: Filters) -> str:
    kind = str(KIND_LABELS[filters.kind.value]) if filters.kind else gettext("All kinds")
    specialty = (str(SPECIALTY_LABELS[filters.specialty]) if filters.specialty
                 else gettext("All specialties"))
    return gettext("%(kind)s; %(specialty)s", kind=kind, specialty=specialty)


def map_metric(filters: Filters) -> str:
    """What the map shades: city-level incubators when only incubators are asked for,
    otherwise city-level training bases (the first target)."""
    return "city_incubator" if filters.kind == BaseKind.INCUBATOR else "city_training"


def _metric_words(metric: str) -> str:
    return (gettext("city-level incubation bases") if metric == "city_incubator"
            else gettext("city-level training bases"))


def map_caption(metric: str) -> str:
    """The visible caption under the map."""
    return gettext("Each city shows its number of %(what)s; a city with none is shaded "
                   "orange and shows 0. The table gives the same figures.",
                   what=_metric_words(metric))


def map_description(report: Coverage, metric: str) -> str:
    """The written description of the map, for screen readers (ECharts aria)."""
    incubator = metric == "city_incubator"
    gaps = [c.name for c in report.cities if (c.gap_incubator if incubator else c.gap_training)]
    parts = [gettext("Map of Jiangxi: each city shown is labelled with its number of "
                     "%(what)s.", what=_metric_words(metric))]
    if gaps:
        parts.append(gettext("Without one: %(names)s.", names=join_names(gaps)))
    else:
        parts.append(gettext("Every city shown has one."))
    parts.append(gettext("The table beside the map gives the same figures."))
    return ("" if _chinese() else " ").join(parts)


def map_labels(metric: str) -> dict[str, str]:
    """The words the map script shows: legend pieces and tooltip lines."""
    return {
        "metric": (gettext("City-level incubation bases") if metric == "city_incubator"
                   else gettext("City-level training bases")),
        "none": gettext("0 (gap)"), "one": "1", "few": "2–4", "many": gettext("5 or more"),
        "training": gettext("Training bases (all levels)"),
        "incubator": gettext("Incubation bases (all levels)"),
        "city_training": gettext("City-level training bases"),
        "city_incubator": gettext("City-level incubation bases"),
    }


# --- the page ------------------------------------------------------------------------

@bp.get("/coverage", endpoint="coverage")
@policy.permission("bases.coverage")
def coverage_page() -> str:
    filters = parse_filters(request.args)
    report = _report(filters)
    metric = map_metric(filters)
    return render_template(
        "bases/coverage.html", report=report, filters=filters, totals=report.totals,
        scope_name=region_path(report.scope_code), filter_summary=filter_text(filters),
        metric=metric, description=map_description(report, metric),
        caption=map_caption(metric), map_labels=map_labels(metric),
        counting_rule=counting_rule(),
        specialty_text=specialty_texts(), kind_labels=KIND_LABELS,
        specialty_choices=[(code, SPECIALTY_LABELS[code]) for code in SPECIALTIES],
    )


# --- map.json ------------------------------------------------------------------------

def _city_json(city: CityRow) -> dict[str, Any]:
    return {"code": city.code, "name": city.name, "training": city.training,
            "incubator": city.incubator, "city_training": city.city_training,
            "city_incubator": city.city_incubator, "gap_training": city.gap_training,
            "gap_incubator": city.gap_incubator, "counties": len(city.counties),
            "counties_without_training": city.counties_without_training}


@bp.get("/coverage/map.json", endpoint="coverage_map")
@policy.permission("bases.coverage")
def coverage_map() -> Response:
    filters = parse_filters(request.args)
    report = _report(filters)
    metric = map_metric(filters)
    response = jsonify({
        "on": report.on.isoformat(), "scope": report.scope_code,
        "kind": filters.kind.value if filters.kind else None, "specialty": filters.specialty,
        "ignored": list(filters.ignored), "metric": metric,
        "description": map_description(report, metric), "totals": report.totals,
        "cities": [_city_json(city) for city in report.cities],
    })
    response.headers["Cache-Control"] = "no-store"
    return response


# --- the workbook --------------------------------------------------------------------

def _yes_no(value: bool) -> str:
    return gettext("Yes") if value else gettext("No")


def _city_sheet(report: Coverage) -> Sheet:
    header = [gettext("Code"), gettext("City"), gettext("Training bases (all levels)"),
              gettext("Incubation bases (all levels)"),
              gettext("City-level training bases"), gettext("City-level incubation bases"),
              gettext("No training base"), gettext("No incubation base"),
              gettext("Counties"), gettext("Counties without a training base"),
              gettext("Specialties")]
    rows: list[list[CellValue]] = [
        [c.code, c.name, c.training, c.incubator, c.city_training, c.city_incubator,
         _yes_no(c.gap_training), _yes_no(c.gap_incubator), len(c.counties),
         c.counties_without_training, specialty_text(c.specialties)]
        for c in report.cities]
    return Sheet(gettext("Cities"), header, rows)


def _county_rows(city: CityRow) -> list[list[CellValue]]:
    return [[county.code, city.name, county.name, county.training, county.incubator,
             _yes_no(county.gap_training), specialty_text(county.specialties)]
            for county in city.counties]


def _county_sheet(report: Coverage) -> Sheet:
    header = [gettext("Code"), gettext("City"), gettext("County"), gettext("Training bases"),
              gettext("Incubation bases"), gettext("No training base"),
              gettext("Specialties")]
    return Sheet(gettext("Counties"), header,
                 [row for city in report.cities for row in _county_rows(city)])


def _notes_sheet(report: Coverage, filters: Filters) -> Sheet:
    rows: list[list[CellValue]] = [
        [gettext("Counted on"), report.on],
        [gettext("Area covered"), region_path(report.scope_code)],
        [gettext("Filters"), filter_text(filters)],
        [gettext("Counting rule"), counting_rule()],
    ]
    return Sheet(gettext("Notes"), [gettext("Item"), gettext("Value")], rows)


def counting_rule() -> str:
    return gettext(
        "Only bases valid on the date count (suspended, revoked and expired bases do not). "
        "A county is covered when a training base of any level stands in it; a city when a "
        "base of that kind at city or province level stands in it.")


def _filename(on: date) -> tuple[str, str]:
    """(ASCII fallback, the translated name) for Content-Disposition."""
    return (f"bases-coverage-{on.isoformat()}.xlsx",
            gettext("Base coverage") + f"-{on.isoformat()}.xlsx")


def workbook(report: Coverage, filters: Filters) -> bytes:
    """The coverage workbook: cities, counties, and how they were counted."""
    return write_workbook([_city_sheet(report), _county_sheet(report),
                           _notes_sheet(report, filters)])


def record_export(report: Coverage, filters: Filters) -> None:
    record("bases.coverage_export", object_type="coverage", object_id=report.scope_code,
           region_code=report.scope_code,
           details={"on": report.on.isoformat(), **filters.query()})


def xlsx_response(data: bytes, on: date) -> Response:
    ascii_name, name = _filename(on)
    response = Response(data, mimetype=XLSX_MIME)
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}")
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.get("/coverage.xlsx", endpoint="coverage_xlsx")
@policy.permission("bases.coverage")
def coverage_xlsx() -> Response:
    filters = parse_filters(request.args)
    report = _report(filters)
    data = workbook(report, filters)
    record_export(report, filters)
    db.session.commit()
    return xlsx_response(data, report.on)
