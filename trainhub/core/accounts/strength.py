"""How guessable a password is, estimated by zxcvbn, with the reasons told in msgids.

The length and character-class rules (passwords.py) let through passwords built from the
patterns people reach for first: a common password with symbols swapped in
(`P@ssw0rd2024!`), a keyboard walk (`1qaz@WSX3edc`), a digit run (`Aa123456789!`). zxcvbn
counts the guesses an attacker needs by recognising those patterns. Its own feedback is in
English through the stdlib gettext, so it is mapped here to our own msgids.
"""

from __future__ import annotations

from typing import Any

from zxcvbn import zxcvbn

from trainhub.core.errors import N_

# zxcvbn's score 4 means at least 10^10 guesses; 3 still lets `1qaz@WSX3edc` through.
MIN_SCORE = 4
# zxcvbn's matching grows fast with length; beyond this a password is long enough.
ESTIMATE_LENGTH = 64

TOO_GUESSABLE = N_("The password is too easy to guess.")

# zxcvbn's English feedback (warnings and suggestions) → our msgids.
FEEDBACK: dict[str, str] = {
    "This is a top-10 common password.": N_("It is one of the most common passwords."),
    "This is a top-100 common password.": N_("It is one of the most common passwords."),
    "This is a very common password.": N_("It is a very common password."),
    "This is similar to a commonly used password.":
        N_("It is a common password with small changes."),
    "A word by itself is easy to guess.": N_("A single word is easy to guess."),
    "Names and surnames by themselves are easy to guess.": N_("Names are easy to guess."),
    "Common names and surnames are easy to guess.": N_("Names are easy to guess."),
    "Straight rows of keys are easy to guess.": N_("It follows a keyboard pattern."),
    "Short keyboard patterns are easy to guess.": N_("It follows a keyboard pattern."),
    'Repeats like "aaa" are easy to guess.': N_("It repeats characters or words."),
    'Repeats like "abcabcabc" are only slightly harder to guess than "abc".':
        N_("It repeats characters or words."),
    'Sequences like "abc" or "6543" are easy to guess.':
        N_("It contains a sequence such as abc or 6543."),
    "Recent years are easy to guess.": N_("It contains a recent year."),
    "Dates are often easy to guess.": N_("It contains a date."),
    "Capitalization doesn't help very much.":
        N_("A capital first letter does not make it much harder to guess."),
    "All-uppercase is almost as easy to guess as all-lowercase.":
        N_("Capitals throughout do not make it much harder to guess."),
    "Reversed words aren't much harder to guess.":
        N_("A word written backwards is not much harder to guess."),
    "Predictable substitutions like '@' instead of 'a' don't help very much.":
        N_("Swapping letters for look-alike symbols (@ for a, 0 for o) does not help much."),
}

# When zxcvbn gives no feedback (a score of 3), the patterns it matched say why.
PATTERNS: dict[str, str] = {
    "spatial": N_("It follows a keyboard pattern."),
    "sequence": N_("It contains a sequence such as abc or 6543."),
    "repeat": N_("It repeats characters or words."),
    "date": N_("It contains a date."),
    "regex": N_("It contains a recent year."),
}
COMMON_PART = N_("It contains a common password or word.")
ADVICE = N_("Use four or more unrelated words, or a longer sentence only you would write.")


def _pattern_reasons(sequence: list[dict[str, Any]]) -> list[str]:
    reasons = []
    for match in sequence:
        if match["pattern"] == "dictionary":
            reasons.append(COMMON_PART)
        elif match["pattern"] in PATTERNS:
            reasons.append(PATTERNS[match["pattern"]])
    return reasons


def guessability_problems(password: str, user_inputs: list[str]) -> list[str]:
    """Empty when zxcvbn rates the password hard to guess; else the verdict, its reasons
    (each once, in the order found) and advice, as msgids."""
    result = zxcvbn(password[:ESTIMATE_LENGTH], user_inputs=[u for u in user_inputs if u])
    if result["score"] >= MIN_SCORE:
        return []
    feedback = result["feedback"]
    reasons = [FEEDBACK[text] for text in [feedback["warning"], *feedback["suggestions"]]
               if text in FEEDBACK]
    if not feedback["warning"]:
        reasons += _pattern_reasons(result["sequence"])
    return list(dict.fromkeys([TOO_GUESSABLE, *reasons, ADVICE]))
