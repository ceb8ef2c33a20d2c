"""Applications through /api/v1 beyond the straight chain: corrections, withdrawal, evidence
files (download and removal), objections during the public notice, and inspection photos
added to a review after it was made. Every refusal is checked to have changed nothing."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from tests.bases.builders import PDF, PNG
from tests.bases.test_api import (
    API,
    _after_notice,
    _is_error,
    _new,
    _review,
    _submitted,
    _upload,
)
from trainhub.bases.models import Base, EvidenceFile, Objection
from trainhub.core.audit.models import AuditEntry
from trainhub.core.timeutil import local_today
from trainhub.extensions import db

FAKE_JPEG = b"MZ\x90\x00\x03" + b"\x00" * 60 + b"This program cannot be run in DOS mode"


def _url(application_id: int, rest: str = "") -> str:
    return f"{API}/base-applications/{application_id}{rest}"


def _draft(app, client, actors, level: str = "county") -> dict[str, Any]:
    created = client.post(f"{API}/base-applications", headers=actors.staff,
                          json=_new(app, level))
    assert created.status_code == 201
    return created.json


def _count(app, model: type) -> int:
    with app.app_context():
        return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


def _audited(app, action: str) -> int:
    with app.app_context():
        return int(db.session.scalar(select(func.count()).select_from(AuditEntry)
                                     .where(AuditEntry.action == action)) or 0)


def _stored_files(app) -> int:
    return len(list(Path(app.config["UPLOAD_FOLDER"]).iterdir()))


# --- corrections and withdrawal ------------------------------------------------------------

def test_a_draft_and_a_returned_application_are_corrected(app, client, actors):
    draft = _draft(app, client, actors, level="county")
    body = dict(_new(app, "city"), specialties=["ecommerce", "livestreaming", "ecommerce"])
    corrected = client.put(_url(draft["id"]), headers=actors.staff, json=body)
    assert corrected.status_code == 200, corrected.json
    assert (corrected.json["level_sought"], corrected.json["specialties"]) == (
        "city", ["ecommerce", "livestreaming"])
    assert _audited(app, "base_application.update") == 1

    assert _upload(client, draft["id"], actors.staff).status_code == 201
    assert client.post(_url(draft["id"], "/submit"), headers=actors.staff).status_code == 200
    returned = _review(client, draft["id"], actors.county, decision="return",
                       comments="补充场地照片")
    assert returned.json["status"] == "returned"
    again = client.put(_url(draft["id"]), headers=actors.staff, json=_new(app, "county"))
    assert again.status_code == 200 and again.json["level_sought"] == "county"
    resubmitted = client.post(_url(draft["id"], "/submit"), headers=actors.staff)
    assert (resubmitted.json["status"], resubmitted.json["current_level"]) == (
        "in_review", "county")
    assert [r["decision"] for r in resubmitted.json["reviews"]] == ["return"]  # history kept


def test_a_correction_that_breaks_a_rule_changes_nothing(app, client, actors, token):
    draft = _draft(app, client, actors)
    url = _url(draft["id"])
    _is_error(client.put(url, headers=actors.staff, json=dict(_new(app), answers={})), 400)
    _is_error(client.put(url, headers=actors.staff, json=dict(_new(app), kind="farm")), 422)
    _is_error(client.put(url, headers=token("institution_staff")[1], json=_new(app)), 403)
    _is_error(client.put(url, headers=actors.county, json=_new(app)), 403)
    _is_error(client.put(_url(2**31), headers=actors.staff, json=_new(app)), 404)
    shown = client.get(url, headers=actors.staff).json
    assert shown["answers"] == draft["answers"] and shown["level_sought"] == "county"

    _upload(client, draft["id"], actors.staff)
    client.post(_url(draft["id"], "/submit"), headers=actors.staff)
    late = client.put(url, headers=actors.staff, json=_new(app, "province"))
    assert _is_error(late, 409)["error"] == "Conflict"
    assert client.get(url, headers=actors.staff).json["level_sought"] == "county"
    assert _audited(app, "base_application.update") == 0


def test_withdrawal(app, client, actors):
    application_id = _submitted(app, client, actors)
    _is_error(client.post(_url(application_id, "/withdraw"), headers=actors.county), 403)
    withdrawn = client.post(_url(application_id, "/withdraw"), headers=actors.staff)
    assert withdrawn.status_code == 200 and withdrawn.json["status"] == "withdrawn"
    assert withdrawn.json["current_level"] is None
    _is_error(client.post(_url(application_id, "/withdraw"), headers=actors.staff), 409)
    _is_error(_review(client, application_id, actors.county), 403)   # left the county's step
    _is_error(client.post(_url(application_id, "/submit"), headers=actors.staff), 409)
    assert _audited(app, "base_application.withdraw") == 1


# --- evidence files ----------------------------------------------------------------------

def test_evidence_is_streamed_only_to_those_allowed(app, client, actors, token):
    application_id = _submitted(app, client, actors)
    file_id = client.get(_url(application_id), headers=actors.staff).json["evidence"][0]["id"]
    url = _url(application_id, f"/evidence/{file_id}")
    for headers in (actors.staff, actors.county, actors.city, token("admin")[1]):
        download = client.get(url, headers=headers)
        assert download.status_code == 200 and download.data == PDF
        assert download.mimetype == "application/pdf"
        assert download.headers["X-Content-Type-Options"] == "nosniff"
        assert "filename*=UTF-8''%E8%90%A5%E4%B8%9A%E6%89%A7%E7%85%A7.pdf" in (
            download.headers["Content-Disposition"])                    # 营业执照.pdf
    for headers in (token("federation_officer", region_code="360103")[1],
                    token("federation_officer", region_code="3607")[1],
                    token("institution_staff")[1], token("enterprise_contact")[1]):
        refused = client.get(url, headers=headers)
        assert refused.status_code in (403, 404) and refused.is_json
        assert PDF not in refused.data
    other = _submitted(app, client, actors)
    _is_error(client.get(_url(other, f"/evidence/{file_id}"), headers=actors.staff), 404)
    _is_error(client.get(_url(application_id, "/evidence/999999"), headers=actors.staff), 404)


def test_evidence_is_removed_from_a_draft_only(app, client, actors):
    draft = _draft(app, client, actors)
    first = _upload(client, draft["id"], actors.staff).json
    kept = _upload(client, draft["id"], actors.staff, data=PNG, name="场地.png").json
    before = _stored_files(app)
    _is_error(client.delete(_url(draft["id"], f"/evidence/{first['id']}"),
                            headers=actors.county), 403)
    removed = client.delete(_url(draft["id"], f"/evidence/{first['id']}"),
                            headers=actors.staff)
    assert removed.status_code == 204 and removed.data == b""
    assert _stored_files(app) == before - 1
    evidence = client.get(_url(draft["id"]), headers=actors.staff).json["evidence"]
    assert [e["id"] for e in evidence] == [kept["id"]]
    _is_error(client.delete(_url(draft["id"], f"/evidence/{first['id']}"),
                            headers=actors.staff), 404)

    client.post(_url(draft["id"], "/submit"), headers=actors.staff)
    late = client.delete(_url(draft["id"], f"/evidence/{kept['id']}"), headers=actors.staff)
    assert _is_error(late, 409)["error"] == "Conflict"
    assert _count(app, EvidenceFile) == 1 and _stored_files(app) == before - 1


# --- objections during the public notice ------------------------------------------------

def _noticed(app, client, actors) -> int:
    """A county-level application under public notice since today."""
    application_id = _submitted(app, client, actors, level="county")
    assert _review(client, application_id, actors.county).json["status"] == "notice"
    return application_id


def _object(client, application_id: int, headers: dict[str, str], **body: Any) -> Any:
    return client.post(_url(application_id, "/objections"), headers=headers, json={
        "received_on": str(local_today()), "raised_by": "群众来信", "content": "场地无坡道",
        **body})


def test_an_open_objection_blocks_certification_until_dismissed(app, client, actors,
                                                                monkeypatch):
    application_id = _noticed(app, client, actors)
    recorded = _object(client, application_id, actors.county)
    assert recorded.status_code == 201, recorded.json
    objection = recorded.json
    assert (objection["content"], objection["resolved_at"], objection["upheld"]) == (
        "场地无坡道", None, None)
    notice = client.get(_url(application_id), headers=actors.city).json["notice"]
    assert notice["open_objections"] == 1 and notice["objections"][0]["id"] == objection["id"]

    _after_notice(monkeypatch)
    blocked = client.post(_url(application_id, "/certify"), headers=actors.county)
    assert _is_error(blocked, 400)["error"] == "DomainError"
    assert _count(app, Base) == 0
    assert client.get(_url(application_id), headers=actors.county).json["status"] == "notice"

    resolve = _url(application_id, f"/objections/{objection['id']}/resolve")
    _is_error(client.post(resolve, headers=actors.city, json={
        "upheld": False, "resolution": "x"}), 403)                  # not the certifying level
    _is_error(client.post(resolve, headers=actors.county, json={
        "upheld": False, "resolution": "  "}), 400)
    dismissed = client.post(resolve, headers=actors.county, json={
        "upheld": False, "resolution": "经现场核实，坡道已建成"})
    assert dismissed.status_code == 200 and dismissed.json["status"] == "notice"
    assert dismissed.json["notice"]["open_objections"] == 0
    assert dismissed.json["notice"]["objections"][0]["upheld"] is False
    _is_error(client.post(resolve, headers=actors.county, json={
        "upheld": True, "resolution": "再议"}), 409)                  # resolved already
    assert client.post(_url(application_id, "/certify"),
                       headers=actors.county).status_code == 201


def test_an_upheld_objection_rejects_the_application(app, client, actors, monkeypatch):
    application_id = _noticed(app, client, actors)
    objection = _object(client, application_id, actors.county).json
    upheld = client.post(_url(application_id, f"/objections/{objection['id']}/resolve"),
                         headers=actors.county, json={"upheld": True, "resolution": "属实"})
    assert upheld.status_code == 200 and upheld.json["status"] == "rejected"
    _after_notice(monkeypatch)
    _is_error(client.post(_url(application_id, "/certify"), headers=actors.county), 409)
    assert _count(app, Base) == 0


def test_an_objection_outside_an_open_notice_is_refused(app, client, actors, monkeypatch):
    in_review = _submitted(app, client, actors, level="county")
    assert _is_error(_object(client, in_review, actors.county), 409)["error"] == "Conflict"

    application_id = _noticed(app, client, actors)
    late = _object(client, application_id, actors.county, received_on="2020-01-01")
    _is_error(late, 400)                                        # before the notice began
    _is_error(_object(client, application_id, actors.county, content=" "), 400)
    _is_error(_object(client, application_id, actors.county, content="a\x00b"), 422)
    _is_error(client.post(_url(application_id, "/objections"), headers=actors.county,
                          json={"received_on": str(local_today())}), 422)
    _is_error(_object(client, application_id, actors.city), 403)
    _is_error(_object(client, application_id, actors.staff), 403)

    _after_notice(monkeypatch)
    assert client.post(_url(application_id, "/certify"),
                       headers=actors.county).status_code == 201
    closed = _object(client, application_id, actors.county)
    assert _is_error(closed, 409)["error"] == "Conflict"                 # notice closed
    assert _count(app, Objection) == 0


def test_an_objection_is_resolved_only_under_its_own_application(app, client, actors):
    first, second = _noticed(app, client, actors), _noticed(app, client, actors)
    objection = _object(client, first, actors.county).json
    wrong = client.post(_url(second, f"/objections/{objection['id']}/resolve"),
                        headers=actors.county, json={"upheld": True, "resolution": "属实"})
    _is_error(wrong, 404)
    shown = client.get(_url(first), headers=actors.county).json
    assert shown["status"] == "notice" and shown["notice"]["open_objections"] == 1


# --- inspection photos added after the review --------------------------------------------

def _photo(client, application_id: int, review_id: int, headers: dict[str, str],
           data: bytes = PNG, name: str = "现场.png") -> Any:
    return client.post(_url(application_id, f"/reviews/{review_id}/photos"), headers=headers,
                       data={"file": (io.BytesIO(data), name)})


def test_a_photo_is_added_to_a_review_after_it_was_made(app, client, actors, token):
    application_id = _submitted(app, client, actors)
    reviewed = _review(client, application_id, actors.county, inspected_on=str(local_today()),
                       inspectors="张三", findings="坡道完好").json
    review_id = reviewed["reviews"][0]["id"]
    assert reviewed["current_level"] == "city"       # the application has moved on

    added = _photo(client, application_id, review_id, actors.county)
    assert added.status_code == 201, added.json
    assert (added.json["content_type"], added.json["original_name"]) == ("image/png",
                                                                         "现场.png")
    _, colleague = token("federation_officer", region_code="360102")
    assert _photo(client, application_id, review_id, colleague,
                  name="侧面.png").status_code == 201

    shown = client.get(_url(application_id), headers=actors.city).json
    assert [p["original_name"] for p in shown["reviews"][0]["photos"]] == ["现场.png",
                                                                           "侧面.png"]
    assert [e["original_name"] for e in shown["evidence"]] == ["营业执照.pdf"]
    download = client.get(_url(application_id, f"/evidence/{added.json['id']}"),
                          headers=actors.staff)
    assert download.status_code == 200 and download.data == PNG
    assert download.mimetype == "image/png"


def test_a_photo_by_anyone_else_or_not_a_photo_changes_nothing(app, client, actors, token):
    application_id = _submitted(app, client, actors)
    review_id = _review(client, application_id, actors.county).json["reviews"][0]["id"]
    other = _submitted(app, client, actors)
    before = (_count(app, EvidenceFile), _stored_files(app))
    for headers in (actors.city, actors.province, actors.staff, token("admin")[1],
                    token("federation_officer", region_code="360103")[1]):
        _is_error(_photo(client, application_id, review_id, headers), 403)
    renamed = _photo(client, application_id, review_id, actors.county, data=FAKE_JPEG,
                     name="现场.jpg")
    assert _is_error(renamed, 400)["error"] == "UploadRejected"
    a_pdf = _photo(client, application_id, review_id, actors.county, data=PDF, name="照片.jpg")
    assert "JPEG" in _is_error(a_pdf, 400)["message"]
    _is_error(client.post(_url(application_id, f"/reviews/{review_id}/photos"),
                          headers=actors.county, data={}), 422)
    _is_error(_photo(client, other, review_id, actors.county), 404)
    _is_error(_photo(client, application_id, 999999, actors.county), 404)
    assert (_count(app, EvidenceFile), _stored_files(app)) == before


def test_an_inspection_photo_cannot_be_removed_by_the_applicant(app, client, actors):
    application_id = _submitted(app, client, actors)
    returned = _review(client, application_id, actors.county, decision="return",
                       comments="补充材料").json
    photo = _photo(client, application_id, returned["reviews"][0]["id"], actors.county).json
    refused = client.delete(_url(application_id, f"/evidence/{photo['id']}"),
                            headers=actors.staff)   # the application is editable again
    assert _is_error(refused, 400)["error"] == "DomainError"
    shown = client.get(_url(application_id), headers=actors.staff).json
    assert [p["id"] for p in shown["reviews"][0]["photos"]] == [photo["id"]]
