"""A local S3 server (moto's ThreadedMotoServer on 127.0.0.1, a free port), started once per
test session by the `s3` fixture of tests/conftest.py; each test takes a new bucket."""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import boto3
from moto.server import ThreadedMotoServer

REGION = "cn-north-1"
# moto accepts any keys; the app is given them as a deployment would be.
KEYS = {"S3_ACCESS_KEY_ID": "trainhub-test", "S3_SECRET_ACCESS_KEY": "trainhub-test-secret"}
_buckets = itertools.count(1)


@dataclass
class LocalS3:
    endpoint_url: str

    @functools.cached_property
    def _client(self) -> Any:
        return boto3.session.Session().client(
            "s3", endpoint_url=self.endpoint_url, region_name=REGION,
            aws_access_key_id=KEYS["S3_ACCESS_KEY_ID"],
            aws_secret_access_key=KEYS["S3_SECRET_ACCESS_KEY"])

    def client(self) -> Any:
        return self._client

    def new_bucket(self) -> str:
        name = f"trainhub-test-{next(_buckets)}"
        self.client().create_bucket(Bucket=name, CreateBucketConfiguration={
            "LocationConstraint": REGION})
        return name

    def config(self, bucket: str, prefix: str = "uploads") -> dict[str, str]:
        """The app's settings for that bucket, path-style as MinIO is usually addressed."""
        return {"STORAGE_URL": f"s3://{bucket}/{prefix}", "S3_ENDPOINT_URL": self.endpoint_url,
                "S3_REGION": REGION, "S3_ADDRESSING_STYLE": "path", **KEYS}


def running() -> Iterator[LocalS3]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield LocalS3(f"http://{host}:{port}")
    finally:
        server.stop()
