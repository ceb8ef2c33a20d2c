"""The plan report as an Excel workbook (a sheet a section, and the notes) and as a PDF
(WeasyPrint, tagged, as the house's documents are), both drawn from present.sections."""

from __future__ import annotations

from flask_babel import gettext

from trainhub.core.documents.pdf import render_pdf
from trainhub.core.excel import CellValue, Sheet, write_workbook
from trainhub.core.i18n import local_datetime
from trainhub.core.regions import region_path
from trainhub.reports import present
from trainhub.reports.figures import PlanFigures
from trainhub.reports.models import PlanReport
from trainhub.reports.submission import CityLine


def _status(figures: PlanFigures, frozen: PlanReport | None) -> str:
    if frozen is None:
        return gettext("Computed from the records; not submitted.")
    return gettext("Submitted on %(when)s; the figures as submitted.",
                   when=local_datetime(frozen.submitted_at))


def _cities_sheet(cities: list[CityLine]) -> Sheet:
    """The province's list of cities, as on its page: submitted (when) or not, and each
    submitted city's figures as submitted."""
    rows: list[list[CellValue]] = []
    for city in cities:
        summary = present.city_summary(city.figures)
        rows.append([city.code, city.name,
                     local_datetime(city.submitted_at) if city.submitted_at
                     else gettext("Not submitted"),
                     *[cell.text if cell.value is None else cell.value for cell in summary]])
    return Sheet(gettext("Submissions by city")[:31],
                 [gettext("Code"), gettext("City"), gettext("Submitted"),
                  gettext("Trainees trained"), gettext("Completion rate"),
                  gettext("Hired against committed"), gettext("Base targets")], rows)


def workbook(figures: PlanFigures, frozen: PlanReport | None,
             cities: list[CityLine] | None = None) -> bytes:
    sheets = [_cities_sheet(cities)] if cities is not None else []
    for section in present.sections(figures):
        rows: list[list[CellValue]] = [
            [cell.text if cell.value is None else cell.value for cell in row]
            for row in section.rows]
        sheets.append(Sheet(section.title[:31], section.headers, rows))
    notes: list[list[CellValue]] = [
        [gettext("Region"), region_path(figures.region_code)],
        [gettext("Year"), figures.year],
        [gettext("Bases counted on"), figures.counted_day],
        [gettext("Status"), _status(figures, frozen)],
        *[[gettext("How it is counted"), text] for text in present.how_counted()],
    ]
    sheets.append(Sheet(gettext("Notes"), [gettext("Item"), gettext("Value")], notes))
    return write_workbook(sheets)


def pdf(figures: PlanFigures, frozen: PlanReport | None,
        cities: list[CityLine] | None = None) -> bytes:
    return render_pdf("reports/plan_pdf.html", figures=figures, cities=cities,
                      city_summary=present.city_summary,
                      sections=present.sections(figures), notes=present.how_counted(),
                      scope_name=region_path(figures.region_code),
                      status=_status(figures, frozen))
