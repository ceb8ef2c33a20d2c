"""Evidence files of the applications: a small PDF and a PNG per submitted application,
stored like core.files.store_upload stores an upload (the app's storage, a random hex key,
the SHA-256 of the content), so that the review pages can open them."""

from __future__ import annotations

import hashlib
import struct
import zlib
from datetime import datetime
from typing import Any

from trainhub.bases.models import EvidenceFile
from trainhub.cli.province.bulk import Bulk
from trainhub.cli.province.world import World
from trainhub.core.storage import storage


def _pdf() -> bytes:
    """A one-page PDF with a valid cross-reference table."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def _png(width: int = 8, height: int = 8) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    rows = b"".join(b"\x00" + b"\x9c\xc3\xe6" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
            + chunk(b"IEND", b""))


FILES = (("营业执照及登记证书.pdf", "application/pdf", _pdf()),
         ("培训场地及无障碍设施照片.png", "image/png", _png()))


class Evidence:
    table = EvidenceFile.__table__

    def __init__(self, world: World, bulk: Bulk) -> None:
        self.world, self.bulk = world, bulk
        self.rng = world.rng("evidence")
        self.storage = storage()
        self.written = 0

    def attach(self, rows: dict[str, list[dict[str, Any]]], application_id: int,
               uploaded_by: int, at: datetime) -> None:
        for original, content_type, data in FILES:
            key = self.rng.randbytes(16).hex()
            self.storage.put(key, data, content_type)
            self.written += 1
            rows["base_evidence_files"].append({
                "id": self.bulk.next_id(self.table),
                "application_id": application_id, "review_id": None, "storage_key": key,
                "original_name": original, "content_type": content_type, "size": len(data),
                "sha256": hashlib.sha256(data).hexdigest(), "uploaded_by_id": uploaded_by,
                "uploaded_at": at})
