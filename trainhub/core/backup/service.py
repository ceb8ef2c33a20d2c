"""Create a backup into an empty folder; restore one into an empty database and an empty
file storage (a local folder or object storage: trainhub.core.storage). Every refusal
happens before anything is written, and a restore that fails part-way leaves the database
and the storage as empty as they were."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path
from typing import Protocol

from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection, Engine

from trainhub.core.backup import manifest as mf
from trainhub.core.backup.errors import BackupRefused
from trainhub.core.backup.fingerprint import Figures, Verify, differences, table_figures
from trainhub.core.backup.manifest import Manifest, Part
from trainhub.core.backup.postgres import Postgres
from trainhub.core.backup.sqlite import Sqlite
from trainhub.core.storage import Storage
from trainhub.core.storage.base import Missing, checked_key
from trainhub.core.timeutil import utcnow


class Database(Protocol):
    dialect: str
    part: str

    def objects(self) -> list[str]: ...
    def dump(self, target: Path) -> tuple[list[str], Figures, str]: ...
    def restore(self, source: Path, verify: Verify) -> None: ...


def database_of(engine: Engine) -> Database:
    if engine.dialect.name == "postgresql":
        return Postgres(engine)
    if engine.dialect.name == "sqlite":
        return Sqlite(engine)
    raise BackupRefused(f"backups of {engine.dialect.name} databases are not supported")


def create_backup(folder: Path, *, engine: Engine, files: Storage) -> Manifest:
    """The database first, then the files: a row in the dump names a file written before
    the row was committed, so every file the dump refers to is already complete."""
    if folder.exists() and any(folder.iterdir()):
        raise BackupRefused(f"{folder} is not empty: a backup goes into a new folder")
    database = database_of(engine)
    mf.private_folder(folder)
    try:
        return _write(folder, database, files)
    except BaseException:
        _empty(folder)  # it was empty: nothing of a failed backup may pass for one
        raise


def _write(folder: Path, database: Database, files: Storage) -> Manifest:
    started = utcnow().isoformat(timespec="seconds")
    revision, tables, made_by = database.dump(folder / database.part)
    if not revision:
        raise BackupRefused("the database has no schema revision (alembic_version): "
                            "it is not a migrated TrainHub database")
    size, sha256 = mf.hash_file(folder / database.part)
    manifest = Manifest(dialect=database.dialect, database=Part(database.part, size, sha256),
                        schema_revision=revision, tables=tables,
                        files=copy_files(files, folder), created_at=started, made_by=made_by)
    mf.write(folder, manifest)
    return manifest


def copy_files(files: Storage, folder: Path) -> list[Part]:
    """Every stored file into `folder`/files, hashed as it is written."""
    mf.private_folder(folder / mf.FILES)
    parts = []
    for key in sorted(files.keys()):
        try:
            with files.open(key) as reader:
                parts.append(mf.copy_hashed(reader, folder, f"{mf.FILES}/{key}"))
        except Missing:
            continue  # discarded since it was listed (an import job's spreadsheet)
    return parts


def _empty(folder: Path) -> None:
    for entry in folder.iterdir():
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()


def restore_backup(folder: Path, *, engine: Engine, files: Storage,
                   migrations: Path) -> Manifest:
    """Check everything, then put the files (each checked against the manifest as it is
    read) and restore the database (all or nothing, every table compared with the
    manifest's figures); on any failure the files put are removed again."""
    manifest = mf.read(folder)
    database = database_of(engine)
    problems = _refusals(folder, manifest, database, files, migrations)
    if problems:
        raise BackupRefused(problems)
    put: list[str] = []
    try:
        put_files(folder, manifest.files, files, put)
        database.restore(folder / manifest.database.path, _same_as(manifest))
    except BaseException:
        for key in put:
            files.delete(key)
        raise
    return manifest


def _refusals(folder: Path, manifest: Manifest, database: Database, files: Storage,
              migrations: Path) -> list[str]:
    """Every reason to refuse, collected so the operator fixes them in one round."""
    problems = []
    if manifest.dialect != database.dialect:
        problems.append(f"the backup is of a {manifest.dialect} database; this "
                        f"configuration uses {database.dialect}")
    try:
        mf.check_parts(folder, manifest)
    except BackupRefused as refusal:
        problems += [f"backup damaged: {problem}" for problem in refusal.problems]
    problems += _unknown_revisions(manifest.schema_revision, migrations)
    if manifest.dialect == database.dialect and (found := database.objects()):
        problems.append(f"the database is not empty (it holds {', '.join(found)}…): "
                        "restore into a newly created, empty database")
    if next(iter(files.keys()), None) is not None:
        problems.append(f"the file storage ({files.description}) is not empty: restore "
                        "into an empty one")
    prefix = f"{mf.FILES}/"
    problems += [f"{part.path} is not a file of the storage" for part in manifest.files
                 if not _is_key(part.path.removeprefix(prefix))]
    return problems


def _is_key(name: str) -> bool:
    try:
        checked_key(name)
    except ValueError:
        return False
    return True


def code_heads(migrations: Path) -> set[str]:
    """The revision(s) this version of the code migrates to."""
    return set(ScriptDirectory(str(migrations)).get_heads())


def _unknown_revisions(revisions: list[str], migrations: Path) -> list[str]:
    if not revisions:
        return ["the manifest names no schema revision"]
    # Exact ids: alembic's own look-up would also accept a prefix of a known one.
    known = {script.revision for script in ScriptDirectory(str(migrations)).walk_revisions()}
    unknown = []
    for revision in revisions:
        if revision not in known:
            unknown.append(f"schema revision {revision} is unknown to this version of "
                           "TrainHub (a backup of a newer version?): restore it with the "
                           "version that made it")
    return unknown


def put_files(folder: Path, parts: list[Part], files: Storage, put: list[str]) -> None:
    """Each file of the backup into the storage, its bytes checked against the manifest
    before they are put; `put` collects the keys written."""
    prefix = f"{mf.FILES}/"
    for part in parts:
        data = (folder / part.path).read_bytes()
        if (len(data), hashlib.sha256(data).hexdigest()) != (part.size, part.sha256):
            raise BackupRefused(f"{part.path} changed while it was being restored")
        key = part.path.removeprefix(prefix)
        files.put(key, data)
        put.append(key)


def _same_as(manifest: Manifest) -> Verify:
    def verify(conn: Connection) -> None:
        if lines := differences(manifest.tables, table_figures(conn)):
            raise BackupRefused(["the restored database differs from the backup:", *lines])

    return verify
