"""Excel imports with the upload kept in S3-compatible storage (a local moto server): the
request stores the workbook, the worker (any host) reads it from the bucket, and it is
deleted once the job has run (its rows hold personal data)."""

from __future__ import annotations

import io

import pytest

from tests.training import builders
from tests.training.conftest import TODAY
from tests.training.excel_files import trainee_rows, workbook
from trainhub.extensions import db
from trainhub.training import import_jobs


@pytest.fixture
def bucket(app, s3, monkeypatch):
    name = s3.new_bucket()
    for setting, value in s3.config(name, prefix="imports").items():
        monkeypatch.setitem(app.config, setting, value)
    return name


def _objects(s3, bucket: str) -> list[str]:
    return [o["Key"] for o in s3.client().list_objects_v2(Bucket=bucket).get("Contents", [])]


def test_the_worker_reads_the_upload_from_the_bucket(world, s3, bucket):
    batch = builders.batch(world.base, world.staff, TODAY, status="enrolling")
    job = import_jobs.start_import(batch, io.BytesIO(workbook(trainee_rows(2))), "名单.xlsx",
                                   world.staff, consented=True)
    db.session.commit()
    assert _objects(s3, bucket) == [f"imports/{job.storage_key}"]
    head = s3.client().head_object(Bucket=bucket, Key=f"imports/{job.storage_key}")
    assert head["ContentType"].endswith("spreadsheetml.sheet")
    import_jobs.run_import(job.id)
    db.session.refresh(job)
    assert (job.status, job.imported) == ("done", 2)
    assert _objects(s3, bucket) == []


def test_an_upload_missing_from_the_bucket_stops_the_job_with_a_message(world, s3, bucket):
    batch = builders.batch(world.base, world.staff, TODAY, status="enrolling")
    job = import_jobs.start_import(batch, io.BytesIO(workbook(trainee_rows(1))), "名单.xlsx",
                                   world.staff, consented=True)
    db.session.commit()
    s3.client().delete_object(Bucket=bucket, Key=f"imports/{job.storage_key}")
    import_jobs.run_import(job.id)
    db.session.refresh(job)
    assert job.status == "error" and job.errors[0]["message"] == import_jobs.MISSING_FILE
