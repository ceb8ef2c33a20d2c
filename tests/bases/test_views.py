"""The pages of the workflow through the test client: upload, review with photos, files."""

from __future__ import annotations

import io

from sqlalchemy import select

from tests.bases.builders import PDF, build
from tests.conftest import csrf_token, post_form, sign_in
from trainhub.bases.models import Base, BaseApplication, EvidenceFile, Review
from trainhub.extensions import db

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64 + b"\xff\xd9"


def test_review_with_inspection_photos(app, client, make):
    ids = build(app, make, "in_review")
    sign_in(client, make.user("federation_officer", region_code="360102"))
    page = f"/bases/applications/{ids['in_review']}"
    response = client.post(f"{page}/review", data={
        "csrf_token": csrf_token(client, page), "decision": "recommend", "comments": "",
        "inspected_on": "2026-01-05", "inspectors": "张伟、李红", "findings": "无障碍通道完好",
        "photos": [(io.BytesIO(JPEG), "现场.jpg")]}, content_type="multipart/form-data")
    assert response.status_code == 302
    with app.app_context():
        review = db.session.scalars(select(Review)).one()
        assert review.inspectors == "张伟、李红" and review.findings == "无障碍通道完好"
        photo = db.session.scalars(select(EvidenceFile).where(
            EvidenceFile.review_id == review.id)).one()
        assert photo.original_name == "现场.jpg" and photo.content_type == "image/jpeg"
    download = client.get(f"/bases/evidence/{photo.id}")
    assert download.status_code == 200 and download.data == JPEG
    assert "attachment" in download.headers["Content-Disposition"]


def test_a_fake_photo_refuses_the_whole_review(app, client, make):
    ids = build(app, make, "in_review")
    sign_in(client, make.user("federation_officer", region_code="360102"))
    page = f"/bases/applications/{ids['in_review']}"
    client.post(f"{page}/review", data={
        "csrf_token": csrf_token(client, page), "decision": "recommend", "comments": "",
        "photos": [(io.BytesIO(PDF), "照片.jpg")]}, content_type="multipart/form-data")
    with app.app_context():
        assert db.session.scalars(select(Review)).all() == []
        assert db.session.get(BaseApplication, ids["in_review"]).current_level == "county"


def test_evidence_upload_refuses_an_executable_with_a_clear_message(app, client, make):
    institution = make.institution("360102")
    ids = build(app, make, "draft")
    with app.app_context():
        owner = db.session.get(BaseApplication, ids["draft"]).institution_id
    staff = make.user("institution_staff", institution_id=owner)
    assert institution  # another institution exists; the draft belongs to `owner`
    sign_in(client, staff)
    page = f"/bases/applications/{ids['draft']}"
    response = client.post(f"{page}/evidence", data={
        "csrf_token": csrf_token(client, page),
        "file": (io.BytesIO(b"MZ\x90\x00" + b"\x00" * 60), "营业执照.pdf")},
        content_type="multipart/form-data", follow_redirects=True)
    assert "PDF" in response.get_data(as_text=True)
    with app.app_context():
        assert len(db.session.scalars(select(EvidenceFile)).all()) == 1  # the builder's only


def test_certificate_pdf_downloads(app, client, make):
    ids = build(app, make, "base")
    sign_in(client, make.user("federation_officer", region_code="3601"))
    response = client.get(f"/bases/{ids['base']}/certificate.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")


def test_a_photo_is_added_to_a_past_review_on_its_page(app, client, make):
    ids = build(app, make, "notice")     # the county has recommended; the notice is open
    page = f"/bases/applications/{ids['notice']}"
    prefix = f"review{ids['review']}"
    sign_in(client, make.user("federation_officer", region_code="3601"))
    assert f'id="{prefix}-photo"' not in client.get(page).get_data(as_text=True)
    client.post("/logout", data={"csrf_token": csrf_token(client, page)})

    sign_in(client, make.user("federation_officer", region_code="360102"))
    assert f'id="{prefix}-photo"' in client.get(page).get_data(as_text=True)
    url = f"{page}/reviews/{ids['review']}/photos"
    fake = client.post(url, data={
        f"{prefix}-csrf_token": csrf_token(client, page),
        f"{prefix}-photo": (io.BytesIO(b"MZ\x90\x00" + b"\x00" * 60), "补拍.jpg")},
        content_type="multipart/form-data", follow_redirects=True)
    assert "JPEG" in fake.get_data(as_text=True)
    added = client.post(url, data={
        f"{prefix}-csrf_token": csrf_token(client, page),
        f"{prefix}-photo": (io.BytesIO(JPEG), "补拍.jpg")}, content_type="multipart/form-data")
    assert added.status_code == 302
    with app.app_context():
        photos = db.session.scalars(select(EvidenceFile).where(
            EvidenceFile.review_id == ids["review"])).all()
        assert [p.original_name for p in photos] == ["补拍.jpg"]
    assert "补拍.jpg" in client.get(page).get_data(as_text=True)


def test_suspending_and_revoking_a_base_ask_first_and_say_what_will_happen(app, client, make):
    ids = build(app, make, "base")
    sign_in(client, make.user("federation_officer", region_code="3601"))
    suspend = f"/bases/{ids['base']}/suspend"
    asked = post_form(client, suspend, {"reason": "年度考核整改期间"})
    page = asked.get_data(as_text=True)
    assert asked.status_code == 200 and "暂停基地" in page and "无法撤销" in page
    assert "年度考核整改期间</textarea>" in page and 'name="confirmed" value="1"' in page
    assert f'href="/bases/{ids["base"]}"' in page
    with app.app_context():
        assert db.session.get(Base, ids["base"]).status == "valid"
    emptied = post_form(client, suspend, {"reason": "", "confirmed": "1"})
    assert emptied.status_code == 400 and 'aria-invalid="true"' in emptied.get_data(as_text=True)
    assert post_form(client, suspend, {"reason": "年度考核整改期间",
                                       "confirmed": "1"}).status_code == 302
    with app.app_context():
        assert db.session.get(Base, ids["base"]).status == "suspended"
    revoke = f"/bases/{ids['base']}/revoke"
    asked = post_form(client, revoke, {"reason": "整改不合格"})
    assert asked.status_code == 200 and "永久撤销" in asked.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Base, ids["base"]).status == "suspended"
    post_form(client, revoke, {"reason": "整改不合格", "confirmed": "1"})
    with app.app_context():
        assert db.session.get(Base, ids["base"]).status == "revoked"


def test_the_list_of_bases_comes_a_page_at_a_time(app, make, client, monkeypatch):
    """A province's 400 bases are listed a page at a time, the caption counting them all."""
    import re

    from tests.bases.builders import build
    from tests.conftest import sign_in
    from trainhub.bases import base_views

    build(app, make, "base", "incubator")
    monkeypatch.setattr(base_views, "PAGE_SIZE", 1)
    sign_in(client, make.user("federation_officer", region_code="36"))
    pages = [client.get(f"/bases/?page={n}").get_data(as_text=True) for n in (1, 2)]
    listed = [re.findall(r'href="/bases/(\d+)"', page) for page in pages]
    assert all("共 2 个已认定基地" in page for page in pages)
    assert len(listed[0]) == len(listed[1]) == 1 and listed[0] != listed[1]
    assert "?page=2" in pages[0] and "?page=1" in pages[1]
