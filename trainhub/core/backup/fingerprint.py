"""Per-table figures of a database: the row count and a SHA-256 over the rows in primary-key
order. Written into the manifest in the dump's own snapshot, and computed again after a
restore: equal figures mean the restored tables hold exactly what was backed up."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

Figures = dict[str, dict[str, Any]]
Verify = Callable[[Connection], None]  # raises if the restored database is not the backup's


def _plain(value: Any) -> Any:
    """Raw driver values as JSON: the same database product gives the same text."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    return str(value)  # Decimal, timedelta, UUID: their exact text


def _table(connection: Connection, name: str) -> tuple[sa.TableClause, list[Any]]:
    """A lightweight table (no types: the driver's values as they are), and its order.
    Columns are read one by one rather than the table reflected whole: reflection of
    SQLite's partial indexes warns, and nothing here needs indexes."""
    inspector = sa.inspect(connection)
    names = [column["name"] for column in inspector.get_columns(name)]
    columns: list[sa.ColumnClause[Any]] = [sa.column(column) for column in names]
    table = sa.table(name, *columns)
    keys = inspector.get_pk_constraint(name).get("constrained_columns") or []
    order = [table.c[k] for k in keys] or list(table.c)
    return table, order


def table_figures(connection: Connection) -> Figures:
    """{table: {"rows": n, "sha256": hex}} for every table of the database."""
    figures: Figures = {}
    for name in sorted(sa.inspect(connection).get_table_names()):
        table, order = _table(connection, name)
        digest, rows = hashlib.sha256(), 0
        result = connection.execution_options(yield_per=2000).execute(
            sa.select(table).order_by(*order))
        for row in result:
            line = json.dumps(list(row), default=_plain, ensure_ascii=False,
                              separators=(",", ":"))
            digest.update(line.encode() + b"\n")
            rows += 1
        figures[name] = {"rows": rows, "sha256": digest.hexdigest()}
    return figures


def revision(connection: Connection) -> list[str]:
    """The alembic revision(s) the database is at; none if it was never migrated."""
    if not sa.inspect(connection).has_table("alembic_version"):
        return []
    query = sa.text("SELECT version_num FROM alembic_version")
    return sorted(connection.execute(query).scalars())


def differences(expected: Figures, found: Figures) -> list[str]:
    """What differs between two sets of figures, one line per table."""
    lines = []
    for name in sorted(set(expected) | set(found)):
        want, got = expected.get(name), found.get(name)
        if want is None:
            lines.append(f"table {name} is not in the backup")
        elif got is None:
            lines.append(f"table {name} is missing")
        elif want != got:
            lines.append(f"table {name}: {got['rows']} rows (backup: {want['rows']}), "
                         f"checksum {'equal' if want['sha256'] == got['sha256'] else 'differs'}")
    return lines
