"""QR codes and document dates (no app needed)."""

from __future__ import annotations

import io
from datetime import date

import pytest
from PIL import Image

from trainhub.core.documents.pdf import chinese_date, qr_code, qr_svg

zxingcpp = pytest.importorskip("zxingcpp")

URLS = [
    "http://localhost/verify/Qiayc_BasshucQ7ke4iA4wnI",
    "https://trainhub.jxdpf.org.cn/verify/" + "A-b_" * 16,  # the longest code allowed
]


@pytest.mark.parametrize("url", URLS)
def test_qr_code_decodes_back_to_the_url(url):
    buffer = io.BytesIO()
    qr_code(url).save(buffer, kind="png", scale=4, border=4)
    buffer.seek(0)
    with Image.open(buffer) as image:
        found = zxingcpp.read_barcodes(image)
    assert [barcode.text for barcode in found] == [url]
    assert found[0].format == zxingcpp.BarcodeFormat.QRCode  # never a Micro QR


def test_qr_svg_is_inline_markup_sized_by_css():
    markup = qr_svg(URLS[0])
    assert markup.startswith("<svg") and markup.rstrip().endswith("</svg>")
    assert 'class="qr"' in markup and "viewBox" in markup
    assert "<?xml" not in markup and "width=" not in markup.split(">", 1)[0]
    assert "<script" not in markup


def test_chinese_date():
    assert chinese_date(date(2024, 3, 5)) == "2024年3月5日"
    assert chinese_date(date(2026, 12, 31)) == "2026年12月31日"
