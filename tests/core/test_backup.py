"""`backup create` and `backup restore` (issue 14, item 4) on scratch databases of their own
(a backup reads what is committed, which the suite's rolled-back transactions never are):
a tiny generated province is backed up and restored into an empty database and upload
folder, and every table's rows and every file come back identical; each refusal leaves the
target as empty as it was. SQLite always; PostgreSQL when TEST_DATABASE_URL points at it."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask_migrate import upgrade

from tests.conftest import TEST_CONFIG, postgres_url
from trainhub import create_app
from trainhub.cli.province.generate import generate
from trainhub.extensions import db

pytestmark = pytest.mark.xdist_group("backup")

DIALECTS = ("sqlite", "postgresql")


class Scratch:
    """Databases and folders of one dialect, made on demand and dropped at the end."""

    def __init__(self, dialect: str, folder: Path) -> None:
        self.dialect, self.folder, self.made = dialect, folder, 0
        self.databases: list[str] = []
        base = postgres_url()
        if dialect == "postgresql" and not base.startswith("postgresql"):
            pytest.skip("the PostgreSQL round trip needs TEST_DATABASE_URL on PostgreSQL")
        self.base = sa.engine.make_url(base) if dialect == "postgresql" else None

    def url(self) -> str:
        self.made += 1
        if self.base is None:
            return f"sqlite:///{self.folder}/db{self.made}.sqlite3"
        name = f"{self.base.database}_backup{self.made}"
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')
        self.databases.append(name)
        return self.base.set(database=name).render_as_string(hide_password=False)

    def app(self) -> Flask:
        """An app on a new empty database with a new (absent) upload folder."""
        uploads = self.folder / f"uploads{self.made + 1}"
        return create_app(dict(TEST_CONFIG, SQLALCHEMY_DATABASE_URI=self.url(),
                               UPLOAD_FOLDER=str(uploads)))

    def _admin(self, *statements: str) -> None:
        admin = sa.create_engine(self.base, isolation_level="AUTOCOMMIT")  # type: ignore[arg-type]
        with admin.connect() as conn:
            for statement in statements:
                conn.execute(sa.text(statement))
        admin.dispose()

    def drop(self) -> None:
        if self.base is not None and self.databases:
            self._admin(*(f'DROP DATABASE IF EXISTS "{n}" WITH (FORCE)' for n in self.databases))


@pytest.fixture(scope="module", params=DIALECTS)
def scratch(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
            ) -> Iterator[Scratch]:
    made = Scratch(request.param, tmp_path_factory.mktemp(f"backup-{request.param}"))
    try:
        yield made
    finally:
        made.drop()


@pytest.fixture(scope="module")
def source(scratch: Scratch) -> Iterator[Flask]:
    """A migrated database holding a tiny province, with its evidence files uploaded."""
    app = scratch.app()
    with app.app_context():
        upgrade()
        generate(0.002, 7, date(2025, 11, 20), lambda line: None)
        db.session.commit()
    yield app
    _dispose(app)


@pytest.fixture(scope="module")
def backup(source: Flask, scratch: Scratch) -> Path:
    folder = scratch.folder / "backup"
    result = source.test_cli_runner().invoke(args=["backup", "create", str(folder)])
    assert result.exit_code == 0, result.output
    return folder


@pytest.fixture(scope="module")
def empty(scratch: Scratch) -> Iterator[Flask]:
    """An empty database and upload folder that every refusal must leave empty, and that
    the round trip, the module's last test, then fills (one database for all: on PostgreSQL
    15 each DROP DATABASE waits for a checkpoint)."""
    app = scratch.app()
    yield app
    _dispose(app)


def _dispose(app: Flask) -> None:
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _restore(app: Flask, folder: Path) -> Any:
    return app.test_cli_runner().invoke(args=["backup", "restore", str(folder)])


def _tables(app: Flask) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows in primary-key order, read independently of the backup code."""
    with app.app_context(), db.engine.connect() as conn:
        inspector = sa.inspect(conn)
        tables = {}
        for name in inspector.get_table_names():
            keys = inspector.get_pk_constraint(name)["constrained_columns"]
            order = ", ".join(f'"{k}"' for k in keys) or "1"
            tables[name] = [tuple(row) for row in conn.execute(
                sa.text(f'SELECT * FROM "{name}" ORDER BY {order}'))]  # noqa: S608
        return tables


def _checksum(rows: list[tuple[Any, ...]]) -> str:
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def _files(app: Flask) -> dict[str, str]:
    folder = Path(app.config["UPLOAD_FOLDER"])
    if not folder.exists():
        return {}
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _is_empty(app: Flask) -> bool:
    with app.app_context(), db.engine.connect() as conn:
        tables = sa.inspect(conn).get_table_names()
    db_empty = not tables
    _dispose(app)
    return db_empty and not _files(app)


def test_the_backup_is_private_and_its_manifest_lists_every_part(backup, source):
    assert stat.S_IMODE(backup.stat().st_mode) == 0o700
    for path in backup.rglob("*"):
        assert stat.S_IMODE(path.stat().st_mode) == (0o700 if path.is_dir() else 0o600), path
    manifest = json.loads((backup / "manifest.json").read_text())
    heads = manifest["schema_revision"]
    with source.app_context(), db.engine.connect() as conn:
        assert heads == list(conn.execute(sa.text("SELECT version_num FROM alembic_version"))
                             .scalars())
    for part in [manifest["database"], *manifest["files"]]:
        data = (backup / part["path"]).read_bytes()
        assert (len(data), hashlib.sha256(data).hexdigest()) == (part["size"], part["sha256"])
    assert len(manifest["files"]) == len(_files(source))


def test_a_backup_goes_into_an_empty_folder_only(source, scratch):
    folder = scratch.folder / "occupied"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine")
    result = source.test_cli_runner().invoke(args=["backup", "create", str(folder)])
    assert result.exit_code != 0
    assert "is not empty" in result.output
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]


def _damaged(backup: Path, scratch: Scratch, name: str,
             damage: Callable[[Path, dict[str, Any]], None]) -> Path:
    copy = scratch.folder / name
    shutil.copytree(backup, copy)
    manifest = json.loads((copy / "manifest.json").read_text())
    damage(copy, manifest)
    (copy / "manifest.json").write_text(json.dumps(manifest))
    return copy


def _first_file(manifest: dict[str, Any]) -> str:
    return str(manifest["files"][0]["path"])


DAMAGES: dict[str, tuple[Callable[[Path, dict[str, Any]], None], str]] = {
    "checksum": (lambda folder, m: (folder / _first_file(m)).write_bytes(b"%PDF-changed"),
                 "checksum differs from the manifest"),
    "missing": (lambda folder, m: (folder / _first_file(m)).unlink(), ": missing"),
    "database": (lambda folder, m: (folder / m["database"]["path"]).open("ab").write(b"x"),
                 "checksum differs from the manifest"),
    "unlisted": (lambda folder, m: (folder / "files" / "stray").write_bytes(b"?"),
                 "not listed in the manifest"),
    "revision": (lambda folder, m: m.update(schema_revision=["9999_from_the_future"]),
                 "schema revision 9999_from_the_future is unknown"),
    "outside": (lambda folder, m: m["files"][0].update(path="../../etc/passwd"),
                "a path outside the backup folder"),
    "dialect": (lambda folder, m: m.update(
                    dialect="sqlite" if m["dialect"] == "postgresql" else "postgresql"),
                "the backup is of a"),
}


@pytest.mark.parametrize("damage", sorted(DAMAGES))
def test_a_damaged_backup_is_refused_and_nothing_restored(backup, empty, scratch, damage):
    change, message = DAMAGES[damage]
    result = _restore(empty, _damaged(backup, scratch, f"damaged-{damage}", change))
    assert result.exit_code != 0
    assert "Restore refused" in result.output and message in result.output, result.output
    assert _is_empty(empty)


def test_no_manifest_is_refused(backup, empty, scratch):
    copy = _damaged(backup, scratch, "unfinished", lambda folder, m: None)
    (copy / "manifest.json").unlink()
    result = _restore(empty, copy)
    assert result.exit_code != 0 and "manifest.json is missing" in result.output
    assert _is_empty(empty)


def test_a_database_in_use_is_refused(backup, source):
    before = _tables(source)
    result = _restore(source, backup)
    assert result.exit_code != 0
    assert "the database is not empty" in result.output
    assert "file storage" in result.output and "is not empty" in result.output
    assert _tables(source) == before


def test_a_non_empty_upload_folder_is_refused(backup, empty):
    folder = Path(empty.config["UPLOAD_FOLDER"])
    folder.mkdir(exist_ok=True)
    (folder / "left-over").write_bytes(b"x")
    try:
        result = _restore(empty, backup)
        assert result.exit_code != 0 and "file storage" in result.output
        assert "the database is not empty" not in result.output
        assert os.listdir(folder) == ["left-over"]
    finally:
        (folder / "left-over").unlink()
    assert _is_empty(empty)


def test_a_dump_the_database_cannot_read_leaves_nothing_behind(backup, empty, scratch):
    """A part whose checksum matches (rewritten with it) but that the restore cannot load:
    the database restore fails, in one transaction, and the staged files go away."""
    def corrupt(folder: Path, manifest: dict[str, Any]) -> None:
        part = folder / manifest["database"]["path"]
        data = part.read_bytes()
        part.write_bytes(data[: len(data) // 2])
        manifest["database"].update(size=len(data) // 2,
                                    sha256=hashlib.sha256(data[: len(data) // 2]).hexdigest())

    result = _restore(empty, _damaged(backup, scratch, "truncated", corrupt))
    assert result.exit_code != 0
    assert "Restore refused" in result.output, result.output
    assert _is_empty(empty)
    folder = Path(empty.config["UPLOAD_FOLDER"])
    assert not [p for p in folder.parent.iterdir() if ".restoring-" in p.name]


def test_a_restore_gives_back_every_row_and_every_file(source, backup, empty, scratch):
    """Last in the module: it fills `empty`, which the refusals needed empty."""
    result = _restore(empty, backup)
    assert result.exit_code == 0, result.output
    before, after = _tables(source), _tables(empty)
    assert sorted(before) == sorted(after)
    for name in before:
        assert len(after[name]) == len(before[name]), name
        assert _checksum(after[name]) == _checksum(before[name]), name
        assert after[name] == before[name], name
    files_before, files_after = _files(source), _files(empty)
    assert files_after == files_before
    rows = sum(len(r) for r in before.values())
    assert len(before) > 40 and rows > 1000 and len(files_before) >= 10
    figures = json.loads((backup / "manifest.json").read_text())["tables"]
    assert {n: f["rows"] for n, f in figures.items()} == {n: len(r) for n, r in before.items()}
    print(f"\n{scratch.dialect}: {len(before)} tables, {rows} rows, {len(files_before)} files: "
          "row counts, table checksums and file checksums equal after restore")
