"""Documents handed out are audited and rate-limited per account, in one scope shared by
every page and operation that hands one out (trainhub/core/downloads.py, issue 15 item 6)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from tests.bases.builders import PDF, build
from tests.conftest import sign_in
from tests.limited_app import limited_app
from trainhub.bases.models import EvidenceFile
from trainhub.core import downloads
from trainhub.core.audit.models import AuditEntry
from trainhub.extensions import db


def test_every_document_route_is_counted_and_audited(app):
    """A PDF or a stored file answered by a view without the decorator would escape both."""
    documents = [rule for rule in app.url_map.iter_rules()
                 if rule.rule.endswith(".pdf") or "/evidence/<int:file_id>" in rule.rule]
    assert len(documents) >= 9
    missed = [rule.rule for rule in documents if "GET" in (rule.methods or set())
              and not downloads.is_document(app.view_functions[rule.endpoint])]
    assert missed == []


def test_every_api_download_documents_its_429(app, client):
    """A client generated from the document must know a download can be refused for now."""
    spec = client.get("/api/v1/openapi.json").get_json()
    paths = {rule.rule: rule for rule in app.url_map.iter_rules()
             if downloads.is_document(app.view_functions[rule.endpoint])
             and rule.rule.startswith("/api/")}
    assert paths
    for rule in paths:
        documented = spec["paths"][re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule)]["get"]
        assert "429" in documented["responses"], rule


def _rows(app) -> list[AuditEntry]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == downloads.ACTION).order_by(AuditEntry.id)))


def test_a_certificate_and_an_evidence_file_leave_an_audit_row_naming_them(app, client, make):
    ids = build(app, make, "base")
    officer = make.user("federation_officer", region_code="3601")
    sign_in(client, officer)
    assert client.get(f"/bases/{ids['base']}/certificate.pdf").status_code == 200
    with app.app_context():
        evidence = db.session.scalars(select(EvidenceFile)).first()
        assert evidence is not None
        file_id, name = evidence.id, evidence.original_name
    download = client.get(f"/bases/evidence/{file_id}")
    assert download.status_code == 200 and download.data == PDF
    assert client.get("/bases/2147483647/certificate.pdf").status_code == 404  # not sent
    rows = _rows(app)
    assert [(r.object_type, r.object_id, r.actor_username, r.outcome) for r in rows] == [
        ("base_certificate", str(ids["base"]), officer, "success"),
        ("base_evidence", str(file_id), officer, "success")]
    assert rows[1].details["file"] == name and rows[0].details["file"].endswith(".pdf")


@pytest.fixture
def throttled(tmp_path: Path) -> Iterator[Flask]:
    with limited_app(tmp_path, DOWNLOAD_RATE_LIMIT="3 per minute") as app:
        yield app


def test_downloads_share_one_limit_per_account(throttled):
    from tests.factories import Factory

    make = Factory(throttled)
    first, second = (make.user("federation_officer", region_code="36") for _ in range(2))
    client = throttled.test_client()
    sign_in(client, first)
    # Documents that do not exist count too: the limit is checked before the view runs.
    for path in ("/bases/7/certificate.pdf", "/bases/evidence/7",
                 "/training/enrolments/7/certificate.pdf"):
        assert client.get(path).status_code == 404
    refused = client.get("/bases/8/certificate.pdf")
    assert refused.status_code == 429
    other = throttled.test_client()
    sign_in(other, second)
    assert other.get("/bases/7/certificate.pdf").status_code != 429  # per account
