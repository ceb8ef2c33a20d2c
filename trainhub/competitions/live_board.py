"""The live scoreboard's standings table and review counts, computed once for every change
to what they come from and shared by every reader of that event (organisers, the chief
judge, a wall screen refreshing every 30 seconds).

The key is the event's `marks_version`, which the database's triggers count up on every
change to its marks, entries, resolutions and judge assignments, whatever writes them
(migration 0014), with the status and the reader's language. Conflicts of interest also
follow the contestants' enrolments, which no trigger watches: an entry is kept at most
MAX_AGE seconds, the page's own refresh period, so such a change shows by the next refresh.
Each process keeps its own few boards (an LRU of MAX_BOARDS)."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import get_locale
from markupsafe import Markup

from trainhub.competitions import marking
from trainhub.competitions.models import Event

MAX_AGE = 30.0
MAX_BOARDS = 32


@dataclass(frozen=True)
class Board:
    table: Markup       # the rendered standings table
    missing_count: int  # marks still missing (0 once locked)
    flags_count: int    # open disagreement flags


_boards: OrderedDict[tuple[object, ...], tuple[float, Board]] = OrderedDict()
_lock = threading.Lock()


def board(event: Event, compute: Callable[[], Board],
          clock: Callable[[], float] = time.monotonic) -> Board:
    """The event's board from the cache, or from `compute` (run outside the lock, so a slow
    computation never holds up readers of other events)."""
    key = (event.id, event.draw_seed, marking.marks_version(event), event.status,
           str(get_locale()))
    now = clock()
    with _lock:
        kept = _boards.get(key)
        if kept is not None and now - kept[0] < MAX_AGE:
            _boards.move_to_end(key)
            return kept[1]
    made = compute()
    with _lock:
        _boards[key] = (now, made)
        _boards.move_to_end(key)
        while len(_boards) > MAX_BOARDS:
            _boards.popitem(last=False)
    return made


def forget() -> None:
    """Empty the cache (tests; a deployment never needs to)."""
    with _lock:
        _boards.clear()
