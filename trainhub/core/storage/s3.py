"""Objects in S3-compatible storage (MinIO, Aliyun OSS, Huawei OBS, AWS S3) through boto3:
STORAGE_URL=s3://bucket/prefix, S3_ENDPOINT_URL, S3_REGION, S3_ADDRESSING_STYLE, and the
keys from S3_ACCESS_KEY_ID / S3_SECRET_ACCESS_KEY (or boto3's own AWS_* variables).

Every object is written with a private ACL and read by the application, which has checked
the reader's permission; no object is ever given out by URL, public or presigned."""

from __future__ import annotations

import io
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

from trainhub.core.storage.base import KEY_RE, Missing, checked_key

# Grantees whose presence in a bucket's ACL makes its objects readable by others.
PUBLIC_GRANTEES = ("http://acs.amazonaws.com/groups/global/AllUsers",
                   "http://acs.amazonaws.com/groups/global/AuthenticatedUsers")
NOT_FOUND = frozenset({"NoSuchKey", "404", "NotFound"})


@dataclass(frozen=True)
class S3Settings:
    bucket: str
    prefix: str
    endpoint_url: str | None = None
    region: str | None = None
    addressing_style: str = "auto"
    access_key_id: str | None = None
    secret_access_key: str | None = None
    # "private" on every PUT; "" for a bucket that refuses ACLs (objects are then private
    # by the bucket's own policy, which must block public access).
    object_acl: str = "private"


_sessions: dict[int, Any] = {}  # one boto3 session per process: it caches the S3 model
_sessions_lock = threading.Lock()


def make_client(settings: S3Settings) -> Any:
    import boto3  # only a deployment on object storage pays for importing it
    from botocore.config import Config

    with _sessions_lock:  # a session is not thread-safe: clients are made one at a time
        session = _sessions.setdefault(os.getpid(), boto3.session.Session())
        return session.client(
            "s3", endpoint_url=settings.endpoint_url, region_name=settings.region,
            aws_access_key_id=settings.access_key_id,
            aws_secret_access_key=settings.secret_access_key,
            config=Config(s3={"addressing_style": settings.addressing_style},
                          retries={"max_attempts": 3, "mode": "standard"},
                          connect_timeout=5, read_timeout=30))


class S3Storage:
    def __init__(self, settings: S3Settings) -> None:
        self.settings = settings
        self._client: Any = None
        self._pid = 0
        self._lock = threading.Lock()

    @property
    def description(self) -> str:
        where = self.settings.endpoint_url or "the default endpoint"
        return f"s3://{self.settings.bucket}/{self.settings.prefix} at {where}"

    @property
    def client(self) -> Any:
        """One client per process, made on first use: gunicorn forks its workers from a
        preloaded app, and a client's connection pool must not be shared across a fork."""
        with self._lock:
            if self._client is None or self._pid != os.getpid():
                self._client, self._pid = make_client(self.settings), os.getpid()
            return self._client

    def _name(self, key: str) -> str:
        return self.settings.prefix + checked_key(key)

    def put(self, key: str, data: bytes, content_type: str = "application/octet-stream",
            ) -> None:
        extra = {"ACL": self.settings.object_acl} if self.settings.object_acl else {}
        self.client.put_object(Bucket=self.settings.bucket, Key=self._name(key), Body=data,
                               ContentType=content_type, **extra)

    def get(self, key: str) -> bytes:
        try:
            answer = self.client.get_object(Bucket=self.settings.bucket, Key=self._name(key))
        except self.client.exceptions.ClientError as error:
            raise _missing_or(error, key) from None
        with answer["Body"] as body:
            return bytes(body.read())

    def open(self, key: str) -> BinaryIO:
        # Stored files are at most MAX_CONTENT_LENGTH (20 MB): read whole, so a response
        # has a length and the connection is never held by a slow client.
        return io.BytesIO(self.get(key))

    def exists(self, key: str) -> bool:
        try:
            self.client.head_object(Bucket=self.settings.bucket, Key=self._name(key))
        except self.client.exceptions.ClientError as error:
            if _code(error) in NOT_FOUND:
                return False
            raise
        return True

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.settings.bucket, Key=self._name(key))

    def keys(self) -> Iterator[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.settings.bucket, Prefix=self.settings.prefix)
        for page in pages:
            for item in page.get("Contents", ()):
                key = item["Key"][len(self.settings.prefix):]
                if KEY_RE.fullmatch(key):
                    yield key

    def public_grants(self) -> list[str]:
        """The bucket's grants to everyone or to any signed-in cloud user: must be none."""
        acl = self.client.get_bucket_acl(Bucket=self.settings.bucket)
        return [f"{grant['Grantee'].get('URI')}: {grant['Permission']}"
                for grant in acl.get("Grants", ())
                if grant.get("Grantee", {}).get("URI") in PUBLIC_GRANTEES]


def _code(error: Exception) -> str:
    return str(getattr(error, "response", {}).get("Error", {}).get("Code", ""))


def _missing_or(error: Exception, key: str) -> Exception:
    return Missing(f"{key} is not in the bucket") if _code(error) in NOT_FOUND else error
