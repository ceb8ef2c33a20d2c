"""Certified bases through /api/v1: the PDF certificate, the yearly review, suspension,
reinstatement, revocation, renewal, an incubator's resident enterprises, and the coverage
workbook. Every refusal is checked to have changed nothing."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import func, select

from tests.bases.builders import PDF, bulk_owner
from tests.bases.conftest import TODAY, set_today
from tests.bases.test_api import API, _is_error, _new, _review
from tests.bases.test_coverage import _bulk_bases
from tests.conftest import sign_in
from trainhub.bases.api import applications as api_applications
from trainhub.bases.models import AnnualReview, BaseApplication
from trainhub.core.audit.models import AuditEntry
from trainhub.core.documents import service as documents
from trainhub.extensions import db

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _api_today() -> date:
    return api_applications.local_today()


def _certified(app, client, actors, monkeypatch, kind: str = "training") -> dict[str, Any]:
    """A county-level base of the actors' institution, certified through the API."""
    created = client.post(f"{API}/base-applications", headers=actors.staff,
                          json=_new(app, "county", kind)).json
    url = f"{API}/base-applications/{created['id']}"
    client.post(f"{url}/evidence", headers=actors.staff,
                data={"file": (io.BytesIO(PDF), "证明.pdf")})
    client.post(f"{url}/submit", headers=actors.staff)
    assert _review(client, created["id"], actors.county).json["status"] == "notice"
    set_today(monkeypatch, _api_today() + timedelta(days=8))
    certified = client.post(f"{url}/certify", headers=actors.county)
    assert certified.status_code == 201, certified.json
    return certified.json


def _base(client, base_id: int, headers: dict[str, str]) -> dict[str, Any]:
    return client.get(f"{API}/bases/{base_id}", headers=headers).json


def _reviews(app) -> int:
    with app.app_context():
        return int(db.session.scalar(select(func.count()).select_from(AnnualReview)) or 0)


# --- the certificate -------------------------------------------------------------------------

def test_the_certificate_pdf_carries_its_number(app, client, actors, monkeypatch, token):
    base = _certified(app, client, actors, monkeypatch)
    url = f"{API}/bases/{base['id']}/certificate.pdf"
    response = client.get(url, headers=actors.staff)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    assert "attachment" in response.headers["Content-Disposition"]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    assert base["certificate_number"] in text.replace(" ", "").replace("\n", "")
    for headers in (token("federation_officer", region_code="360103")[1],
                    token("institution_staff")[1]):
        refused = client.get(url, headers=headers)
        assert refused.status_code == 403 and not refused.data.startswith(b"%PDF")
    _is_error(client.get(f"{API}/bases/999999/certificate.pdf", headers=actors.city), 404)


# --- the yearly review -----------------------------------------------------------------------

def _scores(client, base_id: int, headers: dict[str, str],
            share: float = 1.0) -> dict[str, int]:
    sheet = client.get(f"{API}/bases/{base_id}/annual-review", headers=headers).json
    return {i["item"]: int(i["max_points"] * share) for i in sheet["items"]}


def _annual(client, base_id: int, headers: dict[str, str], **body: Any) -> Any:
    return client.post(f"{API}/bases/{base_id}/annual-review", headers=headers,
                       json={"year": _api_today().year, "outcome": "pass", **body})


def test_the_yearly_review_on_the_sheet_in_force(app, client, actors, monkeypatch):
    base = _certified(app, client, actors, monkeypatch)
    sheet = client.get(f"{API}/bases/{base['id']}/annual-review", headers=actors.city)
    assert sheet.status_code == 200
    assert sum(i["max_points"] for i in sheet.json["items"]) == 100
    assert (sheet.json["pass_score"], sheet.json["reviews"]) == (60, [])

    full = _scores(client, base["id"], actors.city)
    low = _scores(client, base["id"], actors.city, share=0.3)
    _is_error(_annual(client, base["id"], actors.city, scores=low), 400)       # below 60
    _is_error(_annual(client, base["id"], actors.city, scores=low, outcome="rectify"),
              400)                                                           # no deadline
    _is_error(_annual(client, base["id"], actors.city, scores={}), 400)        # items missing
    _is_error(_annual(client, base["id"], actors.city, scores=full, year=1999), 422)
    _is_error(_annual(client, base["id"], actors.staff, scores=full), 403)
    assert _reviews(app) == 0

    recorded = _annual(client, base["id"], actors.city, scores=full, comments="良好")
    assert recorded.status_code == 201, recorded.json
    assert (recorded.json["total"], recorded.json["outcome"]) == (100, "pass")
    _is_error(_annual(client, base["id"], actors.county, scores=full), 409)     # one a year
    shown = client.get(f"{API}/bases/{base['id']}/annual-review", headers=actors.county).json
    assert [r["id"] for r in shown["reviews"]] == [recorded.json["id"]]


def test_a_revoking_yearly_review_revokes_the_base(app, client, actors, monkeypatch):
    base = _certified(app, client, actors, monkeypatch)
    low = _scores(client, base["id"], actors.county, share=0.3)
    revoked = _annual(client, base["id"], actors.county, scores=low, outcome="revoke",
                      comments="考核不合格")
    assert revoked.status_code == 201 and revoked.json["outcome"] == "revoke"
    after = _base(client, base["id"], actors.county)
    assert (after["status"], after["status_reason"]) == ("revoked", "考核不合格")


def test_a_yearly_review_of_an_expired_base_changes_nothing(app, client, actors, monkeypatch):
    base = _certified(app, client, actors, monkeypatch)
    full = _scores(client, base["id"], actors.county)
    set_today(monkeypatch, date.fromisoformat(base["valid_until"]) + timedelta(days=1))
    refused = _annual(client, base["id"], actors.county, scores=full)
    assert _is_error(refused, 409)["error"] == "Conflict"
    until = date.fromisoformat(base["valid_until"])
    assert f"{until.year}年{until.month}月{until.day}日" in refused.json["message"]
    after = _base(client, base["id"], actors.county)
    assert (after["status"], after["effective_status"]) == ("valid", "expired")
    assert _reviews(app) == 0


# --- suspension, reinstatement, revocation ------------------------------------------------

def _act(client, base_id: int, action: str, headers: dict[str, str], **body: Any) -> Any:
    return client.post(f"{API}/bases/{base_id}/{action}", headers=headers,
                       json=body if body else None)


def _verification_status(app, base: dict[str, Any]) -> str:
    with app.app_context():
        found = documents.find(base["verification_url"].rsplit("/", 1)[1])
        assert found is not None
        return found.status


def test_suspend_reinstate_and_revoke(app, client, actors, monkeypatch, token):
    base = _certified(app, client, actors, monkeypatch)
    other_county = token("federation_officer", region_code="360103")[1]
    for headers in (actors.staff, other_county):
        _is_error(_act(client, base["id"], "suspend", headers, reason="整改"), 403)

    suspended = _act(client, base["id"], "suspend", actors.city, reason="场地整改")
    assert suspended.status_code == 200
    assert (suspended.json["status"], suspended.json["status_reason"]) == ("suspended",
                                                                           "场地整改")
    assert _verification_status(app, base) == "suspended"
    _is_error(_act(client, base["id"], "suspend", actors.city, reason="再次"), 409)

    reinstated = _act(client, base["id"], "reinstate", actors.county)
    assert reinstated.status_code == 200 and reinstated.json["status"] == "valid"
    assert _verification_status(app, base) == "valid"
    _is_error(_act(client, base["id"], "reinstate", actors.county), 409)

    revoked = _act(client, base["id"], "revoke", actors.province, reason="弄虚作假")
    assert revoked.status_code == 200
    assert (revoked.json["status"], revoked.json["effective_status"]) == ("revoked", "revoked")
    assert _verification_status(app, base) == "revoked"
    _is_error(_act(client, base["id"], "suspend", actors.city, reason="整改"), 409)
    _is_error(_act(client, base["id"], "revoke", actors.city, reason="再次"), 409)


def test_revoking_without_a_reason_changes_nothing(app, client, actors, monkeypatch):
    base = _certified(app, client, actors, monkeypatch)
    _is_error(_act(client, base["id"], "revoke", actors.county), 422)          # no body
    _is_error(_act(client, base["id"], "revoke", actors.county, note="x"), 422)
    blank = _act(client, base["id"], "revoke", actors.county, reason="   ")
    assert _is_error(blank, 400)["error"] == "DomainError"
    _is_error(_act(client, base["id"], "revoke", actors.county, reason="a\x00b"), 422)
    after = _base(client, base["id"], actors.county)
    assert (after["status"], after["status_reason"]) == ("valid", "")
    assert _verification_status(app, base) == "valid"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "base.revoked")) == 0


# --- renewal ---------------------------------------------------------------------------------

def test_a_renewal_is_prepared_from_the_previous_application(app, client, actors,
                                                            monkeypatch):
    base = _certified(app, client, actors, monkeypatch)
    url = f"{API}/bases/{base['id']}/renewal"
    _is_error(client.post(url, headers=actors.county), 403)
    renewal = client.post(url, headers=actors.staff)
    assert renewal.status_code == 201, renewal.json
    previous = client.get(f"{API}/base-applications/{base['application_id']}",
                          headers=actors.staff).json
    assert (renewal.json["status"], renewal.json["renews_base_id"]) == ("draft", base["id"])
    assert renewal.json["answers"] == previous["answers"]
    assert renewal.json["level_sought"] == "county" and renewal.json["evidence"] == []
    _is_error(client.post(url, headers=actors.staff), 409)                  # under way
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(BaseApplication).where(
            BaseApplication.renews_base_id == base["id"])) == 1


def test_a_revoked_base_is_not_renewed(app, client, actors, monkeypatch):
    base = _certified(app, client, actors, monkeypatch)
    _act(client, base["id"], "revoke", actors.county, reason="弄虚作假")
    _is_error(client.post(f"{API}/bases/{base['id']}/renewal", headers=actors.staff), 409)


# --- resident enterprises --------------------------------------------------------------------

def _resident(**body: Any) -> dict[str, Any]:
    return {"name": "赣创直播工作室", "founder_name": "李明",
            "entry_date": str(_api_today() - timedelta(days=100)), "jobs_created": 4,
            "services": "场地、创业指导", **body}


def test_residents_of_an_incubator(app, client, actors, monkeypatch):
    base = _certified(app, client, actors, monkeypatch, kind="incubator")
    url = f"{API}/bases/{base['id']}/residents"
    assert client.get(url, headers=actors.staff).json == []
    created = client.post(url, headers=actors.staff, json=_resident())
    assert created.status_code == 201, created.json
    resident = created.json
    assert (resident["base_id"], resident["jobs_created"], resident["exit_date"]) == (
        base["id"], 4, None)

    left_on = str(_api_today() - timedelta(days=2))
    updated = client.put(f"{url}/{resident['id']}", headers=actors.county,
                         json=_resident(exit_date=left_on, jobs_created=6))
    assert updated.status_code == 200 and updated.json["exit_date"] == left_on
    listed = client.get(url, headers=actors.city).json
    assert [(r["id"], r["jobs_created"], r["exit_date"]) for r in listed] == [
        (resident["id"], 6, left_on)]


def test_a_resident_that_breaks_a_rule_changes_nothing(app, client, actors, monkeypatch,
                                                       token):
    base = _certified(app, client, actors, monkeypatch, kind="incubator")
    url = f"{API}/bases/{base['id']}/residents"
    resident = client.post(url, headers=actors.staff, json=_resident()).json
    today = _api_today()
    refused = [
        _resident(entry_date=str(today + timedelta(days=1))),                 # future entry
        _resident(entry_date=str(today - timedelta(days=4 * 366))),           # over 3 years
        _resident(exit_date=str(today - timedelta(days=200))),                # before entry
        _resident(name="  "),
    ]
    for body in refused:
        _is_error(client.post(url, headers=actors.staff, json=body), 400)
        _is_error(client.put(f"{url}/{resident['id']}", headers=actors.staff, json=body), 400)
    _is_error(client.post(url, headers=actors.staff, json=_resident(name="a\x00b")), 422)
    _is_error(client.post(url, headers=actors.staff, json=_resident(jobs_created=-1)), 422)
    for headers in (token("institution_staff")[1], token("admin")[1],
                    token("federation_officer", region_code="3607")[1]):
        _is_error(client.post(url, headers=headers, json=_resident()), 403)
    training = _certified(app, client, actors, monkeypatch)
    _is_error(client.post(f"{API}/bases/{training['id']}/residents", headers=actors.staff,
                          json=_resident()), 400)
    _is_error(client.put(f"{API}/bases/{training['id']}/residents/{resident['id']}",
                         headers=actors.staff, json=_resident()), 404)
    listed = client.get(url, headers=actors.staff).json
    assert listed == [resident]


# --- the coverage workbook ---------------------------------------------------------------

@pytest.fixture
def seeded(app, make, monkeypatch):
    """Bases inserted as tests/bases/test_coverage.py does; everything counts on TODAY."""
    set_today(monkeypatch, TODAY)
    monkeypatch.setattr("trainhub.bases.coverage_views.local_today", lambda: TODAY)
    owner = bulk_owner(app, make)
    with app.app_context():
        _bulk_bases(owner, 2, level="city", counties=["360702", "360102"])
        _bulk_bases(owner, 1, kind="incubator", level="city", counties=["360702"])
        db.session.commit()


def _cells(data: bytes) -> dict[str, list[tuple[Any, ...]]]:
    book = load_workbook(io.BytesIO(data), read_only=True)
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book}


def test_the_coverage_workbook_is_the_dashboards(app, client, seeded, token):
    username, headers = token("federation_officer", region_code="36")
    response = client.get(f"{API}/bases/coverage.xlsx?kind=training", headers=headers)
    assert response.status_code == 200 and response.mimetype == XLSX_MIME
    assert "attachment" in response.headers["Content-Disposition"]
    web = app.test_client()
    sign_in(web, username)
    page = web.get("/bases/coverage.xlsx?kind=training")
    assert page.status_code == 200
    cells = _cells(response.data)
    assert cells == _cells(page.data)
    cities = cells[next(iter(cells))]
    assert len(cities) == 12                                   # a header and 11 cities
    assert {row[0]: row[2] for row in cities[1:]}["3607"] == 1  # 赣州: one training base
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "bases.coverage_export")) == 2


def test_the_coverage_workbook_is_for_officers_only(client, actors, token):
    _is_error(client.get(f"{API}/bases/coverage.xlsx", headers=actors.staff), 403)
    _is_error(client.get(f"{API}/bases/coverage.xlsx", headers=token("enterprise_contact")[1]),
              403)
    _is_error(client.get(f"{API}/bases/coverage.xlsx?kind=farm", headers=actors.city), 422)
    city = client.get(f"{API}/bases/coverage.xlsx", headers=actors.city)
    cities = _cells(city.data)
    assert [row[0] for row in cities[next(iter(cities))][1:]] == ["3601"]  # its own scope
