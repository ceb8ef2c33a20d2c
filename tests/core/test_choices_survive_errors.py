"""Issue 12, item 2: a choice made in a select or radio buttons is still chosen when the
form comes back with an error, and a consequential choice (a decision, a verdict, an
outcome) is never made for the person: it has no default and no answer is a field error.

The first test walks every form of the app that has a select or radio buttons (found by
importing each domain's forms modules, so a new form is walked without being listed); the
second walks the page whose decision used to jump back to 推荐 after an error."""

from __future__ import annotations

import importlib
import io
import pkgutil
import re
from collections.abc import Iterator
from typing import Any

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import RadioField, SelectField
from wtforms.fields.choices import SelectChoice

import trainhub
from tests.bases.builders import build
from tests.conftest import form_token, sign_in
from trainhub.core.forms import (
    BaseForm,
    DecisionRadioField,
    DecisionSelectField,
    database_id,
    int_or_blank,
)

# The consequential choices of the app, as Form.field: each must be a Decision*Field.
CONSEQUENTIAL = {
    "ReviewForm.decision", "AnnualReviewForm.outcome",           # bases
    "ResultForm.passed", "FollowUpForm.employed",                # training
    "ResolveFlagForm.action", "AppealDecisionForm.decision",     # competitions judging
    "SubstituteForm.leaving",                                    # competitions delegations
}


def _forms_modules() -> Iterator[Any]:
    for info in pkgutil.walk_packages(trainhub.__path__, "trainhub."):
        if info.name.rsplit(".", 1)[-1] == "forms" or ".forms." in info.name:
            yield importlib.import_module(info.name)


def _choice_forms() -> list[tuple[type[BaseForm], str]]:
    """(form class, field name) for every select or radio field of every app form."""
    found: dict[tuple[str, str], tuple[type[BaseForm], str]] = {}
    for module in _forms_modules():
        for form_class in vars(module).values():
            if not (isinstance(form_class, type) and issubclass(form_class, BaseForm)):
                continue
            for name in dir(form_class):
                unbound = getattr(form_class, name)
                field_class = getattr(unbound, "field_class", None)
                if isinstance(field_class, type) and issubclass(field_class,
                                                                (SelectField, RadioField)):
                    key = (f"{form_class.__module__}.{form_class.__qualname__}", name)
                    found[key] = (form_class, name)
    return sorted(found.values(), key=lambda pair: (pair[0].__qualname__, pair[1]))


CHOICE_FORMS = _choice_forms()


def _options(field: Any) -> list[SelectChoice]:
    """The field's choices; a list filled per request (accounts, regions…) gets two."""
    listed = list(field.choices or [])
    if not any((c.value if isinstance(c, SelectChoice) else c[0]) not in ("", None)
               for c in listed):  # only a "please choose" option, if any: a list to fill
        coerce_int = field.coerce in (int, int_or_blank, database_id)
        field.choices = [*listed, SelectChoice(1 if coerce_int else "a", "A"),
                         SelectChoice(2 if coerce_int else "b", "B")]
    return [SelectChoice(*c[:2]) if not isinstance(c, SelectChoice) else c
            for c in field.choices]


def _fill(form: BaseForm) -> BaseForm:
    """Choices a view fills per request (accounts, regions…) get two for the walk."""
    for field in form:
        if isinstance(field, (SelectField, RadioField)):
            _options(field)
    return form


def test_every_form_is_walked():
    walked = {f"{form.__name__}.{name}" for form, name in CHOICE_FORMS}
    assert walked >= CONSEQUENTIAL
    assert len(walked) > 20


@pytest.mark.parametrize(("form_class", "name"), CHOICE_FORMS,
                         ids=[f"{f.__qualname__}.{n}" for f, n in CHOICE_FORMS])
def test_a_choice_survives_an_error(app, form_class, name):
    with app.test_request_context("/", method="POST"):
        blank = _fill(form_class(formdata=None, meta={"csrf": False}))
        options = _options(blank[name])
        # The last real option: never the default one nor an empty "choose" option.
        chosen = [o for o in options if o.value not in ("", None)][-1]
        data = MultiDict({name: str(chosen.value), "csrf_token": "forged"})
        posted = _fill(form_class(formdata=data))
        posted.validate()  # the forged token, the missing fields: errors to come back with
        html = str(posted[name]())
        kept = re.search(rf'<(?:option|input)[^>]*value="{re.escape(str(chosen.value))}"'
                         rf'[^>]*>', html)
        assert kept, html
        marker = "checked" if kept.group(0).startswith("<input") else "selected"
        assert marker in kept.group(0), html

        if f"{form_class.__name__}.{name}" in CONSEQUENTIAL:
            assert isinstance(blank[name], (DecisionSelectField, DecisionRadioField))
            assert marker not in str(blank[name]())  # nothing chosen for the person
            unanswered = _fill(form_class(formdata=MultiDict({"csrf_token": "x"}),
                                          meta={"csrf": False}))
            unanswered.validate()
            assert unanswered[name].errors  # not choosing is an error on the field


def test_the_review_page_keeps_the_decision_after_an_error(app, client, make):
    """Rejecting without the required comment: the page comes back with the error on the
    comments and 不予认定 still chosen, not 推荐."""
    ids = build(app, make, "in_review")
    sign_in(client, make.user("federation_officer", region_code="360102"))
    page = f"/bases/applications/{ids['in_review']}"
    shown = re.search(r'<select[^>]*name="decision".*?</select>',
                      client.get(page).get_data(as_text=True), re.S)
    assert shown and '<option value="">' in shown.group(0)
    assert "selected" not in shown.group(0)  # 推荐 is not chosen for the officer
    response = client.post(f"{page}/review", data={
        "csrf_token": form_token(client), "decision": "reject", "comments": "",
        "inspectors": "张伟", "photos": [(io.BytesIO(b""), "")]},
        content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert re.search(r'<option selected value="reject">|<option value="reject" selected',
                     html), html
    assert 'value="张伟"' in html
    assert 'href="#comments"' in html  # the summary leads to the field with the error
    assert 'id="comments-error"' in html

    unanswered = client.post(f"{page}/review", data={
        "csrf_token": form_token(client), "decision": "", "comments": "看过"})
    assert unanswered.status_code == 400
    assert 'id="decision-error"' in unanswered.get_data(as_text=True)
