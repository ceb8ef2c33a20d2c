"""The engine and its explanations are pure: no Flask, no database, nothing from trainhub.core.

Checked on the source (importing them would import `trainhub`, whose package runs Flask):
every import is from the standard library or from the pure modules of trainhub.subsidies.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[3] / "trainhub" / "subsidies"
PURE = ("engine", "values", "explain")
FORBIDDEN = ("flask", "flask_babel", "flask_sqlalchemy", "sqlalchemy", "trainhub.core",
             "trainhub.extensions")


def _imports(module: str) -> set[str]:
    tree = ast.parse((PACKAGE / f"{module}.py").read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{module}: relative imports hide what is imported"
            names.add(node.module or "")
    return names


@pytest.mark.parametrize("module", PURE)
def test_imports_nothing_from_flask_sqlalchemy_or_core(module: str) -> None:
    imported = _imports(module)
    assert imported, module
    bad = sorted(n for n in imported if n.startswith(FORBIDDEN))
    assert not bad, f"{module} imports {bad}"


@pytest.mark.parametrize("module", PURE)
def test_imports_only_the_standard_library_and_pure_modules(module: str) -> None:
    allowed = {f"trainhub.subsidies.{m}" for m in PURE} | {"__future__"}
    other = sorted(n for n in _imports(module)
                   if n not in allowed and n.split(".")[0] not in sys.stdlib_module_names)
    assert not other, f"{module} imports {other}"
