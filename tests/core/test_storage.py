"""Stored files through one interface, in a local folder and in S3-compatible storage (a
local moto server): the same behaviour, and nothing readable by anyone but the app."""

from __future__ import annotations

import stat
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from trainhub.config import ConfigError, load_config
from trainhub.core.backup import BackupRefused
from trainhub.core.backup.service import copy_files, put_files
from trainhub.core.storage import LocalStorage, Missing, S3Storage, from_config
from trainhub.core.storage.s3 import S3Settings
from trainhub.core.storage.url import LocalPlace, S3Place, StorageURLError, parse

PDF = b"%PDF-1.4 evidence %%EOF"


@pytest.fixture(params=["local", "s3"])
def kept(request, tmp_path):
    if request.param == "local":
        return LocalStorage(tmp_path / "uploads")
    s3 = request.getfixturevalue("s3")
    return from_config(s3.config(s3.new_bucket()), tmp_path)


def test_put_get_open_keys_delete(kept):
    assert list(kept.keys()) == []
    kept.put("a1", PDF, "application/pdf")
    kept.put("b2", b"x")
    assert kept.get("a1") == PDF
    with kept.open("b2") as stream:
        assert stream.read() == b"x"
    assert (kept.exists("a1"), kept.exists("c3")) == (True, False)
    assert list(kept.keys()) == ["a1", "b2"]
    kept.delete("a1")
    kept.delete("a1")  # already gone: not an error (a rollback's clean-up may repeat)
    assert list(kept.keys()) == ["b2"]
    with pytest.raises(Missing):
        kept.get("a1")
    with pytest.raises(FileNotFoundError):  # what callers of the local folder caught
        kept.open("a1")


@pytest.mark.parametrize("key", ["", "../x", "a/b", ".hidden", "a b", "x" * 129])
def test_a_key_never_names_anything_outside(kept, key):
    with pytest.raises(ValueError, match="not a storage key"):
        kept.put(key, b"x")


def test_local_files_are_0600_in_a_0700_folder(tmp_path):
    folder = tmp_path / "uploads"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)  # an older installation's folder, made with the umask
    kept = LocalStorage(folder)
    kept.put("a1", PDF)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / "a1").stat().st_mode) == 0o600
    (folder / ".partial").write_bytes(b"")  # not a key: never listed (backups)
    assert list(kept.keys()) == ["a1"]
    (folder / "a1").chmod(0o644)
    kept.put("a1", b"again")  # replaced whole, as a PUT replaces an object
    assert kept.get("a1") == b"again"
    assert stat.S_IMODE((folder / "a1").stat().st_mode) == 0o600
    assert sorted(p.name for p in folder.iterdir()) == [".partial", "a1"]


def test_objects_are_private_and_not_served_by_url(s3, tmp_path):
    bucket = s3.new_bucket()
    kept = from_config(s3.config(bucket, prefix="th/files"), tmp_path)
    assert isinstance(kept, S3Storage)
    kept.put("a1", PDF, "application/pdf")
    client = s3.client()
    head = client.head_object(Bucket=bucket, Key="th/files/a1")
    assert head["ContentType"] == "application/pdf"
    grants = client.get_object_acl(Bucket=bucket, Key="th/files/a1")["Grants"]
    assert [g["Grantee"].get("URI") for g in grants] == [None]  # the owner only
    assert kept.public_grants() == []
    with pytest.raises(urllib.error.HTTPError) as refused:  # no signature: refused
        urllib.request.urlopen(f"{s3.endpoint_url}/{bucket}/th/files/a1")  # noqa: S310
    assert refused.value.code == 403
    client.put_object(Bucket=bucket, Key="other/b2", Body=b"x")  # another app's object
    assert list(kept.keys()) == ["a1"]


def test_a_public_bucket_is_named(s3, tmp_path):
    bucket = s3.new_bucket()
    s3.client().put_bucket_acl(Bucket=bucket, ACL="public-read")
    kept = from_config(s3.config(bucket), tmp_path)
    assert kept.public_grants() == [
        "http://acs.amazonaws.com/groups/global/AllUsers: READ"]


def test_one_client_per_process(s3, tmp_path):
    kept = from_config(s3.config(s3.new_bucket()), tmp_path)
    first = kept.client
    assert kept.client is first
    kept._pid = -1  # as if the client had been made before gunicorn forked this worker
    assert kept.client is not first


def test_urls(tmp_path):
    assert parse("file:///srv/th/uploads") == LocalPlace(Path("/srv/th/uploads"))
    assert parse("s3://th-files") == S3Place("th-files", "")
    assert parse("s3://th-files/a/b/") == S3Place("th-files", "a/b/")
    for wrong in ("uploads", "file://host/x", "file:relative", "s3://A_B/x", "https://x/y",
                  "s3://bucket/x?acl=public-read"):
        with pytest.raises(StorageURLError):
            parse(wrong)
    local = from_config({"UPLOAD_FOLDER": None}, tmp_path)
    assert isinstance(local, LocalStorage) and local.folder == tmp_path / "uploads"
    s3 = from_config({"STORAGE_URL": "s3://th-files/p", "S3_OBJECT_ACL": ""}, tmp_path)
    assert isinstance(s3, S3Storage) and s3.settings == S3Settings("th-files", "p/",
                                                                   object_acl="")


@pytest.mark.parametrize(("setting", "value"), [("STORAGE_URL", "/srv/uploads"),
                                                ("S3_ADDRESSING_STYLE", "dns")])
def test_a_wrong_storage_setting_refuses_to_start(tmp_path, setting, value):
    with pytest.raises(ConfigError, match=setting):
        load_config(tmp_path, {"TRAINHUB_ENV": "test", "SECRET_KEY": "k" * 40,
                               "FIELD_ENCRYPTION_KEYS": "k1=" + "0" * 64,
                               "BLIND_INDEX_KEY": "0" * 64, setting: value})


def test_the_files_of_a_bucket_are_backed_up_and_restored_into_another(s3, tmp_path):
    source = from_config(s3.config(s3.new_bucket()), tmp_path)
    kept = {"a1": b"%PDF-1.7 evidence", "b2": b"\x89PNG photo", "c3": b"PK xlsx"}
    for key, data in kept.items():
        source.put(key, data)
    parts = copy_files(source, tmp_path / "backup")
    assert [p.path for p in parts] == ["files/a1", "files/b2", "files/c3"]
    assert oct((tmp_path / "backup" / "files" / "a1").stat().st_mode & 0o777) == "0o600"
    target, put = from_config(s3.config(s3.new_bucket()), tmp_path), []
    put_files(tmp_path / "backup", parts, target, put)
    assert {key: target.get(key) for key in target.keys()} == kept  # noqa: SIM118


def test_a_changed_file_is_not_put(s3, tmp_path):
    source = from_config(s3.config(s3.new_bucket()), tmp_path)
    source.put("a1", b"evidence")
    parts = copy_files(source, tmp_path / "backup")
    (tmp_path / "backup" / "files" / "a1").write_bytes(b"forged!!")
    target, put = from_config(s3.config(s3.new_bucket()), tmp_path), []
    with pytest.raises(BackupRefused, match="changed"):
        put_files(tmp_path / "backup", parts, target, put)
    assert put == [] and list(target.keys()) == []
