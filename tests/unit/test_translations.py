"""The Simplified Chinese catalog is complete, clean and in step with the source.

Fails whenever someone adds a UI string without translating it. To fix:
`scripts/i18n.sh extract && scripts/i18n.sh update`, translate the new entries in
trainhub/translations/zh_Hans_CN/LC_MESSAGES/messages.po, then `scripts/i18n.sh compile`.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "trainhub" / "translations"
POT = TRANSLATIONS / "messages.pot"
# Flask-Babel 4 parses "zh_CN" as zh_Hans_CN: the catalog must live under that name.
PO = TRANSLATIONS / "zh_Hans_CN" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")


def _read(path: Path) -> Catalog:
    with path.open("rb") as f:
        return read_po(f)


def _ids(catalog: Catalog) -> set[str]:
    return {_key(m) for m in catalog if m.id}


def _key(message: Message) -> str:
    return message.id if isinstance(message.id, str) else message.id[0]


def _strings(value: str | tuple[str, ...] | list[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def _pybabel() -> str:
    env = os.environ.get("PYBABEL")
    if env:
        return env
    beside = Path(sys.executable).parent / "pybabel"
    if beside.exists():
        return str(beside)
    found = shutil.which("pybabel")
    if not found:
        pytest.fail("pybabel not found: install babel or set PYBABEL")
    return found


@pytest.fixture(scope="module")
def po() -> Catalog:
    return _read(PO)


@pytest.fixture(scope="module")
def fresh_ids(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """msgids of a new extraction, made by scripts/i18n.sh itself so the options match."""
    out = tmp_path_factory.mktemp("i18n") / "messages.pot"
    env = {**os.environ, "PYBABEL": _pybabel(), "I18N_POT": str(out)}
    result = subprocess.run(["bash", str(ROOT / "scripts" / "i18n.sh"), "extract"],
                            env=env, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    return _ids(_read(out))


def test_every_pot_message_is_translated_in_po(po: Catalog) -> None:
    pot_ids = _ids(_read(POT))
    po_messages = {_key(m): m for m in po if m.id}
    missing = sorted(pot_ids - po_messages.keys())
    assert not missing, f"in messages.pot but not in messages.po: {missing}"
    # Chinese has one plural form, so msgstr[0] is the one that must be filled.
    empty = sorted(k for k in pot_ids
                   if not "".join(_strings(po_messages[k].string)[:1]).strip())
    assert not empty, f"untranslated: {empty}"


def test_nothing_is_fuzzy(po: Catalog) -> None:
    assert not po.fuzzy, "the catalog header is marked fuzzy"
    fuzzy = sorted(_key(m) for m in po if m.id and m.fuzzy)
    assert not fuzzy, f"fuzzy entries: {fuzzy}"


def test_placeholders_match(po: Catalog) -> None:
    wrong = []
    for m in po:
        if not m.id:
            continue
        wanted = set().union(*(set(PLACEHOLDER.findall(i)) for i in _strings(m.id)))
        for s in _strings(m.string):
            got = set(PLACEHOLDER.findall(s))
            if s and got != wanted:
                wrong.append((_key(m), sorted(wanted), sorted(got)))
    assert not wrong, f"placeholders differ (msgid, expected, found): {wrong}"


def test_catalog_passes_babel_checks(po: Catalog) -> None:
    problems = [(_key(m), [str(e) for e in errors]) for m, errors in po.check()]
    assert not problems, problems


def test_catalog_matches_a_fresh_extraction(po: Catalog, fresh_ids: set[str]) -> None:
    hint = "run scripts/i18n.sh extract && scripts/i18n.sh update, then translate"
    for name, ids in (("messages.pot", _ids(_read(POT))), ("messages.po", _ids(po))):
        new = sorted(fresh_ids - ids)
        gone = sorted(ids - fresh_ids)
        assert not new, f"strings in the source missing from {name} ({hint}): {new}"
        assert not gone, f"strings in {name} no longer in the source ({hint}): {gone}"
    assert not po.obsolete, f"obsolete entries left in messages.po: {sorted(po.obsolete)}"
