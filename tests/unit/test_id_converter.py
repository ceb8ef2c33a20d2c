"""`<int:...>` URL parts stop at the 32-bit column range in the regex itself (a larger id
then matches no route: a 404, also on a path with two methods, where werkzeug said 405)."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from trainhub.core.web import decimal_up_to

LIMIT = 2**31 - 1
FULL = re.compile(decimal_up_to(LIMIT) + r"\Z")


@given(st.integers(min_value=0, max_value=2**40))
def test_the_regex_accepts_exactly_the_numbers_up_to_the_limit(number: int) -> None:
    assert bool(FULL.match(str(number))) is (number <= LIMIT)


def test_the_edges() -> None:
    for accepted in ("0", "7", "2147483647", "2147483639", "1999999999", "0042"):
        assert FULL.match(accepted), accepted
    for refused in ("2147483648", "2147483650", "2200000000", "9999999999", "10000000000",
                    "-1", "", "12a"):
        assert not FULL.match(refused), refused


@given(st.integers(min_value=0, max_value=50_000), st.integers(min_value=0, max_value=60_000))
def test_any_limit(limit: int, number: int) -> None:
    pattern = re.compile(decimal_up_to(limit) + r"\Z")
    assert bool(pattern.match(str(number))) is (number <= limit)

