"""Evidence kept in S3-compatible storage (a local moto server) instead of the folder: the
same upload, download and removal through the API, the objects private in the bucket."""

from __future__ import annotations

import pytest

from tests.bases.builders import PDF
from tests.bases.test_api import API, _new, _upload
from trainhub.core.storage import S3Storage, storage


@pytest.fixture
def bucket(app, s3, monkeypatch):
    name = s3.new_bucket()
    for setting, value in s3.config(name, prefix="evidence").items():
        monkeypatch.setitem(app.config, setting, value)
    return name


def test_evidence_goes_through_object_storage(app, client, actors, s3, bucket):
    created = client.post(f"{API}/base-applications", headers=actors.staff, json=_new(app))
    url = f"{API}/base-applications/{created.json['id']}/evidence"
    uploaded = _upload(client, created.json["id"], actors.staff)
    assert uploaded.status_code == 201, uploaded.json
    objects = s3.client().list_objects_v2(Bucket=bucket)["Contents"]
    assert [o["Key"].split("/")[0] for o in objects] == ["evidence"]
    with app.app_context():
        kept = storage()
        assert isinstance(kept, S3Storage) and kept.public_grants() == []

    answer = client.get(f"{url}/{uploaded.json['id']}", headers=actors.staff)
    assert answer.status_code == 200 and answer.data == PDF
    assert answer.headers["Content-Type"] == "application/pdf"
    assert "attachment" in answer.headers["Content-Disposition"]
    assert "Location" not in answer.headers  # read through the app, never redirected

    gone = client.delete(f"{url}/{uploaded.json['id']}", headers=actors.staff)
    assert gone.status_code == 204
    assert s3.client().list_objects_v2(Bucket=bucket).get("Contents", []) == []


def test_a_file_missing_from_the_bucket_is_a_400(app, client, actors, s3, bucket):
    created = client.post(f"{API}/base-applications", headers=actors.staff, json=_new(app))
    uploaded = _upload(client, created.json["id"], actors.staff)
    key = s3.client().list_objects_v2(Bucket=bucket)["Contents"][0]["Key"]
    s3.client().delete_object(Bucket=bucket, Key=key)
    answer = client.get(f"{API}/base-applications/{created.json['id']}/evidence/"
                        f"{uploaded.json['id']}", headers=actors.staff)
    assert answer.status_code == 400
