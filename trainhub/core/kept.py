"""Small figures each process keeps under a version of the rows they were computed from
(a sum of the version counters the database's triggers move on every change: the
subsidy decisions' per county, migration 0017; the training batches' and enrolments' per
county, migration 0039; the people's per county, migration 0041): whoever reads the figure
first after a change recomputes it, and every other reader gets it for one read of the
counters (issue 13). Each table of versions has a county's `region_code` and its `version`;
`region_version` sums them over a region and `kept_for_region` keeps a figure under that
sum.

A page that shows figures of several domains (an officer's home page) would read one sum per
figure: within `read_together`, the first need reads the sums of every table of versions
that `follows` names, for that region, in one statement, and the others reuse them."""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from sqlalchemy import BigInteger, Select, String, func, select
from sqlalchemy.orm import Mapped, mapped_column

from trainhub.core import policy
from trainhub.extensions import db

T = TypeVar("T")
V = TypeVar("V")

MAX_KEPT = 256
_kept: OrderedDict[tuple[object, ...], Any] = OrderedDict()
_lock = threading.Lock()


def kept(key: tuple[object, ...], compute: Callable[[], T]) -> T:
    """`compute()` once for `key` on this database; `key` must hold the version of
    everything `compute` reads."""
    full = (str(db.engine.url), *key)
    with _lock:
        if full in _kept:
            _kept.move_to_end(full)
            return _kept[full]
    found = compute()
    with _lock:
        _kept[full] = found
        while len(_kept) > MAX_KEPT:
            _kept.popitem(last=False)
    return found


def forget() -> None:
    """Empty the kept figures (tests roll their data back; a deployment never needs to)."""
    with _lock:
        _kept.clear()


def region_version_query(versions: Any, scope_code: str) -> Select[Any]:
    """The sum of the `version`s of the counties within `scope_code` in the table of
    versions `versions` (a model with `region_code` and `version`), 0 before any change."""
    return (select(func.coalesce(func.sum(versions.version), 0))
            .where(policy.within(versions.region_code, scope_code)))


# the tables of versions `read_together` reads at once, in the order their modules named them
_followed: list[Any] = []
# within read_together: the sums read so far, by (table of versions, region)
_together: ContextVar[dict[tuple[Any, str], int] | None] = ContextVar("kept_together",
                                                                       default=None)


class RegionVersions:
    """The columns of a table of versions, kept by the database's triggers: a count per
    county that moves on every change of the rows it follows (mixed into the model)."""

    region_code: Mapped[str] = mapped_column(String(6), primary_key=True)  # a county
    version: Mapped[int] = mapped_column(BigInteger)


def follows(versions: type[V]) -> type[V]:
    """Name a table of versions (a model with `region_code` and `version`) for
    `read_together` to read with the others."""
    if versions not in _followed:
        _followed.append(versions)
    return versions


@contextmanager
def read_together(scope_code: str) -> Iterator[None]:
    """Within: the first sum of versions needed for `scope_code` reads every followed table's
    in one statement, and later needs reuse them. Only around reading: a figure computed
    after a change made within would be kept under the version from before that change,
    which a rollback would leave in force."""
    token = _together.set({})
    try:
        yield
    finally:
        _together.reset(token)


@functools.lru_cache(maxsize=MAX_KEPT)
def _together_query(tables: tuple[Any, ...], scope_code: str) -> Select[Any]:
    """The sums of `tables` for `scope_code` in one statement, built once: building it and
    its cache key again took longer than running it (statements are immutable, so
    requests share them)."""
    return select(*(region_version_query(table, scope_code).scalar_subquery()
                    for table in tables))


def region_version(versions: Any, scope_code: str) -> int:
    """The state of the rows of the region `scope_code` that `versions` follows."""
    read = _together.get()
    if read is None:
        return int(db.session.scalar(region_version_query(versions, scope_code)) or 0)
    if (versions, scope_code) not in read:
        tables = (*_followed, *(() if versions in _followed else (versions,)))
        row = db.session.execute(_together_query(tables, scope_code)).one()
        read.update({(table, scope_code): int(found or 0)
                     for table, found in zip(tables, row, strict=True)})
    return read[(versions, scope_code)]


def kept_for_region(versions: Any, name: str, region_code: str, key: tuple[object, ...],
                    compute: Callable[[], T]) -> T:
    """`compute()` once for each state of the rows of `region_code` that `versions`
    follows (everything it reads must be such rows), kept under `name` and `key`."""
    return kept((name, region_code, region_version(versions, region_code), *key), compute)
