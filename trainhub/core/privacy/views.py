"""我的个人信息: a person's consents (give, withdraw) and the copy of their own data."""

from __future__ import annotations

import json

from flask import Blueprint, Response, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from trainhub.core import downloads, policy
from trainhub.core.errors import N_, NotFound
from trainhub.core.forms import attempt
from trainhub.core.people.models import Person
from trainhub.core.privacy import consent, copy
from trainhub.core.privacy.forms import ConsentForm, WithdrawForm
from trainhub.core.privacy.models import Consent, Method
from trainhub.core.privacy.notice import NOTICES
from trainhub.core.timeutil import local_today
from trainhub.extensions import db

bp = Blueprint("privacy", __name__, url_prefix="/account/privacy")

NOT_FOUND = N_("The page or record was not found, or it is outside your scope.")


def _person() -> Person:
    person = db.session.get(Person, current_user.person_id)
    if person is None:
        raise NotFound(NOT_FOUND)
    return person


def _page(form: ConsentForm | None = None, status: int = 200) -> tuple[str, int]:
    person = _person()
    return render_template(
        "privacy/mine.html", person=person, active=consent.active(person.id),
        minor=consent.is_minor(person.birth_date, local_today()),
        consents=consent.history(person.id), notices=NOTICES,
        form=form or ConsentForm(formdata=None), withdraw_form=WithdrawForm()), status


@bp.get("")
@policy.permission("privacy.own")
def mine() -> ResponseReturnValue:
    return _page()


@bp.post("/consent")
@policy.permission("privacy.own")
def give() -> ResponseReturnValue:
    form = ConsentForm()
    if not form.validate_on_submit() or not form.consent.data:
        form.consent.errors = [*form.consent.errors, gettext(consent.MISSING)]
        return _page(form, 400)
    person = _person()
    guardian = consent.guardian_from(form.guardian_name.data, form.guardian_relation.data)
    if not attempt(lambda: consent.give(person, current_user, Method.ONLINE, guardian=guardian),
                   N_("Your consent has been recorded."), form=form):
        return _page(form, 400)  # a person under 18: their guardian, named
    return redirect(url_for("privacy.mine"))


@bp.post("/consents/<int:consent_id>/withdraw")
@policy.permission("privacy.own")
def withdraw(consent_id: int) -> ResponseReturnValue:
    found = db.session.get(Consent, consent_id)
    if found is None or not policy.may(current_user, "privacy.own", found):
        raise NotFound(NOT_FOUND)
    if WithdrawForm().validate_on_submit():
        attempt(lambda: consent.withdraw(found, current_user),
                N_("Your consent has been withdrawn. New applications will ask for it "
                   "again."))
    return redirect(url_for("privacy.mine"))


@bp.get("/copy.json")
@policy.permission("privacy.own")
@downloads.document("personal_data_copy", "person_id", _l("Copy of personal data"))
def copy_json() -> Response:
    person = _person()
    body = json.dumps(copy.build(person), ensure_ascii=False, indent=2)
    copy.record_download(person, "json")
    db.session.commit()
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": "attachment; filename=personal-data.json"})


@bp.get("/copy")
@policy.permission("privacy.own")
def copy_summary() -> ResponseReturnValue:
    """The same copy as a readable page (printable, read aloud by a screen reader)."""
    person = _person()
    data = copy.build(person)
    copy.record_download(person, "summary")
    db.session.commit()
    return render_template("privacy/copy.html", data=data, notices=NOTICES)
