"""The reproducible station draw, anonymous codes, and the appeal window."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta, timezone

import pytest

from trainhub.competitions.scoring import anonymous_codes, appeal_open, draw_stations
from trainhub.competitions.scoring import draw as draw_module

ENTRIES = list(range(101, 131))


def test_the_draw_is_reproducible_from_its_seed():
    seed = secrets.token_hex(16)
    assert draw_stations(ENTRIES, seed) == draw_stations(list(reversed(ENTRIES)), seed)
    assert anonymous_codes(ENTRIES, seed) == anonymous_codes(reversed(ENTRIES), seed)


def test_a_recorded_seed_gives_the_same_draw_in_every_python():
    # Pinned: only Random.random() is used, whose sequence Python promises to keep.
    assert draw_stations([1, 2, 3, 4, 5], "abc") == {2: 1, 1: 2, 5: 3, 3: 4, 4: 5}
    # HMAC-SHA256 under the seed: fixed by the standard, not by Python.
    assert anonymous_codes([1, 2, 3], "abc") == {1: "8QDNKS", 2: "KP3QMQ", 3: "M4CAMZ"}


def test_stations_are_a_permutation_of_one_to_n():
    stations = draw_stations(ENTRIES, "seed")
    assert set(stations) == set(ENTRIES)
    assert sorted(stations.values()) == list(range(1, len(ENTRIES) + 1))


def test_another_seed_another_draw():
    assert draw_stations(ENTRIES, "one") != draw_stations(ENTRIES, "two")
    assert anonymous_codes(ENTRIES, "one") != anonymous_codes(ENTRIES, "two")


def test_codes_are_distinct_readable_and_unrelated_to_stations():
    seed = secrets.token_hex(16)
    codes = anonymous_codes(ENTRIES, seed)
    assert len(set(codes.values())) == len(ENTRIES)
    assert all(len(c) == 6 and set(c) <= set(draw_module.CODE_ALPHABET)
               for c in codes.values())
    stations = draw_stations(ENTRIES, seed)
    by_station = [codes[e] for e in sorted(ENTRIES, key=stations.__getitem__)]
    assert by_station != sorted(by_station)  # codes do not follow the station order


def test_an_entry_keeps_its_code_when_another_joins():
    before = anonymous_codes(ENTRIES, "seed")
    after = anonymous_codes([*ENTRIES, 999], "seed")
    assert all(after[e] == code for e, code in before.items())


def test_colliding_codes_are_drawn_again(monkeypatch):
    monkeypatch.setattr(draw_module, "CODE_LENGTH", 1)
    alphabet_size = len(draw_module.CODE_ALPHABET)
    codes = anonymous_codes(range(alphabet_size), "seed")
    assert sorted(codes.values()) == sorted(draw_module.CODE_ALPHABET)
    with pytest.raises(ValueError):
        anonymous_codes(range(alphabet_size + 1), "seed")


def test_duplicate_entries_are_refused():
    with pytest.raises(ValueError):
        draw_stations([1, 1, 2], "seed")


# --- appeals ----------------------------------------------------------------------------------

END = datetime(2025, 10, 18, 14, 0, tzinfo=timezone(timedelta(hours=8)))


@pytest.mark.parametrize(("after", "is_open"), [
    (timedelta(minutes=-1), False),  # before the event ends
    (timedelta(0), True),
    (timedelta(hours=1, minutes=59), True),
    (timedelta(hours=2), True),  # "within 2 hours" includes the last moment
    (timedelta(hours=2, seconds=1), False),
])
def test_appeals_within_two_hours_after_the_event(after, is_open):
    assert appeal_open(END, END + after, 2) is is_open


def test_the_window_compares_instants_across_time_zones():
    assert appeal_open(END, datetime(2025, 10, 18, 7, 30, tzinfo=UTC), 2)


def test_naive_and_aware_times_are_not_mixed():
    with pytest.raises(ValueError):
        appeal_open(END, datetime(2025, 10, 18, 15, 0), 2)
    with pytest.raises(ValueError):
        appeal_open(END, END, -1)
