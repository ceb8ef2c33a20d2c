"""The station draw, anonymous codes and the appeal window.

The seed must come from `secrets` (e.g. `secrets.token_hex(16)`) and be recorded by the service
with the event, so that anyone holding it can redo the draw and check it; until the marks are
locked it is as secret as the codes themselves, since it decodes them."""

from __future__ import annotations

import hashlib
import hmac
import random
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TypeVar

K = TypeVar("K", int, str)

# No 0/O, 1/I/L: the codes are read off paper and typed in.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 6


def _canonical(entry_ids: Iterable[K]) -> list[K]:
    # Sorted so that the result depends only on which entries there are, not the order given.
    ids = sorted(entry_ids)
    if len(set(ids)) != len(ids):
        raise ValueError("entry ids must be unique")
    return ids


def draw_stations(entry_ids: Iterable[K], seed: str) -> dict[K, int]:
    """Station numbers 1..n, a uniformly random permutation reproducible from `seed`."""
    ids = _canonical(entry_ids)
    rng = random.Random(seed)
    # Fisher–Yates on Random.random(): unlike shuffle(), whose algorithm Python does not promise
    # to keep, random() gives the same sequence for the same seed in every version.
    for i in range(len(ids) - 1, 0, -1):
        j = int(rng.random() * (i + 1))
        ids[i], ids[j] = ids[j], ids[i]
    return {entry_id: station for station, entry_id in enumerate(ids, start=1)}


def _code(seed: str, entry_id: K, attempt: int) -> str:
    message = f"anonymous-code:{entry_id}:{attempt}".encode()
    number = int.from_bytes(hmac.new(seed.encode(), message, hashlib.sha256).digest(), "big")
    letters = []
    for _ in range(CODE_LENGTH):
        number, index = divmod(number, len(CODE_ALPHABET))
        letters.append(CODE_ALPHABET[index])
    return "".join(letters)


def anonymous_codes(entry_ids: Iterable[K], seed: str) -> dict[K, str]:
    """A distinct code (加密号) per entry, reproducible from `seed`.

    Each code is an HMAC-SHA256 of the entry under the seed, not a draw from the same random
    stream as the stations: knowing station numbers, other codes or the order of entries tells
    nothing about a code without the seed."""
    ids = _canonical(entry_ids)
    if len(ids) > len(CODE_ALPHABET) ** CODE_LENGTH:
        raise ValueError("more entries than distinct codes")
    codes: dict[K, str] = {}
    taken: set[str] = set()
    for entry_id in ids:
        attempt = 0
        while (code := _code(seed, entry_id, attempt)) in taken:
            attempt += 1
        codes[entry_id] = code
        taken.add(code)
    return codes


def appeal_open(event_end: datetime, now: datetime, hours: int) -> bool:
    """Appeals are accepted from the end of the event until `hours` later, that moment
    included. Both times must be timezone-aware, or both naive in the same zone."""
    if hours < 0:
        raise ValueError("the appeal window cannot be negative")
    if (event_end.tzinfo is None) != (now.tzinfo is None):
        raise ValueError("compare aware with aware, or naive with naive datetimes")
    return event_end <= now <= event_end + timedelta(hours=hours)
