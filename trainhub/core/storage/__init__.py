"""Stored files behind one interface (base.Storage): the local folder by default, or
S3-compatible object storage, as the configuration's STORAGE_URL says (url.py).

`storage()` is the current app's storage, built once per app on first use: web processes
on several hosts and the RQ workers then all read and write the same files, and no process
keeps a file of its own."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import current_app

from trainhub.core.storage.base import Missing, Storage, checked_key
from trainhub.core.storage.local import LocalStorage
from trainhub.core.storage.s3 import S3Settings, S3Storage
from trainhub.core.storage.url import LocalPlace, check_addressing_style, parse

__all__ = ["LocalStorage", "Missing", "S3Storage", "Storage", "checked_key", "from_config",
           "storage"]

EXTENSION = "trainhub.storage"
SETTINGS = ("STORAGE_URL", "UPLOAD_FOLDER", "S3_ENDPOINT_URL", "S3_REGION", "S3_ADDRESSING_STYLE",
            "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY", "S3_OBJECT_ACL")


def from_config(config: Mapping[str, Any], instance_path: str | Path) -> Storage:
    url = config.get("STORAGE_URL")
    if not url:  # today's behaviour: UPLOAD_FOLDER, else instance/uploads
        return LocalStorage(Path(config.get("UPLOAD_FOLDER") or Path(instance_path) / "uploads"))
    place = parse(str(url))
    if isinstance(place, LocalPlace):
        return LocalStorage(place.folder)
    return S3Storage(S3Settings(
        bucket=place.bucket, prefix=place.prefix,
        endpoint_url=config.get("S3_ENDPOINT_URL") or None,
        region=config.get("S3_REGION") or None,
        addressing_style=check_addressing_style(config.get("S3_ADDRESSING_STYLE") or "auto"),
        access_key_id=config.get("S3_ACCESS_KEY_ID") or None,
        secret_access_key=config.get("S3_SECRET_ACCESS_KEY") or None,
        object_acl=str(config.get("S3_OBJECT_ACL", "private") or "")))


def storage() -> Storage:
    """The app's storage; made again only if its settings changed (a test's override)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    settings = tuple(app.config.get(name) for name in SETTINGS)
    kept = app.extensions.get(EXTENSION)
    if kept is None or kept[0] != settings:
        kept = app.extensions[EXTENSION] = (settings, from_config(app.config, app.instance_path))
    return kept[1]
