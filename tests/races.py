"""Running the same work in several threads released at the same moment, for the race
tests on PostgreSQL (tests/conftest.py's race_app gives them a database that commits)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any


def all_at_once(count: int, work: Callable[[int], Any], timeout: float = 120) -> list[Any]:
    """`work(i)` for i in range(count), each in its own thread, all started together by a
    barrier; what each returned or raised, in order."""
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count

    def run(index: int) -> None:
        barrier.wait()
        try:
            results[index] = work(index)
        except Exception as error:  # noqa: BLE001 - the test inspects what happened
            results[index] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return results
