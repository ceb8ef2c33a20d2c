"""Dated, region-overridable parameters: which value is in force, changes, audit, pages."""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from tests.conftest import post_form, sign_in
from trainhub.core import policy
from trainhub.core.accounts.models import User
from trainhub.core.audit.models import AuditEntry
from trainhub.core.errors import Conflict, DomainError, NotFound
from trainhub.core.parameters import service, values
from trainhub.core.parameters.defaults import DEFAULTS, load_defaults
from trainhub.core.parameters.models import Parameter, ParameterValue
from trainhub.extensions import db

NOTICE = "bases.notice_days"
SHEET = "bases.annual_review_sheet"
JUNIOR = "subsidies.fee_junior"
ATTENDANCE = "subsidies.attendance_threshold_percent"


@pytest.fixture
def loaded(ctx):
    """Service tests: the shipped parameters, inside the test's application context."""
    load_defaults()
    return ctx


@pytest.fixture
def shipped(app):
    """View tests: the shipped parameters, committed (to the test's savepoint)."""
    with app.app_context():
        load_defaults()
        db.session.commit()


def _audit(action_prefix: str) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(
        AuditEntry.action.startswith(action_prefix)).order_by(AuditEntry.id)))


def english(client) -> None:
    """Text checks in English: they hold whether or not the Chinese catalog has the strings."""
    client.set_cookie("trainhub_lang", "en")


def _count_values() -> int:
    return db.session.scalar(select(func.count()).select_from(ParameterValue)) or 0


# --- defaults ------------------------------------------------------------------------

def test_defaults_load_once_and_are_valid(loaded):
    assert load_defaults() == 0  # idempotent
    assert db.session.scalar(select(func.count()).select_from(Parameter)) == len(DEFAULTS)
    assert _count_values() == len(DEFAULTS)
    day = date(2024, 6, 1)
    assert service.value(NOTICE, day) == 7
    assert service.value("bases.validity_years", day) == 3
    assert service.value("bases.annual_review_pass_score", day) == 60
    assert sum(i["max_points"] for i in service.value(SHEET, day)) == 100
    criteria = service.value("bases.criteria.training_base", day)
    assert {"registered_years", "accessible_facilities", "employment_rate_last_year"} <= {
        c["code"] for c in criteria}
    assert service.value("core.min_wage_tier1", date(2021, 4, 1)) == 185000
    assert service.value(JUNIOR, day) == 120000
    assert service.value(ATTENDANCE, day) == Decimal("80")
    assert service.value("competitions.age_max_female", day) == 54


def test_load_defaults_keeps_values_staff_entered(loaded):
    service.add_value(NOTICE, "10", date(2024, 1, 1), None, "", None)
    load_defaults()
    assert service.value(NOTICE, date(2024, 6, 1)) == 10


# --- which value is in force ---------------------------------------------------------

def test_the_value_in_force_changes_on_its_effective_date(loaded):
    service.add_value(NOTICE, "10", date(2024, 7, 1), None, "", None)
    assert service.value(NOTICE, date(2024, 6, 30)) == 7
    assert service.value(NOTICE, date(2024, 7, 1)) == 10
    assert service.value(NOTICE, date(2024, 7, 2)) == 10


def test_before_the_first_value_nothing_is_in_force(loaded):
    with pytest.raises(DomainError) as raised:
        service.value(NOTICE, date(2021, 12, 31))
    # shown with the parameter's name and the date as the pages write them (issue 12,
    # item 8: the message showed bases.notice_days and 2021-12-31)
    from flask import current_app

    from trainhub.core.i18n import translate

    with current_app.test_request_context("/"):
        shown = translate(raised.value.message, **raised.value.params)
    assert "2021年12月31日" in shown and NOTICE not in shown and "2021-12-31" not in shown
    assert service.get_parameter(NOTICE).label_msgid in str(raised.value)
    with pytest.raises(NotFound):
        service.value("bases.no_such_thing", date(2024, 1, 1))


def test_a_city_override_wins_only_in_its_city_and_from_its_date(loaded):
    service.add_value(NOTICE, "5", date(2024, 3, 1), "3601", "南昌市试点", None)
    before, on = date(2024, 2, 29), date(2024, 3, 1)
    assert service.value(NOTICE, before, "360102") == 7
    assert service.value(NOTICE, on, "360102") == 5  # 东湖区 is in 南昌市
    assert service.value(NOTICE, on, "3601") == 5
    assert service.value(NOTICE, on, "360702") == 7  # 章贡区, 赣州市: the province value
    assert service.value(NOTICE, on) == 7
    assert service.value(NOTICE, on, "36") == 7


def test_the_city_override_stays_in_force_over_later_province_values(loaded):
    service.add_value(NOTICE, "5", date(2024, 3, 1), "3601", "", None)
    service.add_value(NOTICE, "9", date(2025, 1, 1), None, "", None)
    assert service.value(NOTICE, date(2025, 6, 1), "360102") == 5
    assert service.value(NOTICE, date(2025, 6, 1), "360702") == 9


def test_value_with_source_names_the_version_used(loaded):
    row = service.add_value(JUNIOR, "130000", date(2025, 1, 1), "3607", "", None)
    version = service.value_with_source(JUNIOR, date(2025, 5, 1), "360702")
    assert (version.value, version.effective_from, version.region_code,
            version.parameter_value_id) == (130000, date(2025, 1, 1), "3607", row.id)
    assert version.as_trace() == {"key": JUNIOR, "value": "130000",
                                  "effective_from": "2025-01-01", "region_code": "3607",
                                  "parameter_value_id": row.id}
    assert service.value_by_id(row.id) == 130000


def test_decimals_are_exact_and_never_floats(loaded):
    service.add_value(ATTENDANCE, "79.95", date(2025, 1, 1), None, "", None)
    got = service.value(ATTENDANCE, date(2025, 1, 1))
    assert isinstance(got, Decimal) and got == Decimal("79.95")
    assert got + Decimal("0.05") == Decimal("80.00")
    assert values.yuan_to_fen("1200.50") == 120050
    assert values.yuan_to_fen("0.29") == 29  # float arithmetic would give 28
    assert values.fen_to_yuan(120050) == "1200.50"
    with pytest.raises(values.InvalidValue):
        values.yuan_to_fen("1200.505")
    with pytest.raises(values.InvalidValue):
        values.parse_json('[{"item": "a", "max_points": 0.5}]')


@pytest.mark.parametrize("code", ["44", "4401", "3601a", "", "36010212"])
def test_an_unknown_region_is_refused(loaded, code):
    with pytest.raises(DomainError):
        service.value(NOTICE, date(2024, 1, 1), code or "x")


# --- changes -------------------------------------------------------------------------

def test_a_duplicate_date_for_the_same_scope_is_refused(loaded):
    service.add_value(NOTICE, "10", date(2024, 7, 1), None, "", None)
    with pytest.raises(Conflict):
        service.add_value(NOTICE, "11", date(2024, 7, 1), "36", "", None)
    with pytest.raises(Conflict):  # the shipped default's date, province-wide
        service.add_value(NOTICE, "11", date(2022, 1, 1), None, "", None)
    service.add_value(NOTICE, "11", date(2024, 7, 1), "3601", "", None)  # another scope


def test_a_used_value_is_frozen(loaded):
    row = service.add_value(NOTICE, "10", date(2024, 7, 1), None, "", None)
    version = service.value_with_source(NOTICE, date(2024, 8, 1))
    assert service.mark_used(version.parameter_value_id, expected_text=version.text) is True
    assert service.mark_used(version.parameter_value_id) is False  # once
    assert row.first_used_at is not None
    with pytest.raises(Conflict) as raised:
        service.edit_value(row, "12", date(2024, 7, 1), "", None)
    assert raised.value.message == service.USED_MESSAGE
    assert service.value(NOTICE, date(2024, 8, 1)) == 10
    assert [e.details["key"] for e in _audit("parameter_value.first_use")] == [NOTICE]


def test_mark_used_refuses_a_value_corrected_since_it_was_read(loaded):
    row = service.add_value(NOTICE, "10", date(2024, 7, 1), None, "", None)
    version = service.value_with_source(NOTICE, date(2024, 8, 1))
    service.edit_value(row, "12", date(2024, 7, 1), "", None)
    with pytest.raises(Conflict):
        service.mark_used(version.parameter_value_id, expected_text=version.text)
    assert row.first_used_at is None


def test_an_unused_value_can_be_corrected_and_the_change_is_audited(loaded):
    row = service.add_value(NOTICE, "10", date(2024, 7, 1), None, "first", None)
    service.edit_value(row, "12", date(2024, 7, 15), "typo", None)
    assert service.value(NOTICE, date(2024, 7, 14)) == 7
    assert service.value(NOTICE, date(2024, 7, 15)) == 12
    edit = _audit("parameter_value.edit")[-1]
    assert edit.details["before"]["value"] == "10"
    assert edit.details["after"]["value"] == "12"
    assert edit.details["after"]["effective_from"] == "2024-07-15"


def test_adding_a_value_is_audited_with_before_and_after(loaded):
    row = service.add_value(NOTICE, "10", date(2024, 7, 1), "3601", "试点", None)
    entry = _audit("parameter_value.add")[-1]
    assert (entry.object_type, entry.object_id, entry.region_code) == (
        "parameter_value", str(row.id), "3601")
    assert entry.details["key"] == NOTICE
    assert entry.details["before"] is None  # no 南昌市 value before
    assert entry.details["after"]["value"] == "10"
    service.add_value(NOTICE, "8", date(2025, 1, 1), None, "", None)
    assert _audit("parameter_value.add")[-1].details["before"]["value"] == "7"


BAD_SHEET = json.dumps([{"item": "制度建设", "max_points": 50},
                        {"item": "师资队伍", "max_points": 40}], ensure_ascii=False)


@pytest.mark.parametrize(("key", "text", "region"), [
    (NOTICE, "-1", None),
    (NOTICE, "7.5", None),
    (NOTICE, "0", None),  # at least 1 day
    (NOTICE, "", None),
    (NOTICE, "10", "360102"),  # overrides are per city, not per county
    (NOTICE, "10", "4401"),
    (ATTENDANCE, "100.5", None),
    (ATTENDANCE, "NaN", None),
    (JUNIOR, "1200.5", None),  # fen are whole
    ("bases.evidence_max_mb", "50", None),  # above the upload limit
    (SHEET, BAD_SHEET, None),  # adds up to 90
    (SHEET, "[{", None),
    (SHEET, '{"item": "x"}', None),
    ("bases.criteria.incubator", '[{"code": "X", "question": "?", "kind": "number"}]', None),
    ("competitions.award_bands", '[{"min_entries": 1, "max_entries": 5, "awards": ["一等奖"]},'
                                 ' {"min_entries": 4, "max_entries": null, "awards": ["二"]}]',
     None),
])
def test_invalid_input_is_refused_with_nothing_saved(loaded, key, text, region):
    before = _count_values()
    with pytest.raises(DomainError):
        service.add_value(key, text, date(2025, 1, 1), region, "", None)
    assert _count_values() == before
    assert _audit("parameter_value.") == []


def test_history_lists_latest_first_province_before_cities(loaded):
    service.add_value(NOTICE, "5", date(2024, 3, 1), "3607", "", None)
    service.add_value(NOTICE, "6", date(2024, 3, 1), "3601", "", None)
    service.add_value(NOTICE, "9", date(2024, 3, 1), None, "", None)
    service.add_value(NOTICE, "8", date(2023, 1, 1), None, "", None)
    rows = service.history(NOTICE)
    assert [(r.effective_from.isoformat(), r.region_code, r.value) for r in rows] == [
        ("2024-03-01", "36", "9"), ("2024-03-01", "3601", "6"), ("2024-03-01", "3607", "5"),
        ("2023-01-01", "36", "8"), ("2022-01-01", "36", "7")]


def test_the_overview_shows_the_province_value_and_city_overrides(loaded):
    service.add_value(NOTICE, "5", date(2024, 3, 1), "3601", "", None)
    service.add_value(NOTICE, "4", date(2030, 1, 1), "3607", "", None)  # not yet in force
    current = {c.parameter.key: c for c in service.overview(date(2024, 6, 1))}
    assert current[NOTICE].province.value == 7
    assert {k: v.value for k, v in current[NOTICE].overrides.items()} == {"3601": 5}


# --- policy --------------------------------------------------------------------------

def _user(role: str, region: str | None = None) -> User:
    return User(id=1, username=role, role=role, region_code=region)


PROVINCE_VALUE = ParameterValue(region_code="36")
NANCHANG_VALUE = ParameterValue(region_code="3601")


@pytest.mark.parametrize(("user", "obj", "allowed"), [
    (_user("admin"), PROVINCE_VALUE, True),
    (_user("federation_officer", "36"), PROVINCE_VALUE, True),
    (_user("federation_officer", "36"), NANCHANG_VALUE, True),
    (_user("federation_officer", "3601"), NANCHANG_VALUE, True),
    (_user("federation_officer", "3601"), PROVINCE_VALUE, False),
    (_user("federation_officer", "3607"), NANCHANG_VALUE, False),
    (_user("federation_officer", "360102"), NANCHANG_VALUE, False),
    (_user("federation_officer", "360102"), None, False),
    (_user("institution_staff"), None, False),
    (_user("trainee"), None, False),
])
def test_who_may_set_values(user, obj, allowed):
    assert policy.may(user, "parameters.edit", obj) is allowed


def test_every_officer_and_the_admin_may_read_parameters():
    assert policy.may(_user("federation_officer", "360102"), "parameters.view")
    assert policy.may(_user("admin"), "parameters.view")
    assert not policy.may(_user("judge"), "parameters.view")


# --- pages ---------------------------------------------------------------------------

def test_the_list_groups_parameters_and_shows_values_with_units(client, make, shipped):
    sign_in(client, make.user("federation_officer", region_code="360102"))
    page = client.get("/parameters/").get_data(as_text=True)
    assert "¥1,200.00" in page  # 初级 fee subsidy, in yuan
    assert "赣府厅字〔2022〕90号 二(十)3" in page and f'href="/parameters/{NOTICE}"' in page
    english(client)
    page = client.get("/parameters/").get_data(as_text=True)
    for heading in ("Base certification", "Subsidies", "Skills competitions", "General"):
        assert f">{heading}</h2>" in page
    assert "7 days" in page and "6 entries" in page  # the annual review sheet, summarised


def test_the_list_costs_the_same_queries_however_many_values(app, client, make, shipped,
                                                             count_queries):
    sign_in(client, make.user("admin"))
    client.get("/parameters/")
    with count_queries() as few:
        client.get("/parameters/")
    with app.app_context():
        for year in range(2023, 2033):
            for scope in ("36", "3601", "3607"):
                service.add_value(NOTICE, str(year - 2015), date(year, 1, 1), scope, "", None)
        db.session.commit()
    with count_queries() as many:
        assert client.get("/parameters/").status_code == 200
    assert len(many) == len(few)


def test_the_parameter_page_shows_history_and_no_form_to_a_county_officer(client, make,
                                                                          shipped):
    sign_in(client, make.user("federation_officer", region_code="360102"))
    english(client)
    page = client.get(f"/parameters/{SHEET}").get_data(as_text=True)
    assert "培训场地与无障碍设施" in page and "System (shipped default)" in page
    assert 'name="value"' not in page


def test_a_province_officer_adds_a_province_value(app, client, make, shipped):
    sign_in(client, make.user("federation_officer", region_code="36"))
    response = post_form(client, f"/parameters/{JUNIOR}/values", {
        "region_code": "36", "value": "1,300.50", "effective_from": "2026-01-01",
        "note": "赣人社字〔2025〕1号"})
    assert response.status_code == 302
    with app.app_context():
        assert service.value(JUNIOR, date(2026, 1, 1), "360702") == 130050
        entry = _audit("parameter_value.add")[-1]
        assert entry.actor_username.startswith("federation_officer")
    page = client.get(f"/parameters/{JUNIOR}").get_data(as_text=True)
    assert "¥1,300.50" in page and "赣人社字〔2025〕1号" in page


def test_an_amount_with_more_than_two_decimals_is_refused(app, client, make, shipped):
    sign_in(client, make.user("admin"))
    english(client)
    response = post_form(client, f"/parameters/{JUNIOR}/values", {
        "region_code": "36", "value": "1300.505", "effective_from": "2026-01-01"})
    assert response.status_code == 400
    assert "at most two decimals" in response.get_data(as_text=True)
    with app.app_context():
        assert _audit("parameter_value.") == []


def test_a_city_officer_sets_an_override_for_their_own_city_only(app, client, make, shipped):
    sign_in(client, make.user("federation_officer", region_code="3601"))
    show = client.get(f"/parameters/{NOTICE}").get_data(as_text=True)
    assert re.search(r'<option[^>]*value="3601"', show)
    assert not re.search(r'<option[^>]*value="36"', show)  # neither province nor 赣州
    ok = post_form(client, f"/parameters/{NOTICE}/values", {
        "region_code": "3601", "value": "5", "effective_from": "2026-03-01"})
    assert ok.status_code == 302
    for scope in ("3607", "36"):
        refused = post_form(client, f"/parameters/{NOTICE}/values", {
            "region_code": scope, "value": "5", "effective_from": "2026-04-01"})
        assert refused.status_code == 403
    with app.app_context():
        assert service.value(NOTICE, date(2026, 3, 1), "360102") == 5
        assert service.value(NOTICE, date(2026, 5, 1), "360702") == 7
        denied = _audit("access.denied")
        assert [e.details["action"] for e in denied] == ["parameters.edit"] * 2


def test_a_trainee_is_refused(client, make, shipped):
    sign_in(client, make.user("trainee"))
    assert client.get("/parameters/").status_code == 403
    assert client.get(f"/parameters/{NOTICE}").status_code == 403


def test_correcting_a_value_through_the_page(app, client, make, shipped):
    with app.app_context():
        row = service.add_value(NOTICE, "9", date(2027, 1, 1), None, "", None)
        used = service.add_value(NOTICE, "8", date(2026, 1, 1), None, "", None)
        service.mark_used(used.id)
        db.session.commit()
        row_id, used_id = row.id, used.id
    sign_in(client, make.user("admin"))
    form = client.get(f"/parameters/values/{row_id}/edit")
    assert form.status_code == 200 and 'value="9"' in form.get_data(as_text=True)
    response = post_form(client, f"/parameters/values/{row_id}/edit", {
        "value": "10", "effective_from": "2027-01-01", "note": "更正"})
    assert response.status_code == 302
    assert client.get(f"/parameters/values/{used_id}/edit").status_code == 409
    with app.app_context():
        assert service.value(NOTICE, date(2027, 1, 1)) == 10


def test_a_json_value_is_edited_as_json(app, client, make, shipped):
    sign_in(client, make.user("federation_officer", region_code="36"))
    english(client)
    page = client.get(f"/parameters/{SHEET}").get_data(as_text=True)
    assert "<textarea" in page and "&#34;max_points&#34;: 15" in page
    response = post_form(client, f"/parameters/{SHEET}/values", {
        "region_code": "36", "value": BAD_SHEET, "effective_from": "2026-01-01"})
    assert response.status_code == 400
    assert "must add up to 100 (now 90)" in response.get_data(as_text=True)


def test_json_nested_too_deeply_is_a_clear_refusal():
    from trainhub.core.parameters import values

    with pytest.raises(values.InvalidValue, match="nested too deeply"):
        values.parse_json("[" * 100_000 + "]" * 100_000)
