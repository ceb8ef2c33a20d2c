"""The strength estimator (zxcvbn) refuses passwords that pass the length and class rules
but are built from the first patterns an attacker tries, and says why in Chinese."""

from __future__ import annotations

import pytest
from flask_babel import force_locale, gettext

from trainhub.core.accounts import strength
from trainhub.core.accounts.passwords import password_problems

# Each passes the 12-character, 3-class rule; the reason zxcvbn gives, in Chinese.
GUESSABLE = {
    "P@ssw0rd2024!": "It is a common password with small changes.",
    "1qaz@WSX3edc": "It follows a keyboard pattern.",
    "Aa123456789!": "It contains a common password or word.",
}


@pytest.mark.parametrize("password", sorted(GUESSABLE))
def test_guessable_passwords_are_refused_with_the_reason(app, password):
    problems = password_problems(password, "wang.fang")
    assert problems[0] == strength.TOO_GUESSABLE
    assert GUESSABLE[password] in problems
    with app.test_request_context(), force_locale("zh_Hans_CN"):
        shown = [gettext(p) for p in problems]
    assert all(text != msgid for text, msgid in zip(shown, problems, strict=True)), shown
    assert all(any("\u4e00" <= c <= "\u9fff" for c in text) for text in shown), shown


def test_a_strong_passphrase_is_accepted():
    assert password_problems("Lantern-Otter-Porcelain-Valley-7", "wang.fang") == []
    assert password_problems("Gan-Xiu-Needle-2024", "wang.fang") == []


def test_the_username_counts_as_a_guess():
    assert strength.guessability_problems("Zhang.San-2024", []) == []
    assert strength.guessability_problems("Zhang.San-2024", ["zhang.san"])


def test_every_warning_of_zxcvbn_is_mapped():
    """Every text zxcvbn can give (each _("…") of zxcvbn/feedback.py) has a msgid here,
    except generic advice that ADVICE replaces."""
    import ast
    from pathlib import Path

    import zxcvbn

    tree = ast.parse((Path(zxcvbn.__file__).parent / "feedback.py").read_text())
    texts = {node.args[0].value for node in ast.walk(tree)
             if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "_"}
    advice = {text for text in texts if text.startswith(("Use ", "Avoid ", "Add ", "No need"))}
    assert texts - advice - set(strength.FEEDBACK) == set()


def test_a_very_long_password_is_estimated_quickly():
    import time

    started = time.perf_counter()
    password_problems("Lantern-Otter-" * 40)
    assert time.perf_counter() - started < 1
