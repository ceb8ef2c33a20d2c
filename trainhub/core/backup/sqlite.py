"""SQLite: the online backup API copies a consistent image of the live file (writers may
go on meanwhile); a restore copies the image into a new file the same way, and puts it in
the database's place once its tables match the manifest."""

from __future__ import annotations

import os
import secrets
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar
from urllib.parse import quote

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from trainhub.core.backup.errors import BackupRefused
from trainhub.core.backup.fingerprint import Figures, Verify, revision, table_figures
from trainhub.core.backup.manifest import private_file

T = TypeVar("T")


def _read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True)


class Sqlite:
    dialect = "sqlite"
    part = "database.sqlite3"

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        name = engine.url.database
        if not name or name == ":memory:" or name.startswith("file:"):
            raise BackupRefused("only a SQLite database in a file can be backed up or restored")
        self.path = Path(name)

    def objects(self) -> list[str]:
        if not self.path.exists() or self.path.stat().st_size == 0:
            return []
        with _read_only(self.path) as conn:
            rows = conn.execute("SELECT name FROM sqlite_master "
                                "WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' "
                                "LIMIT 5").fetchall()
        return [row[0] for row in rows]

    def dump(self, target: Path) -> tuple[list[str], Figures, str]:
        """Copy the live database into `target`; the revision and figures are read from
        the copy, so they describe exactly what was copied."""
        private_file(target).close()
        _copy(self.path, target)
        return _reading(target, lambda conn: (revision(conn), table_figures(conn),
                                              f"SQLite {sqlite3.sqlite_version}"))

    def restore(self, source: Path, verify: Verify) -> None:
        """Copy the image into a new file beside the database, verify it there, and only
        then put it in the database's place: a damaged image never becomes the database."""
        self.engine.dispose()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        staged = self.path.with_name(f".{self.path.name}.restoring-{secrets.token_hex(4)}")
        private_file(staged).close()
        try:
            _copy(source, staged)
            _reading(staged, verify)
            os.replace(staged, self.path)
        except sqlite3.DatabaseError as error:
            raise BackupRefused(f"the database image cannot be restored: {error}") from None
        finally:
            staged.unlink(missing_ok=True)


def _copy(source: Path, target: Path) -> None:
    """SQLite's online backup of the file `source` into the file `target`."""
    reader, writer = _read_only(source), sqlite3.connect(target)
    try:
        reader.backup(writer)
    finally:
        writer.close()
        reader.close()


def _reading(path: Path, read: Callable[[Connection], T]) -> T:
    """`read` run on a connection of its own to the database file `path`."""
    engine = sa.create_engine(f"sqlite:///{path}", poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            return read(conn)
    finally:
        engine.dispose()
