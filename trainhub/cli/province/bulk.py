"""Bulk writing: rows as lists of dicts, written by Core `insert(table)` executemany (a
statement per chunk of 5,000 rows) on SQLite and by COPY (psycopg's `cursor.copy`) on
PostgreSQL; ids handed out here so that rows can point at each other before they are
written; a line of progress per table.

Ids: the database is empty of these rows when the generator starts (it refuses otherwise),
so ids are counted from the largest one present; PostgreSQL's sequences are moved past them
at the end (`finish`)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from itertools import chain
from time import perf_counter
from typing import Any, cast

from sqlalchemy import JSON, Connection, Table, func, insert, select, text
from sqlalchemy.orm import Session, scoped_session
from sqlalchemy.sql.expression import FromClause

from trainhub.core import crypto
from trainhub.core.sets import chunks
from trainhub.core.types import EncryptedText

CHUNK = 5000
Echo = Callable[[str], None]


class Bulk:
    def __init__(self, session: Session | scoped_session[Any], echo: Echo) -> None:
        self.connection: Connection = session.connection()
        self.postgres = self.connection.dialect.name == "postgresql"
        self.echo = echo
        self.timings: list[tuple[str, int, float]] = []
        self._next: dict[str, int] = {}
        self._tables: dict[str, Table] = {}
        self.written: dict[str, Table] = {}
        self.relaxed = False
        self._mark = perf_counter()
        self._started = self._mark

    # --- ids ---------------------------------------------------------------------------

    def ids(self, clause: FromClause, count: int) -> range:
        """`count` fresh ids of the table."""
        table = cast(Table, clause)
        name = table.name
        if name not in self._next:
            largest = self.connection.execute(select(func.max(table.c.id))).scalar()
            self._next[name] = int(largest or 0) + 1
            self._tables[name] = table
        first = self._next[name]
        self._next[name] = first + count
        return range(first, first + count)

    def next_id(self, table: FromClause) -> int:
        return self.ids(table, 1)[0]

    # --- writing -----------------------------------------------------------------------

    def insert(self, clause: FromClause, rows: Iterable[dict[str, Any]]) -> int:
        """Rows as dicts (every row with the same keys). SQLite: executemany of Core
        inserts, CHUNK rows a call, the column types processing each value (encrypted text
        sealed, JSON serialised, aware datetimes stored in UTC). PostgreSQL: COPY, each
        value converted as its column type would (`_converters`)."""
        table = cast(Table, clause)
        self.written[table.name] = table
        if self.postgres:
            iterator = iter(rows)
            first = next(iterator, None)
            if first is None:
                return 0
            columns = list(first)
            convert = _converters(table, columns)
            return self.copy(table, columns, (
                tuple(f(row[c]) if f else row[c] for c, f in zip(columns, convert, strict=True))
                for row in chain([first], iterator)))
        written = 0
        statement = insert(table)
        for batch in chunks(rows, CHUNK):
            self.connection.execute(statement, batch)
            written += len(batch)
        return written

    def copy(self, clause: FromClause, columns: Sequence[str],
             rows: Iterable[tuple[Any, ...]]) -> int:
        """PostgreSQL: COPY … FROM STDIN in the session's transaction; the values must be
        what the column stores (no type processing). Elsewhere: the same rows as inserts."""
        table = cast(Table, clause)
        if not self.postgres:
            return self.insert(table, (dict(zip(columns, row, strict=True)) for row in rows))
        self.written[table.name] = table
        raw = self.connection.connection.driver_connection
        assert raw is not None
        written = 0
        names = ", ".join(columns)
        with raw.cursor() as cursor, cursor.copy(
                f"COPY {table.name} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                written += 1
        return written

    # --- foreign keys ------------------------------------------------------------------

    def relax_checks(self) -> None:
        """PostgreSQL, for a superuser: no per-row foreign-key triggers while the rows are
        copied (`session_replication_role = replica`, as pg_restore --disable-triggers
        does; a third of the time of the 3,000,000 attendance marks); every reference is
        checked afterwards, one query per foreign key (`verify_references`). Other roles
        keep the per-row checks. Unique and check constraints are never relaxed."""
        if not self.postgres or not self.connection.execute(text(
                "SELECT rolsuper FROM pg_roles WHERE rolname = current_user")).scalar():
            return
        self.connection.execute(text("SET LOCAL session_replication_role = replica"))
        self.relaxed = True

    def verify_references(self) -> None:
        """Every foreign key of the tables written points at a row: an anti-join per key.
        Raises (and the transaction is rolled back) on the first dangling reference."""
        if not self.relaxed:
            return
        self.connection.execute(text("SET LOCAL session_replication_role = origin"))
        self.relaxed = False
        for table in self.written.values():
            for key in table.foreign_key_constraints:
                for element in key.elements:
                    child = element.parent
                    parent = element.column.table.alias()
                    target = parent.c[element.column.name]
                    dangling = self.connection.execute(
                        select(func.count()).select_from(table.outerjoin(
                            parent, child == target))
                        .where(child.is_not(None), target.is_(None))).scalar()
                    if dangling:
                        raise RuntimeError(f"{dangling} rows of {table.name}.{child.name} "
                                           f"point at no {parent.name} row")
        self.done("(foreign keys checked)", 0)

    # --- progress ----------------------------------------------------------------------

    def done(self, name: str, rows: int) -> None:
        """One line per table: rows and the seconds since the previous line (generating
        and writing)."""
        now = perf_counter()
        seconds = now - self._mark
        self._mark = now
        self.timings.append((name, rows, seconds))
        self.echo(f"  {name:<30} {rows:>10,} rows {seconds:8.1f} s")

    def total(self) -> float:
        return perf_counter() - self._started

    def finish(self) -> None:
        """Move PostgreSQL's id sequences past the ids written here."""
        if not self.postgres:
            return
        for name, table in self._tables.items():  # names of the app's own tables
            largest = self.connection.execute(select(func.max(table.c.id))).scalar()
            if largest:
                self.connection.execute(text(
                    "SELECT setval(pg_get_serial_sequence(:name, 'id'), :largest)"),
                    {"name": name, "largest": largest})


def _sealer(context: str) -> Callable[[Any], Any]:
    cipher, associated = crypto.get_cipher(), context.encode()

    def seal(value: str | None) -> str | None:
        return None if value is None else cipher.encrypt(value, context=associated)
    return seal


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value)


def _converters(table: Table, columns: Sequence[str]) -> list[Callable[[Any], Any] | None]:
    """What the column types do to a value on its way in, for COPY: EncryptedText seals it
    with the field cipher under the column's context (types.EncryptedText), JSON is
    `json.dumps`'d (SQLAlchemy's default serialiser); psycopg writes the rest (aware
    datetimes as timestamptz, dates, Decimals, booleans) itself."""
    found: list[Callable[[Any], Any] | None] = []
    for name in columns:
        column_type = table.c[name].type
        if isinstance(column_type, EncryptedText):
            found.append(_sealer(column_type.context))
        elif isinstance(column_type, JSON):  # None is JSON null unless none_as_null
            found.append(_json if column_type.none_as_null else json.dumps)
        else:
            found.append(None)
    return found
