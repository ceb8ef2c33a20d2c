"""The password policy (等保 complexity, ASVS length) and argon2id hashing."""

from __future__ import annotations

import string

from hypothesis import given, settings
from hypothesis import strategies as st

from trainhub.core.accounts.passwords import hash_password, password_problems, verify_password

LOWER_DIGITS = st.text(alphabet=string.ascii_lowercase + string.digits, min_size=12,
                       max_size=40)


@given(st.text(max_size=11))
def test_shorter_than_twelve_is_always_refused(password):
    assert "The password must be at least 12 characters long." in password_problems(password)


@given(LOWER_DIGITS)
def test_two_character_classes_are_never_enough(password):
    assert any("three of" in p for p in password_problems(password))


@given(st.text(alphabet=string.ascii_letters, min_size=4, max_size=12))
def test_a_password_containing_the_username_is_refused(username):
    password = f"X9!{username}-Strong"
    assert "The password must not contain the username." in password_problems(password, username)


def test_examples_from_the_checklist():
    for weak in ("12345678", "Password", "Password2024!", "aaaaaaaaaaaa"):
        assert password_problems(weak), weak
    assert password_problems("Gan-Xiu-Needle-2024") == []


@settings(max_examples=5, deadline=None)
@given(st.text(min_size=1, max_size=30))
def test_argon2id_round_trip(password):
    stored = hash_password(password, time_cost=1, memory_cost=8)
    assert stored.startswith("$argon2id$")
    assert verify_password(stored, password)
    assert not verify_password(stored, password + "x")
