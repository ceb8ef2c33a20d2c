"""The public front door: what anyone sees at `/` before signing in (course search, bases
under public notice, published competition results with a medal table by city, the policy
and a guide for each kind of user, certificate verification, a contact line), and the guide
page; core.home routes both. Read-only and impersonal: see queries.py."""

from __future__ import annotations

from flask import current_app, render_template
from flask_babel import gettext
from wtforms.fields.choices import SelectChoice

from trainhub.competitions.catalog import AWARD_NAMES
from trainhub.core.regions import region_names
from trainhub.core.timeutil import local_today
from trainhub.public import queries
from trainhub.training.forms import CatalogueFilter


def _contact() -> dict[str, str]:
    return {"hotline": current_app.config["PUBLIC_CONTACT_HOTLINE"],
            "address": current_app.config["PUBLIC_CONTACT_ADDRESS"]}


def _course_search(names: dict[str, str]) -> CatalogueFilter:
    """The catalogue's own filter, of which the front door shows the keyword and the city:
    submitted, it opens the public catalogue (/training/courses) with the same parameters."""
    form = CatalogueFilter(formdata=None)
    form.city.choices = [SelectChoice("", gettext("Any")),
                         *(SelectChoice(code, name) for code, name in sorted(names.items())
                           if len(code) == 4)]
    return form


def front_door() -> str:
    """`/` for a visitor who is not signed in (core.home hands over)."""
    names = region_names()
    year = queries.medal_year()
    return render_template(
        "public/home.html", names=names, search=_course_search(names),
        open_batches=queries.open_batches(), notices=queries.current_notices(local_today()),
        competitions=queries.published_competitions(), medal_year=year,
        medals=queries.medals_by_city(year) if year else [], award_names=AWARD_NAMES,
        contact=_contact())


def guide() -> str:
    """The policy in plain words and a guide for each kind of user (办事指南)."""
    return render_template("public/guide.html", contact=_contact())
