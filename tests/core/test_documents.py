"""Documents: the verification registry, the public check page, and certificate PDFs."""

from __future__ import annotations

import base64
import io
import re
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest
from jinja2 import ChoiceLoader, DictLoader
from pypdf import PdfReader
from sqlalchemy import select

from tests.pdf_checks import assert_every_character_drawn, pdf_text, qr_codes
from trainhub.core.audit.models import AuditEntry
from trainhub.core.documents import pdf, service
from trainhub.core.errors import Conflict, DomainError
from trainhub.core.timeutil import local_today
from trainhub.extensions import db

zxingcpp = pytest.importorskip("zxingcpp")

RARE_NAME = "欧阳䶮𬱖培训学校"  # 䶮 U+4DAE (Ext A), 𬱖 U+2CC56 (Ext E)
FACTS = [("Name", "张三"), ("Institution", RARE_NAME), ("Course", "中式面点师（初级）")]
NUMBER = "赣残培基〔2024〕第0012号"


def _issue(app, *, status: str | None = None, reason: str = "", **kwargs) -> str:
    """Issue (and optionally re-status) a document in its own committed context."""
    kwargs.setdefault("document_number", NUMBER)
    with app.app_context():
        verification = service.issue(kwargs.pop("kind", "training_certificate"),
                                     kwargs.pop("facts", FACTS), **kwargs)
        if status:
            service.set_status(verification, status, reason)
        db.session.commit()
        return verification.code


# --- the registry --------------------------------------------------------------------

def test_issue_freezes_the_facts_and_audits_without_them(ctx):
    verification = service.issue("training_certificate", FACTS, document_number=NUMBER,
                                 valid_until=date(2027, 4, 30), region_code="360102")
    assert verification.facts == [list(fact) for fact in FACTS]
    assert verification.status == "valid" and verification.issued_at.tzinfo is not None
    entry = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "document.issue")).one()
    assert entry.object_id == str(verification.id) and entry.region_code == "360102"
    assert RARE_NAME not in str(entry.details) and verification.code not in str(entry.details)


def test_issue_many_leaves_what_issue_would_leave_one_at_a_time(ctx):
    """A publication's certificates in bulk: the codes in order, each document its own
    facts, one audit row per document, and no fact or code in the log."""
    sets = [[("Name", f"选手{n}"), ("Award", "金奖")] for n in range(3)]
    codes = service.issue_many("award", sets, valid_from=date(2026, 10, 12),
                               region_code="36")
    assert len(set(codes)) == 3
    for code, facts in zip(codes, sets, strict=True):
        found = service.find(code)
        assert found.facts == [list(f) for f in facts] and found.status == "valid"
        assert found.valid_from == date(2026, 10, 12) and found.region_code == "36"
    rows = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "document.issue").order_by(AuditEntry.id)).all()
    assert [r.object_id for r in rows] == [str(service.find(c).id) for c in codes]
    assert all(r.region_code == "36" and "选手" not in str(r.details)
               and not any(c in str(r.details) for c in codes) for r in rows)
    assert service.issue_many("award", []) == []
    with pytest.raises(DomainError):
        service.issue_many("award", sets, valid_from=date(2026, 1, 2),
                           valid_until=date(2026, 1, 1))


def test_codes_are_random_unrelated_to_the_facts_and_carry_128_bits(ctx):
    codes = [service.issue("award", FACTS, document_number=NUMBER).code for _ in range(50)]
    assert len(set(codes)) == len(codes)
    for code in codes:
        assert re.fullmatch(r"[A-Za-z0-9_-]+", code)
        raw = base64.urlsafe_b64decode(code + "=" * (-len(code) % 4))
        assert len(raw) * 8 >= 128
        assert "2024" not in code and "0012" not in code


def test_status_is_computed_expiry_is_never_stored(ctx):
    today = date(2026, 6, 1)
    verification = service.issue("award", FACTS, valid_until=today)
    assert service.current_status(verification, today) == "valid"  # the last valid day
    assert service.current_status(verification, today + timedelta(days=1)) == "expired"
    assert verification.status == "valid"
    service.set_status(verification, "suspended", "复核中")
    assert service.current_status(verification, today + timedelta(days=1)) == "suspended"
    service.set_status(verification, "revoked", "证书信息有误")
    assert service.current_status(verification, today) == "revoked"


def test_status_changes_need_a_reason_are_audited_and_revocation_is_final(ctx):
    verification = service.issue("award", FACTS, region_code="3601")
    with pytest.raises(DomainError):
        service.set_status(verification, "revoked", "  ")
    with pytest.raises(DomainError):
        service.set_status(verification, "expired", "cannot be set")
    service.set_status(verification, "revoked", "重复发放")
    entry = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "document.status")).one()
    assert entry.details["to"] == "revoked" and entry.region_code == "3601"
    with pytest.raises(Conflict):
        service.set_status(verification, "valid", "恢复")


def test_issue_refuses_reversed_validity_and_empty_facts(ctx):
    with pytest.raises(DomainError):
        service.issue("award", FACTS, valid_from=date(2025, 1, 2), valid_until=date(2025, 1, 1))
    with pytest.raises(DomainError):
        service.issue("award", [])
    with pytest.raises(ValueError, match="kind"):
        service.issue("Award certificate", FACTS)


def test_find_ignores_malformed_codes(ctx):
    code = service.issue("award", FACTS).code
    assert service.find(code) is not None
    assert service.find("' OR 1=1 --") is None and service.find("") is None


def test_verify_url_is_absolute(app):
    with app.test_request_context():
        assert service.verify_url("abc_DEF-123") == "http://localhost/verify/abc_DEF-123"


# --- the public page -----------------------------------------------------------------

@pytest.fixture
def english(client):
    client.set_cookie("trainhub_lang", "en")
    return client


def test_valid_certificate_shows_its_facts_and_status(app, english):
    code = _issue(app, valid_until=local_today() + timedelta(days=30), region_code="360102")
    response = english.get(f"/verify/{code}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert "noindex" in response.headers["X-Robots-Tag"]
    assert RARE_NAME in page and NUMBER in page and "中式面点师（初级）" in page
    status = re.search(r'role="status"[^>]*>(.*?)</div>', page, re.S).group(1)
    assert "Status: Valid" in status and "✔" in status
    assert "360102" not in page  # the issuing scope is not shown


def test_expired_certificate_says_so(app, english):
    code = _issue(app, valid_until=local_today() - timedelta(days=1))
    page = english.get(f"/verify/{code}").get_data(as_text=True)
    assert "Status: Expired" in page and "has expired" in page
    assert "Status: Valid" not in page


def test_revoked_certificate_shows_the_reason(app, english):
    code = _issue(app, status="revoked", reason="培训记录经核查不实")
    page = english.get(f"/verify/{code}").get_data(as_text=True)
    assert "Status: Revoked" in page and "培训记录经核查不实" in page
    assert "no longer valid" in page


def test_suspended_certificate_shows_the_reason(app, english):
    code = _issue(app, status="suspended", reason="正在复核")
    page = english.get(f"/verify/{code}").get_data(as_text=True)
    assert "Status: Suspended" in page and "正在复核" in page


@pytest.mark.parametrize("code", ["A" * 24, "not-a-code!", "x"])
def test_unknown_code_is_a_clear_404(english, code):
    response = english.get(f"/verify/{code}")
    assert response.status_code == 404
    assert response.headers["Cache-Control"] == "no-store"
    assert "No certificate with this verification code exists" in response.get_data(
        as_text=True)


def test_typed_code_or_pasted_address_redirects_to_the_check(app, client):
    code = _issue(app)
    assert client.get("/verify").status_code == 200
    for typed in (code, f" {code} ", f"https://trainhub.example.cn/verify/{code}"):
        response = client.get("/verify", query_string={"code": typed})
        assert response.status_code == 302
        assert response.headers["Location"] == f"/verify/{code}"
    assert client.get("/verify", query_string={"code": "no good!"}).status_code == 400
    assert client.get("/verify", query_string={"code": ""}).status_code == 400


# --- PDFs ----------------------------------------------------------------------------

def test_fetcher_serves_only_the_static_folder(app):
    fetcher = pdf.StaticOnlyFetcher(app.static_folder)
    static = Path(app.static_folder)
    for url in ("http://example.com/x.png", "https://example.com/x.css",
                "file:///etc/passwd", f"{(static / 'css').as_uri()}/../../pyproject.toml",
                "file://evil.example/etc/passwd", "ftp://example.com/x"):
        with pytest.raises(pdf.ResourceRefused):
            fetcher.fetch(url)
    css = fetcher.fetch((static / "css" / "certificate.css").as_uri())
    assert b"@page" in css.read() and css.content_type == "text/css"
    assert fetcher.fetch("data:text/plain,ok").read() == b"ok"


def test_a_document_that_points_outside_static_fails_to_render(app, monkeypatch):
    page = '<html><body><img src="http://example.com/x.png" alt=""></body></html>'
    loader = ChoiceLoader([DictLoader({"remote.html": page}), app.jinja_env.loader])
    monkeypatch.setattr(app.jinja_env, "loader", loader)
    with app.test_request_context(), pytest.raises(pdf.ResourceRefused):
        pdf.render_pdf("remote.html")


def _certificate(app, **kwargs) -> tuple[bytes, str]:
    code = _issue(app, **kwargs)
    with app.test_request_context():
        verification = service.find(code)
        assert verification is not None
        return (pdf.render_certificate(verification, "Training completion certificate"),
                service.verify_url(code))


def _figure_alts(document: bytes) -> list[str]:
    """The alternative texts of the Figure elements in the PDF's structure tree."""
    alts: list[str] = []
    todo = [PdfReader(io.BytesIO(document)).trailer["/Root"]["/StructTreeRoot"]]
    while todo:
        node = todo.pop()
        if isinstance(node, list):
            todo.extend(node)
            continue
        node = node.get_object()
        if not hasattr(node, "get"):
            continue  # a marked-content id
        if node.get("/S") == "/Figure":
            alts.append(str(node.get("/Alt", "")))
        if "/K" in node:
            todo.append(node["/K"])
    return alts


def test_certificate_renders_rare_characters_with_real_glyphs(app, tmp_path):
    document, _url = _certificate(app)
    assert document.startswith(b"%PDF-")
    assert RARE_NAME in pdf_text(document, tmp_path)
    path = tmp_path / "doc.pdf"
    fonts = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True,
                           text=True).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts  # embedded
    assert_every_character_drawn(document, RARE_NAME + NUMBER)


def test_certificate_is_one_tagged_pdf_ua_page_with_title_and_language(app):
    document, _url = _certificate(app)
    reader = PdfReader(io.BytesIO(document))
    assert len(reader.pages) == 1
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in root
    assert b'pdfuaid:part="1"' in root["/Metadata"].get_data()
    assert root["/Lang"] == "zh-Hans" and root["/ViewerPreferences"]["/DisplayDocTitle"]


def test_the_glyph_check_catches_a_character_no_font_has(app, tmp_path):
    unsupported = "\U00030000"  # CJK Extension G: in no installed font
    document, _url = _certificate(app, facts=[("Name", f"王{unsupported}")])
    # The text layer still says the right thing; only the glyph check sees the box.
    assert unsupported in pdf_text(document, tmp_path)
    with pytest.raises(AssertionError, match="U\\+30000"):
        assert_every_character_drawn(document, f"王{unsupported}")


def test_the_printed_qr_code_leads_to_the_check_page(app, client, tmp_path):
    document, url = _certificate(app)
    assert qr_codes(document, tmp_path) == [url]
    assert any(url in alt for alt in _figure_alts(document))  # screen readers hear it
    assert url in pdf_text(document, tmp_path).replace("\n", "")
    response = client.get(url.removeprefix("http://localhost"))
    assert response.status_code == 200 and RARE_NAME in response.get_data(as_text=True)
