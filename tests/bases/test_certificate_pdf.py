"""The base certificate of an institution whose name needs rare characters (欧阳䶮𬱖: 䶮 is in
CJK Extension A, 𬱖 in Extension E), rendered through the real certification: every
character is drawn with a real glyph of an embedded font, and the printed QR code decodes
to the verification address, whose page states the certified facts."""

from __future__ import annotations

from flask import Flask

from tests.bases.conftest import certified
from tests.pdf_checks import assert_every_character_drawn, pdf_text, qr_codes
from trainhub.bases import certification
from trainhub.core.documents import service as documents
from trainhub.extensions import db

RARE_NAME = "欧阳䶮𬱖盲人按摩培训学校"


def test_a_rare_character_name_is_drawn_and_the_qr_leads_to_the_verification(
        app: Flask, client, world, tmp_path):
    world.institution.name = RARE_NAME
    base = certified(world)
    db.session.commit()
    with app.test_request_context():
        document = certification.certificate_pdf(base)
        url = documents.verify_url(base.verification_code)
    text = pdf_text(document, tmp_path).replace(" ", "")
    assert RARE_NAME in text and base.certificate_number in text
    assert_every_character_drawn(document, RARE_NAME + base.certificate_number)
    assert qr_codes(document, tmp_path) == [url]
    page = client.get(url.removeprefix("http://localhost")).get_data(as_text=True)
    assert RARE_NAME in page and base.certificate_number in page
