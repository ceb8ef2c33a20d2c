"""Base certification through the JSON API (/api/v1): the whole chain with each actor's own
token, errors as JSON with the right status, scope, and the coverage figures of the service.
Every call below is a real request with a bearer token; nothing is signed in by cookie."""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from tests.bases.builders import PDF, answers, build, bulk_owner
from tests.bases.conftest import PNG, TODAY, set_today
from tests.bases.test_coverage import _bulk_bases
from trainhub.bases import services
from trainhub.bases.coverage import coverage
from trainhub.bases.models import Base, BaseApplication, BaseKind, EvidenceFile
from trainhub.core.accounts.models import User
from trainhub.core.audit.models import AuditEntry
from trainhub.core.files import PHOTO_TYPES, store_upload
from trainhub.core.timeutil import local_today
from trainhub.extensions import db

API = "/api/v1"


def _new(app, level: str = "province", kind: str = "training") -> dict[str, Any]:
    with app.app_context():
        return {"kind": kind, "level_sought": level, "specialties": ["massage"],
                "answers": answers(BaseKind(kind))}


def _upload(client, application_id: int, headers: dict[str, str], data: bytes = PDF,
            name: str = "营业执照.pdf") -> Any:
    return client.post(f"{API}/base-applications/{application_id}/evidence", headers=headers,
                       data={"file": (io.BytesIO(data), name)})


def _review(client, application_id: int, headers: dict[str, str], **body: Any) -> Any:
    return client.post(f"{API}/base-applications/{application_id}/review", headers=headers,
                       json={"decision": "recommend", "comments": "同意", **body})


def _submitted(app, client, actors, level: str = "province") -> int:
    created = client.post(f"{API}/base-applications", headers=actors.staff,
                          json=_new(app, level))
    assert created.status_code == 201, created.json
    application_id = created.json["id"]
    assert _upload(client, application_id, actors.staff).status_code == 201
    assert client.post(f"{API}/base-applications/{application_id}/submit",
                       headers=actors.staff).status_code == 200
    return application_id


def _after_notice(monkeypatch, days: int = 8) -> None:
    """The certifying officer acts after the 7-day public notice."""
    set_today(monkeypatch, local_today() + timedelta(days=days))


# --- the chain -----------------------------------------------------------------------------

def test_the_whole_chain_through_the_api(app, client, actors, monkeypatch):
    criteria = client.get(f"{API}/base-applications/criteria?kind=training",
                          headers=actors.staff)
    assert criteria.status_code == 200
    body = _new(app)
    assert {c["code"] for c in criteria.json} == set(body["answers"])

    created = client.post(f"{API}/base-applications", headers=actors.staff, json=body)
    assert created.status_code == 201
    draft = created.json
    assert (draft["status"], draft["region_code"], draft["evidence"]) == ("draft", "360102", [])
    application_id = draft["id"]

    uploaded = _upload(client, application_id, actors.staff)
    assert uploaded.status_code == 201
    assert uploaded.json["content_type"] == "application/pdf"
    assert uploaded.json["original_name"] == "营业执照.pdf"

    submitted = client.post(f"{API}/base-applications/{application_id}/submit",
                            headers=actors.staff)
    assert (submitted.json["status"], submitted.json["current_level"]) == ("in_review",
                                                                          "county")
    steps = [(actors.county, "city"), (actors.city, "province"), (actors.province, None)]
    for headers, next_level in steps:
        reviewed = _review(client, application_id, headers, inspected_on=str(local_today()),
                           inspectors="张三、李四", findings="场地无障碍设施齐全")
        assert reviewed.status_code == 200, reviewed.json
        assert reviewed.json["current_level"] == next_level
    noticed = reviewed.json
    assert noticed["status"] == "notice" and noticed["notice"]["open_objections"] == 0
    assert [r["level"] for r in noticed["reviews"]] == ["county", "city", "province"]
    assert noticed["reviews"][0]["inspected_on"] == str(local_today())

    early = client.post(f"{API}/base-applications/{application_id}/certify",
                        headers=actors.province)
    ends = date.fromisoformat(noticed["notice"]["ends_on"])
    assert early.status_code == 400
    assert f"{ends.year}年{ends.month}月{ends.day}日" in early.json["message"]

    _after_notice(monkeypatch)
    certified = client.post(f"{API}/base-applications/{application_id}/certify",
                            headers=actors.province)
    assert certified.status_code == 201, certified.json
    base = certified.json
    assert base["certificate_number"].startswith("赣残培基〔")
    assert base["effective_status"] == "valid" and base["level"] == "province"
    assert base["verification_url"].startswith("http") and "/verify/" in base["verification_url"]

    shown = client.get(f"{API}/bases/{base['id']}", headers=actors.staff).json
    assert shown == base
    listed = client.get(f"{API}/base-applications?status=certified", headers=actors.city).json
    assert [a["id"] for a in listed["items"]] == [application_id] and listed["total"] == 1


def test_each_step_is_audited(app, client, actors):
    application_id = _submitted(app, client, actors, level="county")
    _review(client, application_id, actors.county)
    with app.app_context():
        actions = db.session.scalars(select(AuditEntry.action).where(
            AuditEntry.object_type == "base_application",
            AuditEntry.object_id == str(application_id)).order_by(AuditEntry.id)).all()
    assert actions == ["base_application.create", "base_application.evidence_add",
                       "base_application.submit", "base_application.notice_open",
                       "base_application.review"]


def test_inspection_photos_show_under_their_review(app, client, actors):
    """Photos are attached on the web review form; the API shows them with their review."""
    application_id = _submitted(app, client, actors)
    assert _review(client, application_id, actors.county).status_code == 200
    with app.app_context():
        application = db.session.get(BaseApplication, application_id)
        step = application.reviews[0]
        photo = store_upload(io.BytesIO(PNG), "现场.png", max_bytes=1 << 20,
                             allowed=PHOTO_TYPES)
        services.add_evidence(application, photo, db.session.get(User, step.reviewer_id),
                              review=step)
        db.session.commit()
    shown = client.get(f"{API}/base-applications/{application_id}", headers=actors.city).json
    assert [p["original_name"] for p in shown["reviews"][0]["photos"]] == ["现场.png"]
    assert [e["original_name"] for e in shown["evidence"]] == ["营业执照.pdf"]


# --- errors --------------------------------------------------------------------------------

def _is_error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, (response.status_code, response.get_data())
    assert response.is_json and response.json["status"] == status
    assert isinstance(response.json["message"], str) and response.json["message"]
    return response.json


def test_the_wrong_step_is_403(app, client, actors):
    application_id = _submitted(app, client, actors)
    _is_error(_review(client, application_id, actors.city), 403)      # still at the county
    assert _review(client, application_id, actors.county).status_code == 200
    _is_error(_review(client, application_id, actors.county), 403)    # moved on to the city
    _is_error(client.post(f"{API}/base-applications/{application_id}/submit",
                          headers=actors.county), 403)               # officers do not submit


def test_certifying_twice_is_a_409(app, client, actors, monkeypatch):
    application_id = _submitted(app, client, actors, level="county")
    _review(client, application_id, actors.county)
    _after_notice(monkeypatch)
    url = f"{API}/base-applications/{application_id}/certify"
    assert client.post(url, headers=actors.county).status_code == 201
    assert _is_error(client.post(url, headers=actors.county), 409)["error"] == "Conflict"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Base)) == 1


def test_invalid_bodies_and_queries_are_a_422(app, client, actors):
    application_id = _submitted(app, client, actors)
    bad = _is_error(_review(client, application_id, actors.county, decision="maybe"), 422)
    assert "decision" in str(bad["detail"])
    _is_error(_review(client, application_id, actors.county, comments="a\x00b"), 422)
    _is_error(_review(client, application_id, actors.county, inspected_on="2026-13-40"), 422)
    _is_error(client.post(f"{API}/base-applications/{application_id}/review",
                          headers=actors.county), 422)                  # no body at all
    missing = dict(_new(app), specialties=[])
    _is_error(client.post(f"{API}/base-applications", headers=actors.staff, json=missing), 422)
    _is_error(client.post(f"{API}/base-applications", headers=actors.staff,
                          json=dict(_new(app), kind="factory")), 422)
    _is_error(client.get(f"{API}/bases?status=dormant", headers=actors.city), 422)
    _is_error(client.get(f"{API}/base-applications?per_page=201", headers=actors.city), 422)
    _is_error(client.get(f"{API}/bases/coverage?specialty=juggling", headers=actors.city), 422)
    # Nothing moved: the application still waits for the county.
    shown = client.get(f"{API}/base-applications/{application_id}", headers=actors.county)
    assert shown.json["current_level"] == "county" and shown.json["reviews"] == []


def test_unknown_ids_are_a_404(client, actors):
    for method, path in [("GET", "/base-applications/999999"), ("GET", "/bases/999999"),
                         ("POST", "/base-applications/999999/submit"),
                         ("POST", "/base-applications/999999/certify"),
                         ("GET", f"/base-applications/{2**40}")]:
        headers = actors.staff if path.endswith("submit") else actors.province
        _is_error(client.open(API + path, method=method, headers=headers), 404)


def test_rules_of_the_services_are_a_400(app, client, actors):
    created = client.post(f"{API}/base-applications", headers=actors.staff,
                          json=_new(app)).json
    submit = f"{API}/base-applications/{created['id']}/submit"
    assert _is_error(client.post(submit, headers=actors.staff), 400)["error"] == "DomainError"

    unanswered = dict(_new(app), answers={})
    _is_error(client.post(f"{API}/base-applications", headers=actors.staff,
                          json=unanswered), 400)
    body = _new(app)
    criteria = client.get(f"{API}/base-applications/criteria?kind=training",
                          headers=actors.staff).json
    number = next(c["code"] for c in criteria if c["kind"] == "number")
    for not_a_number in ("NaN", "-Infinity", "五"):  # "NaN" was a 500 (Decimal comparison)
        body["answers"][number] = not_a_number
        _is_error(client.post(f"{API}/base-applications", headers=actors.staff, json=body),
                  400)

    folder = Path(app.config["UPLOAD_FOLDER"])
    on_disk = len(list(folder.iterdir()))
    renamed = _upload(client, created["id"], actors.staff, data=b"MZ\x90\x00 not a pdf",
                      name="证明.pdf")
    assert _is_error(renamed, 400)["error"] == "UploadRejected"
    assert _upload(client, created["id"], actors.staff).status_code == 201
    assert client.post(submit, headers=actors.staff).status_code == 200
    late = _upload(client, created["id"], actors.staff)
    assert _is_error(late, 409)["error"] == "Conflict"            # no longer editable
    return_without_reason = _review(client, created["id"], actors.county, decision="return",
                                    comments="  ")
    _is_error(return_without_reason, 400)
    with app.app_context():
        rows = db.session.scalar(select(func.count()).select_from(EvidenceFile))
    assert rows == 1 and len(list(folder.iterdir())) == on_disk + 1  # refused/late not kept


def test_duplicate_specialties_are_kept_once(app, client, actors):
    body = dict(_new(app), specialties=["massage", "ecommerce", "massage"])
    created = client.post(f"{API}/base-applications", headers=actors.staff, json=body)
    assert created.json["specialties"] == ["massage", "ecommerce"]


# --- scope ---------------------------------------------------------------------------------

def test_scope_follows_the_token_owner(app, client, make, actors, token):
    application_id = _submitted(app, client, actors)
    draft = client.post(f"{API}/base-applications", headers=actors.staff,
                        json=_new(app)).json["id"]
    _, other_city = token("federation_officer", region_code="3607")
    _, other_county = token("federation_officer", region_code="360103")
    _, other_staff = token("institution_staff")
    _, admin = token("admin")
    _, contact = token("enterprise_contact")
    url = f"{API}/base-applications/{application_id}"

    for headers in (other_city, other_staff):
        assert client.get(f"{API}/base-applications", headers=headers).json["items"] == []
        _is_error(client.get(url, headers=headers), 403)
    _is_error(_review(client, application_id, other_county), 403)
    _is_error(client.get(f"{API}/base-applications", headers=contact), 403)
    _is_error(client.get(f"{API}/bases/coverage", headers=actors.staff), 403)

    def listed(headers: dict[str, str]) -> list[int]:
        return [a["id"] for a in client.get(f"{API}/base-applications",
                                            headers=headers).json["items"]]

    assert listed(actors.city) == [application_id]      # officers see no drafts
    assert listed(actors.staff) == [draft, application_id]
    assert set(listed(admin)) >= {draft, application_id}
    assert client.get(url, headers=admin).status_code == 200


def test_lists_page_and_filter(app, client, make, token, monkeypatch):
    ids = build(app, make, "base", "incubator", "in_review")
    _, officer = token("federation_officer", region_code="3601")
    first = client.get(f"{API}/bases?per_page=1", headers=officer).json
    second = client.get(f"{API}/bases?per_page=1&page=2", headers=officer).json
    assert first["total"] == second["total"] == 2
    assert {first["items"][0]["id"], second["items"][0]["id"]} == {ids["base"], ids["incubator"]}
    incubators = client.get(f"{API}/bases?kind=incubator", headers=officer).json["items"]
    assert [b["id"] for b in incubators] == [ids["incubator"]]
    assert client.get(f"{API}/bases?status=expired", headers=officer).json["total"] == 0

    set_today(monkeypatch, local_today() + timedelta(days=4 * 366))
    expired = client.get(f"{API}/bases?status=expired", headers=officer).json
    assert expired["total"] == 2 and {b["effective_status"] for b in expired["items"]} == {
        "expired"}
    assert client.get(f"{API}/bases?status=valid", headers=officer).json["items"] == []
    in_review = client.get(f"{API}/base-applications?status=in_review", headers=officer).json
    assert [a["id"] for a in in_review["items"]] == [ids["in_review"]]


# --- coverage ------------------------------------------------------------------------------

@pytest.fixture
def seeded(app, make, monkeypatch):
    """Certified bases inserted as tests/bases/test_coverage.py does; the API counts on TODAY."""
    set_today(monkeypatch, TODAY)
    owner = bulk_owner(app, make)
    with app.app_context():
        _bulk_bases(owner, 1, counties=["360102"])
        _bulk_bases(owner, 2, level="city", counties=["360702", "360703"])
        _bulk_bases(owner, 1, kind="incubator", level="city", counties=["360702"])
        _bulk_bases(owner, 1, level="province", counties=["360104"])
        _bulk_bases(owner, 1, counties=["360111"], status="suspended")
        db.session.commit()


@pytest.mark.parametrize(("role", "region", "scope"), [
    ("admin", None, "36"), ("federation_officer", "36", "36"),
    ("federation_officer", "3607", "3607"), ("federation_officer", "360102", "360102")])
def test_coverage_is_the_services_figures(app, client, seeded, token, role, region, scope):
    _, headers = token(role, **({"region_code": region} if region else {}))
    for query in ({}, {"kind": "training"}, {"kind": "incubator"}, {"specialty": "massage"},
                  {"kind": "training", "specialty": "ecommerce"}):
        _same_figures(app, client.get(f"{API}/bases/coverage", headers=headers,
                                      query_string=query), scope, query)


def _same_figures(app, answer: Any, scope: str, query: dict[str, str]) -> None:
    assert answer.status_code == 200
    data = answer.json
    with app.app_context():
        kind = BaseKind(query["kind"]) if "kind" in query else None
        report = coverage(scope, TODAY, kind, query.get("specialty"))
    assert (data["scope"], data["on"], data["kind"], data["specialty"]) == (
        scope, TODAY.isoformat(), query.get("kind"), query.get("specialty"))
    assert data["totals"] == report.totals
    assert [c["code"] for c in data["cities"]] == [c.code for c in report.cities]
    for city, row in zip(data["cities"], report.cities, strict=True):
        assert (city["training"], city["incubator"], city["city_training"],
                city["city_incubator"], city["gap_training"], city["gap_incubator"],
                city["counties_without_training"], city["specialties"]) == (
            row.training, row.incubator, row.city_training, row.city_incubator,
            row.gap_training, row.gap_incubator, row.counties_without_training,
            dict(row.specialties))
        assert [(c["code"], c["training"], c["incubator"], c["gap_training"])
                for c in city["counties"]] == [
            (c.code, c.training, c.incubator, c.gap_training) for c in row.counties]


def test_coverage_counts_what_the_dashboard_counts(client, seeded, token):
    _, headers = token("federation_officer", region_code="36")
    totals = client.get(f"{API}/bases/coverage", headers=headers).json["totals"]
    assert totals["training"] == 4 and totals["incubator"] == 1   # the suspended one is out
    assert totals["cities"] == 11 and totals["counties"] == 100


def test_the_document_lists_the_bases_operations(client):
    paths = client.get(f"{API}/openapi.json").json["paths"]
    assert {"/api/v1/base-applications", "/api/v1/base-applications/{application_id}/review",
            "/api/v1/bases/coverage", "/api/v1/bases/{base_id}"} <= set(paths)
    certify = paths["/api/v1/base-applications/{application_id}/certify"]["post"]
    assert {"201", "400", "403", "404", "409"} <= set(certify["responses"])
    assert paths["/api/v1/base-applications"]["post"]["requestBody"]["required"] is True
    assert certify["tags"] == ["bases"]


def test_no_application_is_left_half_made(app, client, actors):
    """A refused create leaves no row behind (the error handler rolls back)."""
    client.post(f"{API}/base-applications", headers=actors.staff,
                json=dict(_new(app), answers={}))
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(BaseApplication)) == 0
