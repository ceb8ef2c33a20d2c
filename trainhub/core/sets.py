"""Working on sets of rows: chunks of a sequence, sized for an IN (...) list or a bulk
statement (SQLite allows 32,766 bound parameters a statement; smaller lists also keep
PostgreSQL's plans cheap)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TypeVar

from sqlalchemy import Connection, text

IN_LIST = 500  # values per IN (...) list

T = TypeVar("T")


def chunks(rows: Iterable[T], size: int = IN_LIST) -> Iterator[list[T]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def refresh_statistics(connection: Connection, *tables: str) -> None:
    """Have the planner's statistics catch up with a bulk write (all tables when none are
    named). SQLite has none until ANALYZE runs, and then plans the overlap check by the
    status index, scanning every admitted seat; `analysis_limit` keeps its ANALYZE to a
    sample, as PostgreSQL's always is."""
    names = ", ".join(tables)
    if connection.dialect.name == "sqlite":
        connection.execute(text("PRAGMA analysis_limit = 1000"))
        for table in tables or ("",):
            connection.execute(text(f"ANALYZE {table}"))
    else:
        connection.execute(text(f"ANALYZE {names}"))
