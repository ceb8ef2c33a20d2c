"""Checks of rendered PDFs shared by the document tests: the text layer (poppler's
pdftotext), whether every character is drawn with a real glyph of an embedded font (not
the .notdef box), and the QR codes printed on a page (poppler's pdftoppm, then zxing)."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import zxingcpp
from fontTools.pens.boundsPen import BoundsPen
from fontTools.ttLib import TTFont
from PIL import Image
from pypdf import PdfReader


def pdf_text(document: bytes, tmp_path: Path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(document)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


def _drawn_glyphs(document: bytes) -> dict[str, list[bool]]:
    """Each text a drawn glyph stands for → for every such glyph, whether the embedded
    font program really has it (not .notdef, and with an outline)."""
    drawn: dict[str, list[bool]] = {}
    for page in PdfReader(io.BytesIO(document)).pages:
        for font in page["/Resources"]["/Font"].values():
            for text, ok in _font_glyphs(font.get_object()):
                drawn.setdefault(text, []).append(ok)
    return drawn


def _font_glyphs(font) -> list[tuple[str, bool]]:
    cid_font = font["/DescendantFonts"][0].get_object()
    assert cid_font.get("/CIDToGIDMap") == "/Identity"
    descriptor = cid_font["/FontDescriptor"].get_object()
    program = next(descriptor[k] for k in ("/FontFile2", "/FontFile3") if k in descriptor)
    embedded = TTFont(io.BytesIO(program.get_object().get_data()))
    to_unicode = font["/ToUnicode"].get_object().get_data().decode("latin-1")
    assert "beginbfrange" not in to_unicode  # WeasyPrint writes single mappings only
    to_cid = _encoding(font)
    result = []
    for block in re.findall(r"beginbfchar(.*?)endbfchar", to_unicode, re.S):
        for code, utf16 in re.findall(r"<([0-9a-f]+)>\s*<([0-9a-f]+)>", block, re.I):
            text = bytes.fromhex(utf16).decode("utf-16-be")
            result.append((text, _has_outline(embedded, to_cid(int(code, 16)))))
    return result


def _encoding(font):
    encoding = font["/Encoding"]
    if encoding == "/Identity-H":
        return lambda code: code
    stream = encoding.get_object().get_data().decode("latin-1")
    assert "begincidrange" not in stream
    table = {int(code, 16): int(cid)
             for code, cid in re.findall(r"<([0-9a-f]+)>\s+(\d+)", stream, re.I)}
    return lambda code: table.get(code, 0)


def _has_outline(embedded: TTFont, gid: int) -> bool:
    order = embedded.getGlyphOrder()
    if gid == 0 or gid >= len(order):
        return False  # .notdef: the box readers see for a missing character
    pen = BoundsPen(embedded.getGlyphSet())
    embedded.getGlyphSet()[order[gid]].draw(pen)
    return pen.bounds is not None


def assert_every_character_drawn(document: bytes, text: str) -> None:
    drawn = _drawn_glyphs(document)
    missing = [f"{c} U+{ord(c):04X}" for c in text if not drawn.get(c) or not all(drawn[c])]
    assert not missing, f"drawn as .notdef or not at all: {missing}"




def qr_codes(document: bytes, tmp_path: Path) -> list[str]:
    """The texts of the QR codes on the first page, read from a 150 dpi rendering."""
    (tmp_path / "qr.pdf").write_bytes(document)
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", str(tmp_path / "qr.pdf"),
                    str(tmp_path / "qr")], check=True)
    with Image.open(tmp_path / "qr.png") as image:
        return [barcode.text for barcode in zxingcpp.read_barcodes(image)]
