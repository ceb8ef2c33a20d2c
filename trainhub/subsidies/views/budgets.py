"""Budgets for officers: per region (their own and those below), year and kind, the budget,
what is committed (approved and paid), paid and remaining, as tables with a chart beside
each; and the form that sets or raises a budget."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from trainhub.core import policy
from trainhub.core.errors import N_, NotFound
from trainhub.core.forms import attempt
from trainhub.core.inputs import bounded_int
from trainhub.core.regions import Region, region_names, region_path
from trainhub.core.timeutil import local_today
from trainhub.extensions import db
from trainhub.subsidies import budgets, display, loaders
from trainhub.subsidies.forms import FIRST_YEAR, LAST_YEAR, BudgetForm
from trainhub.subsidies.views import bp
from trainhub.training.forms import fen

BUDGETS = "subsidies.budgets"
YEARS_BACK, YEARS_AHEAD = 3, 1


def _scope() -> str:
    region = loaders.scope_of(current_user)
    if region is None:
        raise NotFound(loaders.NOT_FOUND)
    return region


def _region_choices(region: str) -> list[SelectChoice]:
    """The officer's region first, then the regions below it in code order."""
    names = region_names()
    codes = db.session.scalars(select(Region.code).where(Region.code.startswith(region))
                               .order_by(Region.code))
    return [SelectChoice(code, _region_label(code, names)) for code in codes]


def _region_label(code: str, names: dict[str, str]) -> str:
    if len(code) == 2:
        return gettext("%(name)s (whole province)", name=names.get(code, code))
    return " ".join(names.get(code[:n], "") for n in (4, 6) if len(code) >= n).strip()


def _years(shown: int) -> list[int]:
    this = local_today().year
    return sorted({*range(this - YEARS_BACK, this + YEARS_AHEAD + 1), shown})


def _year(raw: int | None) -> int:
    return raw if raw is not None and FIRST_YEAR <= raw <= LAST_YEAR else local_today().year


def _page(form: BudgetForm, region: str, year: int, status: int = 200) -> tuple[str, int]:
    rows = loaders.usages(loaders.budgets_in(region, year))
    names = region_names()
    by_kind = {kind: [u for u in rows if u.budget.kind == kind] for kind in display.KIND_LABELS}
    return render_template(
        "subsidies/budgets.html", form=form, year=year, years=_years(year), by_kind=by_kind,
        labels={u.budget.id: _region_label(u.budget.region_code, names) for u in rows},
        scope_name=region_path(region)), status


@bp.get("/budgets")
@policy.permission(BUDGETS)
def budget_list() -> tuple[str, int]:
    region, year = _scope(), _year(request.args.get("year", type=bounded_int))
    form = BudgetForm(year=year, region_code=region)
    form.region_code.choices = _region_choices(region)
    return _page(form, region, year)


@bp.post("/budgets")
@policy.permission(BUDGETS)
def set_budget() -> ResponseReturnValue:
    region = _scope()
    # A region outside the officer's is refused as such, not as an invalid choice.
    policy.require(current_user, BUDGETS, loaders.Scope(request.form.get("region_code", "")))
    form = BudgetForm()
    form.region_code.choices = _region_choices(region)
    year = _year(form.year.data)
    if form.validate_on_submit() and attempt(
            lambda: budgets.set_budget(form.region_code.data or "", year, form.kind.data or "",
                                       fen(form.amount.data), current_user),
            N_("The budget has been set."), form=form):
        return redirect(url_for("subsidies.budget_list", year=year))
    return _page(form, region, year, 400)
