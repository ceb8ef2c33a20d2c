"""The request-wide input guards (trainhub/core/inputs.py, issue 15 item 6): what the probe
answered with a 500 is a 400 with a message, in Chinese on pages and as the JSON error in
the API. The NUL cases were 500s on PostgreSQL only (SQLite stores a NUL)."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.conftest import post_form, sign_in
from trainhub.core import inputs
from trainhub.core.accounts import services as accounts
from trainhub.core.accounts.models import User
from trainhub.extensions import db
from trainhub.subsidies.budgets import MAX_BUDGET_FEN
from trainhub.subsidies.models import Budget

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def officer(client, make) -> str:
    username = make.user("federation_officer", region_code="36")
    sign_in(client, username)
    return username


def _page_refusal(response, words: str) -> None:
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert words in page, page[:2000]


@pytest.mark.parametrize("path", [
    "/audit/?actor=a%00b", "/audit/?object=trainee%00:1", "/audit/?action=%00",
    "/audit/?act%00or=x", "/parameters/bases.notice%00days", "/people/?q=%00"])
def test_a_nul_anywhere_in_a_page_request_is_a_400(client, officer, path):
    _page_refusal(client.get(path), "NUL")


def test_a_nul_in_a_posted_form_field_is_a_400(client, officer):
    response = post_form(client, "/people/search", {"number": "3601\x0002"})
    _page_refusal(response, "不接受")


@pytest.mark.parametrize("query", ["institution=99999999999999", "batch=-99999999999999",
                                   "institution=2147483648"])
def test_an_out_of_range_filter_is_a_400(client, officer, query):
    _page_refusal(client.get(f"/subsidies/approvals?{query}"), "超出范围")


def test_a_malformed_filter_still_narrows_nothing(client, officer):
    assert client.get("/subsidies/approvals?institution=abc&batch=2147483647").status_code == 200


@pytest.fixture
def api_officer(make) -> str:
    return make.user("federation_officer", region_code="36")


@pytest.fixture
def bearer(app, api_officer) -> dict[str, str]:
    username = api_officer
    with app.app_context():
        user = db.session.scalars(select(User).where(User.username == username)).one()
        _row, secret = accounts.issue_token(user, "guards")
        db.session.commit()
    return {"Authorization": f"Bearer {secret}", "Content-Type": "application/json"}


DAY = '"effective_from": "2031-01-01"'
API_BODIES = {
    "nested body": "[" * 100_000 + "]" * 100_000,
    "nested 40 deep": '{"a":' * 40 + "1" + "}" * 40,
    "20,000-digit amount": "{" + DAY + ', "amount_fen": ' + "9" * 20_000 + "}",
    "20,000-digit value": "{" + DAY + ', "value": ' + "9" * 20_000 + "}",
    "huge float": "{" + DAY + ', "amount_fen": 1e999}',
    "NaN": "{" + DAY + ', "amount_fen": NaN}',
}


@pytest.mark.parametrize("key", ["bases.notice_days", "bases.annual_review_sheet"])
@pytest.mark.parametrize("body", list(API_BODIES.values()), ids=list(API_BODIES))
def test_json_beyond_the_limits_is_a_400_json_error(client, bearer, key, body):
    response = client.post(f"/api/v1/parameters/{key}/values", data=body, headers=bearer)
    assert response.status_code == 400, response.get_data(as_text=True)[:300]
    error = response.json
    assert error["status"] == 400 and error["message"] and error["error"] == "BadInput"


def test_a_nul_in_a_json_string_is_refused_on_its_field(client, bearer):
    response = client.post("/api/v1/parameters/bases.notice_days/values", headers=bearer,
                           data=json.dumps({"effective_from": "2031-01-01", "value": "1\x00"}))
    assert response.status_code == 422 and "value" in response.json["detail"]["json"]


@pytest.mark.parametrize(("key", "value"), [
    ("bases.notice_days", "9" * 20_000),
    ("bases.annual_review_sheet", "[" + "9" * 19_000 + "]"),
    ("bases.annual_review_sheet", "[" * 5_000 + "]" * 5_000),
])
def test_a_value_text_too_large_or_deep_is_a_400_on_the_value(client, bearer, key, value):
    """The value itself is text: the parameter's parser bounds it (values.MAX_DIGITS)."""
    response = client.post(f"/api/v1/parameters/{key}/values", headers=bearer,
                           json={"effective_from": "2031-01-01", "value": value})
    assert response.status_code == 400, response.get_data(as_text=True)[:300]
    assert response.json["error"] == "InvalidValue"


def test_a_long_value_on_the_parameter_page_is_a_message(client, officer):
    """20,000 digits are refused by the request guard (over 32); 25 by the parameter."""
    page = "/parameters/bases.notice_days/values"
    fields = {"region_code": "36", "effective_from": "2031-01-01", "note": "x"}
    _page_refusal(post_form(client, page, dict(fields, value="9" * 20_000)), "超过 32 位")
    response = post_form(client, page, dict(fields, value="9" * 25))
    assert response.status_code in (200, 400)
    assert "数字最多 18 位" in response.get_data(as_text=True)


def test_loads_keeps_ordinary_json():
    assert inputs.loads('{"a": [1, 2.5, "x", {"b": null}]}') == {"a": [1, 2.5, "x", {"b": None}]}
    assert inputs.loads('{"a":' * 32 + "1" + "}" * 32)
    with pytest.raises(inputs.BadInput):
        inputs.loads('{"a":' * 33 + "1" + "}" * 33)
    with pytest.raises(ValueError):
        inputs.loads("{")


def test_bounded_int():
    assert inputs.bounded_int("2147483647") == 2**31 - 1
    with pytest.raises(ValueError):
        inputs.bounded_int("abc")  # `.get(type=...)` gives the default
    with pytest.raises(inputs.BadInput):
        inputs.bounded_int("-2147483648")


def _int_typed_reads(path: Path) -> list[int]:
    """Lines where a request's args/form/values are read with `type=int`."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                node.func.attr in ("get", "getlist"):
            for keyword in node.keywords:
                if keyword.arg == "type" and isinstance(keyword.value, ast.Name) and \
                        keyword.value.id == "int":
                    found.append(node.lineno)
    return found


def test_no_view_reads_an_unbounded_integer():
    """`type=int` takes any length of digits into a query (an overflow on PostgreSQL):
    views use inputs.bounded_int. The page number is clamped instead (web.page_number)."""
    found = {f"{path.relative_to(ROOT)}:{line}"
             for path in (ROOT / "trainhub").rglob("*.py") for line in _int_typed_reads(path)}
    assert {f for f in found if not f.startswith("trainhub/core/web.py:")} == set()


# --- money typed in yuan ----------------------------------------------------------------

@pytest.mark.parametrize(("amount", "words"), [
    ("1e10", "只能包含数字和小数点"), ("NaN", "只能包含数字和小数点"),
    ("100.005", "最多 2 位小数"), ("1000000000.01", "1000000000"), ("-1", "1000000000")])
def test_the_budget_form_refuses_what_the_api_refuses(app, client, make, amount, words):
    sign_in(client, make.user("federation_officer", region_code="3601"))
    answer = post_form(client, "/subsidies/budgets", {
        "region_code": "3601", "year": 2026, "kind": "fee", "amount": amount})
    assert answer.status_code == 400
    assert words in answer.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(Budget)).all() == []


def test_the_budget_bound_is_the_same_on_the_page_and_in_the_api(app, client, api_officer,
                                                                  bearer):
    sign_in(client, api_officer)
    top = post_form(client, "/subsidies/budgets", {
        "region_code": "36", "year": 2026, "kind": "fee", "amount": "1000000000.00"})
    assert top.status_code == 302
    body = {"region_code": "36", "year": 2026, "kind": "living"}
    over = client.put("/api/v1/subsidies/budgets", headers=bearer,
                      json=dict(body, amount_fen=MAX_BUDGET_FEN + 1))
    assert over.status_code == 422
    at = client.put("/api/v1/subsidies/budgets", headers=bearer,
                    json=dict(body, amount_fen=MAX_BUDGET_FEN))
    assert at.status_code in (200, 201), at.json


def test_a_number_longer_than_any_field_takes_is_a_400(client, officer):
    """WTForms' NumberRange turned 400 digits into a float: OverflowError, a 500."""
    response = post_form(client, "/subsidies/budgets", {
        "region_code": "36", "year": "9" * 400, "kind": "fee", "amount": "1"})
    _page_refusal(response, "超过 32 位")


def test_ticked_ids_beyond_32_bits_are_not_ids():
    from trainhub.core.forms import database_id

    assert database_id("2147483647") == 2**31 - 1
    for refused in ("2147483648", "0", "-5", "9" * 32):
        with pytest.raises(ValueError):
            database_id(refused)
