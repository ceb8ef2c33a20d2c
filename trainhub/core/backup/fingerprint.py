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


def _tables(connection: Connection) -> list[tuple[sa.TableClause, list[Any]]]:
    """Each table, lightweight (no types: the driver's values as they are), with its order.
    Columns and keys are read for all tables at once (one query each on PostgreSQL) rather
    than tables reflected whole: reflecting SQLite's partial indexes warns, and nothing
    here needs indexes."""
    inspector = sa.inspect(connection)
    columns = inspector.get_multi_columns()
    keys = inspector.get_multi_pk_constraint()
    tables = []
    for schema_name, found in sorted(columns.items(), key=lambda item: item[0][1]):
        names: list[sa.ColumnClause[Any]] = [sa.column(column["name"]) for column in found]
        table = sa.table(schema_name[1], *names)
        primary = keys.get(schema_name)
        key = (primary["constrained_columns"] if primary else None) or []
        tables.append((table, [table.c[k] for k in key] or list(table.c)))
    return tables


def table_figures(connection: Connection) -> Figures:
    """{table: {"rows": n, "sha256": hex}} for every table of the database."""
    figures: Figures = {}
    for table, order in _tables(connection):
        digest, rows = hashlib.sha256(), 0
        result = connection.execution_options(yield_per=2000).execute(
            sa.select(table).order_by(*order))
        for row in result:
            line = json.dumps(list(row), default=_plain, ensure_ascii=False,
                              separators=(",", ":"))
            digest.update(line.encode() + b"\n")
            rows += 1
        figures[table.name] = {"rows": rows, "sha256": digest.hexdigest()}
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
