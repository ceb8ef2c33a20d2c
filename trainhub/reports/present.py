"""The plan report's figures as sections of rows (label, this year, the previous year, …):
the one shape the page's tables and charts, the workbook and the PDF are all drawn from, so
the three cannot disagree. Labels are translated once per rendering."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from trainhub.bases.display import SPECIALTY_LABELS
from trainhub.core.display import CATEGORY_LABELS
from trainhub.core.errors import N_
from trainhub.reports.figures import (
    CATEGORIES,
    CURRENT,
    FAMILIES,
    MONEY_KINDS,
    PREVIOUS,
    PlanFigures,
    rate,
)
from trainhub.subsidies.values import format_yuan

FAMILY_LABELS = {"other": _l("Other courses"), **{
    family: SPECIALTY_LABELS[family] for family in FAMILIES if family != "other"}}
MONEY_LABELS = {"fee": _l("Training fee subsidies"), "living": _l("Living allowances"),
                "reward": _l("Over-quota employment rewards")}
# The measure said with the kind ("Training fee subsidies: paid"), in one msgid each so a
# translation orders and punctuates it as its language does.
MONEY_MEASURES = {"computed": N_("%(kind)s: computed"), "approved": N_("%(kind)s: approved"),
                  "paid": N_("%(kind)s: paid"), "budget": N_("%(kind)s: budget")}


COUNTY_CODE_LENGTH = 6


@dataclass(frozen=True)
class Cell:
    text: str
    value: int | float | None  # what a chart and a workbook read; None: not a number


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    headers: list[str]
    rows: list[list[Cell]]  # the first cell of a row is its label
    chart: str | None = None  # the table's columns a bar chart draws ("1,2"), if any
    description: str = ""  # the chart's text alternative


def _count(value: int) -> Cell:
    return Cell(str(value), value)


def _rate(part: int, whole: int) -> Cell:
    share = rate(part, whole)
    return Cell("—" if share is None else f"{share}%", share)


def _money(fen: int) -> Cell:
    return Cell(f"¥{format_yuan(fen)}", round(fen / 100, 2))


def _label(text: Any) -> Cell:
    return Cell(str(text), None)


def _years(figures: PlanFigures) -> list[str]:
    return [str(figures.year), str(figures.year - 1)]


def _chart_text(what: str) -> str:
    return gettext("Bar chart of %(what)s, this year beside the previous year; the table "
                   "below gives the same figures.", what=what)


def sections(figures: PlanFigures) -> list[Section]:
    return [_bases(figures), _training(figures), _families(figures), _categories(figures),
            _employment(figures), _money_section(figures), _competitions(figures)]


def _bases(figures: PlanFigures) -> Section:
    now, before = figures.bases[CURRENT], figures.bases[PREVIOUS]
    met, not_met = gettext("Met"), gettext("Not met")
    targets = figures.target_met()

    def target(key: str, whole: str) -> list[Cell]:
        return [_count(now[whole]), _label(met if targets[key] else not_met)]

    rows = [
        [_label(gettext("Cities with a city-level training base")),
         _count(now["cities_with_training"]), _count(before["cities_with_training"]),
         *target("city_training", "cities")],
        [_label(gettext("Cities with a city-level incubation base")),
         _count(now["cities_with_incubator"]), _count(before["cities_with_incubator"]),
         *target("city_incubator", "cities")],
        [_label(gettext("Counties with a training base")),
         _count(now["counties_with_training"]), _count(before["counties_with_training"]),
         *target("county_training", "counties")],
        [_label(gettext("Training bases (all levels)")), _count(now["training"]),
         _count(before["training"]), _label("—"), _label("—")],
        [_label(gettext("Incubation bases (all levels)")), _count(now["incubator"]),
         _count(before["incubator"]), _label("—"), _label("—")],
    ]
    if len(figures.region_code) == COUNTY_CODE_LENGTH:  # a county answers for its own target
        rows = rows[2:]
    return Section("bases", gettext("Bases against the plan's targets"),
                   [gettext("Figure"), *_years(figures), gettext("Target"),
                    gettext("Target met")], rows, "1,2,3",
                   _chart_text(gettext("the bases against the targets")))


def _training_rows(pair: dict[str, dict[str, int]]) -> list[Cell]:
    now, before = pair[CURRENT], pair[PREVIOUS]
    return [_count(now["trained"]), _count(before["trained"]),
            _rate(now["completed"], now["trained"]),
            _rate(before["completed"], before["trained"]),
            _rate(now["certified"], now["trained"]),
            _rate(before["certified"], before["trained"])]


def _training(figures: PlanFigures) -> Section:
    now, before = figures.training[CURRENT], figures.training[PREVIOUS]
    rows = [[_label(gettext("Trainees trained")), _count(now["trained"]),
             _count(before["trained"])],
            [_label(gettext("Completed (passed the assessment)")), _count(now["completed"]),
             _count(before["completed"])],
            [_label(gettext("Completion rate")), _rate(now["completed"], now["trained"]),
             _rate(before["completed"], before["trained"])],
            [_label(gettext("Obtained a certificate")), _count(now["certified"]),
             _count(before["certified"])],
            [_label(gettext("Certificate rate")), _rate(now["certified"], now["trained"]),
             _rate(before["certified"], before["trained"])]]
    return Section("training", gettext("Trainees, completion and certificates"),
                   [gettext("Figure"), *_years(figures)], rows)


def _breakdown_headers(figures: PlanFigures, first: str) -> list[str]:
    this, last = _years(figures)
    return [first, gettext("Trained %(year)s", year=this), gettext("Trained %(year)s", year=last),
            gettext("Completion rate %(year)s", year=this),
            gettext("Completion rate %(year)s", year=last),
            gettext("Certificate rate %(year)s", year=this),
            gettext("Certificate rate %(year)s", year=last)]


def _families(figures: PlanFigures) -> Section:
    rows = [[_label(FAMILY_LABELS[f]), *_training_rows(figures.families[f])] for f in FAMILIES]
    return Section("families", gettext("By course family"),
                   _breakdown_headers(figures, gettext("Course family")), rows, "1,2",
                   _chart_text(gettext("trainees by course family")))


def _categories(figures: PlanFigures) -> Section:
    names = {**{str(k): v for k, v in CATEGORY_LABELS.items()},
             "none": _l("Family members (no certificate)")}
    rows = [[_label(names[c]), *_training_rows(figures.categories[c])] for c in CATEGORIES]
    return Section("categories", gettext("By disability category"),
                   _breakdown_headers(figures, gettext("Disability category")), rows, "1,2",
                   _chart_text(gettext("trainees by disability category")))


def _employment(figures: PlanFigures) -> Section:
    now, before = figures.employment[CURRENT], figures.employment[PREVIOUS]
    rows = [[_label(gettext("Followed up at six months")), _count(now["followed"]),
             _count(before["followed"])],
            [_label(gettext("Employed")), _count(now["employed"]), _count(before["employed"])],
            [_label(gettext("Committed to hire by the ordering enterprises")),
             _count(now["committed"]), _count(before["committed"])],
            [_label(gettext("Hired by the ordering enterprise")), _count(now["hired"]),
             _count(before["hired"])],
            [_label(gettext("Hired against committed")),
             _rate(now["hired"], now["committed"]), _rate(before["hired"], before["committed"])]]
    return Section("employment", gettext("Employment at six months: hired against committed"),
                   [gettext("Figure"), *_years(figures)], rows, "1,2",
                   _chart_text(gettext("employment at six months")))


def _money_section(figures: PlanFigures) -> Section:
    rows = []
    for kind in MONEY_KINDS:
        now, before = figures.money[kind][CURRENT], figures.money[kind][PREVIOUS]
        for measure, label in MONEY_MEASURES.items():
            rows.append([_label(gettext(label, kind=MONEY_LABELS[kind])), _money(now[measure]),
                         _money(before[measure])])
    return Section("money", gettext("Subsidies and rewards against the budget (yuan)"),
                   [gettext("Figure"), *_years(figures)], rows)


def _competitions(figures: PlanFigures) -> Section:
    now, before = figures.competitions[CURRENT], figures.competitions[PREVIOUS]
    labels = {"held": gettext("Competitions held"), "events": gettext("Events held"),
              "contestants": gettext("Contestants"), "awarded": gettext("Contestants awarded"),
              "selected": gettext("Selected for national or international competitions")}
    rows = [[_label(text), _count(now[key]), _count(before[key])]
            for key, text in labels.items()]
    return Section("competitions", gettext("Skills competitions"),
                   [gettext("Figure"), *_years(figures)], rows, "1,2",
                   _chart_text(gettext("the skills competitions")))


def how_counted() -> list[str]:
    """How each figure is counted, said under the report (and in the workbook's notes)."""
    return [
        gettext("Bases: valid on 31 December (on the day shown, for the year under way); a "
                "city meets its targets with a training base and an incubation base at city "
                "or province level, a county with a training base of any level."),
        gettext("Trainees: admitted to batches that ran and ended in the year, counted by "
                "the batch's county; a person in two batches counts twice."),
        gettext("Employment: the six-month follow-ups of those trainees; committed is the "
                "hire commitment of the demands their batches answered."),
        gettext("Subsidies and rewards: computed by the claim date (rewards: the "
                "submission), approved and paid by the budget year of the approval; the "
                "budget is the one set for the region itself."),
        gettext("Competitions: held when organised in the region; contestants living in it, "
                "by the competition's first day."),
    ]


def city_summary(figures: PlanFigures | None) -> list[Cell]:
    """A city's submitted figures in a line of the province's list: trainees, completion
    rate, hired against committed, and whether its base targets are met."""
    if figures is None:
        return [_label("—")] * 4
    training, employment = figures.training[CURRENT], figures.employment[CURRENT]
    met = figures.target_met()
    return [_count(training["trained"]), _rate(training["completed"], training["trained"]),
            _rate(employment["hired"], employment["committed"]),
            _label(gettext("Met") if met["city_training"] and met["city_incubator"]
                   and met["county_training"] else gettext("Not met"))]
