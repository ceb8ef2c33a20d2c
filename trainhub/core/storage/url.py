"""Where uploaded and generated files are kept, as STORAGE_URL names it: pure parsing, no
Flask and no boto3, so the configuration check (trainhub.config) can use it.

    file:///srv/trainhub/uploads     a local folder (shared by NFS when several hosts serve)
    s3://bucket/some/prefix          S3-compatible object storage (MinIO, Aliyun OSS,
                                     Huawei OBS) at S3_ENDPOINT_URL
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

# Bucket names as S3 (and OSS, OBS) accept them: 3-63 lower-case letters, digits, dots
# and hyphens.
BUCKET_RE = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
ADDRESSING_STYLES = ("auto", "path", "virtual")


class StorageURLError(ValueError):
    """STORAGE_URL or one of the S3_* settings cannot be used."""


@dataclass(frozen=True)
class LocalPlace:
    folder: Path


@dataclass(frozen=True)
class S3Place:
    bucket: str
    prefix: str  # "" or ending in "/"


def parse(url: str) -> LocalPlace | S3Place:
    parts = urlsplit(url.strip())
    if parts.scheme == "file":
        if parts.netloc not in ("", "localhost") or not parts.path.startswith("/"):
            raise StorageURLError(f"STORAGE_URL={url!r}: a folder is file:///absolute/path")
        return LocalPlace(Path(unquote(parts.path)))
    if parts.scheme == "s3":
        if not BUCKET_RE.fullmatch(parts.netloc) or parts.query or parts.fragment:
            raise StorageURLError(f"STORAGE_URL={url!r}: object storage is "
                                  "s3://bucket or s3://bucket/prefix")
        prefix = parts.path.strip("/")
        return S3Place(parts.netloc, f"{prefix}/" if prefix else "")
    raise StorageURLError(f"STORAGE_URL={url!r} is neither file:///path nor s3://bucket/prefix")


def check_addressing_style(style: str) -> str:
    if style not in ADDRESSING_STYLES:
        raise StorageURLError(f"S3_ADDRESSING_STYLE={style!r} is not one of "
                              f"{', '.join(ADDRESSING_STYLES)}")
    return style
