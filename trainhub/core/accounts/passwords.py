"""argon2id hashing and the password policy (等保 complexity, ASVS length)."""

from __future__ import annotations

import string
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from trainhub.core.accounts.strength import guessability_problems
from trainhub.core.errors import N_

MIN_LENGTH = 12
MIN_CLASSES = 3

# An offline list: the machine has no access to breach APIs. Compared case-insensitively
# after stripping digits and symbols from the ends, which catches "Password2024!".
WEAK_WORDS = frozenset(
    {
        "password", "passw0rd", "qwerty", "qwertyuiop", "admin", "administrator", "welcome",
        "letmein", "iloveyou", "trainhub", "jiangxi", "nanchang", "changeme", "abc", "abcd",
        "abcdef", "asdfgh", "zxcvbn", "woaini", "aini", "huawei", "china", "trustno",
    }
)


@lru_cache(maxsize=4)
def _hasher(time_cost: int, memory_cost: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=1)


def hash_password(password: str, time_cost: int = 3, memory_cost: int = 65536) -> str:
    return _hasher(time_cost, memory_cost).hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    try:
        return _hasher(3, 65536).verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def _character_classes(password: str) -> int:
    checks = (
        any(c.islower() for c in password),
        any(c.isupper() for c in password),
        any(c.isdigit() for c in password),
        any(not c.isalnum() for c in password),
    )
    return sum(checks)


def _core_word(password: str) -> str:
    return password.lower().strip(string.digits + string.punctuation + " ")


def password_problems(password: str, username: str = "") -> list[str]:
    """English msgids for every rule the password breaks; empty when it is acceptable."""
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(N_("The password must be at least 12 characters long."))
    if _character_classes(password) < MIN_CLASSES:
        problems.append(N_(
            "The password must mix at least three of: lower-case letters, upper-case letters, "
            "digits and symbols."
        ))
    lowered = password.lower()
    if username and (lowered == username.lower() or username.lower() in lowered):
        problems.append(N_("The password must not contain the username."))
    if _core_word(password) in WEAK_WORDS or len(set(lowered)) <= 3:
        problems.append(N_("The password is too easy to guess."))
    if not problems:  # the estimator's reasons would only repeat the rules above
        problems += guessability_problems(password, [username])
    return problems
