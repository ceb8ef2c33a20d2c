"""Small figures each process keeps under a version of the rows they were computed from
(a sum of the version counters the database's triggers move on every change: the
subsidy decisions' per county, migration 0017; the training batches' and enrolments' per
county, migration 0039): whoever reads the figure first after a change recomputes it, and
every other reader gets it for one read of the counters (issue 13)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

from trainhub.extensions import db

T = TypeVar("T")

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
