"""Uploaded files: type decided by content, size-limited, stored under generated names in
the app's storage (trainhub.core.storage: a private local folder or private objects in
S3-compatible storage), served only through views that have checked the permission."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from urllib.parse import quote

from flask import Response, send_file

from trainhub.core.errors import N_, DomainError
from trainhub.core.storage import LocalStorage, Missing, storage

# Magic numbers: the first bytes decide, never the file name or the browser's claim.
SIGNATURES = {
    "application/pdf": (b"%PDF-",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
}
EVIDENCE_TYPES = frozenset(SIGNATURES)
PHOTO_TYPES = frozenset({"image/jpeg", "image/png"})


class UploadRejected(DomainError):
    pass


@dataclass(frozen=True)
class StoredUpload:
    storage_key: str
    original_name: str
    content_type: str
    size: int
    sha256: str


def sniff_type(head: bytes) -> str | None:
    for content_type, signatures in SIGNATURES.items():
        if any(head.startswith(sig) for sig in signatures):
            return content_type
    return None


def _looks_complete(content_type: str, data: bytes) -> bool:
    """A renamed or truncated file often has the right first bytes but no proper end."""
    tail = data[-1024:]
    if content_type == "application/pdf":
        return b"%%EOF" in tail
    if content_type == "image/jpeg":
        return data.rstrip(b"\x00").endswith(b"\xff\xd9")
    if content_type == "image/png":
        return b"IEND" in tail
    return False


class NotLocal(RuntimeError):
    """The files are kept in object storage, not in a folder of this machine."""


def _local() -> LocalStorage:
    kept = storage()
    if not isinstance(kept, LocalStorage):
        raise NotLocal(f"uploaded files are kept in {kept.description}, not in a local "
                       "folder: use trainhub.core.storage.storage() (keys, get, put)")
    return kept


def upload_folder() -> Path:
    """The local upload folder, created 0700. Only for a local folder."""
    return _local().ensure_folder()


def stored_keys() -> list[str]:
    """The key of every stored file, wherever the storage is (backups, checks)."""
    return list(storage().keys())


def _clean_name(name: str) -> str:
    """Keep the Chinese name for display; drop any path and control characters."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return name[:200] or "file"


def store_upload(stream: BinaryIO, filename: str, *, max_bytes: int,
                 allowed: frozenset[str] = EVIDENCE_TYPES) -> StoredUpload:
    """Check and store one upload; raises UploadRejected with a message for the user."""
    data = stream.read(max_bytes + 1)
    if not data:
        raise UploadRejected(N_("The file is empty."))
    if len(data) > max_bytes:
        raise UploadRejected(N_("The file is larger than %(limit)s MB."),
                             limit=max_bytes // (1024 * 1024))
    content_type = sniff_type(data[:16])
    if content_type not in allowed or not _looks_complete(content_type, data):
        raise UploadRejected(N_("Only PDF, JPEG or PNG files are accepted; this file's "
                                "content is not one of them, whatever its name says."))
    key = secrets.token_hex(16)
    storage().put(key, data, content_type)
    return StoredUpload(storage_key=key, original_name=_clean_name(filename),
                        content_type=content_type, size=len(data),
                        sha256=hashlib.sha256(data).hexdigest())


def discard(storage_key: str) -> None:
    """Remove a stored file whose database row was rolled back."""
    storage().delete(storage_key)


def send_stored(storage_key: str, original_name: str, content_type: str) -> Response:
    """The file as an attachment, read by the app from its storage (never a redirect to a
    storage URL: the caller has checked the permission, the storage does not)."""
    try:
        stream = storage().open(storage_key)
    except Missing:
        raise DomainError(N_("The file is missing from storage.")) from None
    response = send_file(stream, mimetype=content_type, as_attachment=True,
                         download_name=original_name, max_age=0, etag=False)
    # RFC 6266/5987: the Chinese name survives in every current browser.
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"{quote(original_name)}\"; "
        f"filename*=UTF-8''{quote(original_name)}"
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
