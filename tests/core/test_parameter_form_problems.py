"""Issue 12, item 3: a parameter value refused for several rules says them all in one
answer, each beside its field and in the error summary."""

from __future__ import annotations

from tests.conftest import post_form, sign_in
from tests.core.test_parameters import JUNIOR, english, shipped  # noqa: F401  (the fixture)
from tests.form_problems import assert_each_beside_its_field


def test_every_problem_of_a_parameter_value_comes_back_in_one_answer(client, make,
                                                                     shipped):  # noqa: F811
    sign_in(client, make.user("federation_officer", region_code="36"))
    english(client)
    first = post_form(client, f"/parameters/{JUNIOR}/values", {
        "region_code": "36", "value": "1300", "effective_from": "2026-01-01"})
    assert first.status_code == 302
    response = post_form(client, f"/parameters/{JUNIOR}/values", {
        "region_code": "36", "value": "1300.505", "effective_from": "2026-01-01"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "at most two decimals" in html and "already starts on" in html
    assert_each_beside_its_field(html, {"value", "effective_from"})
