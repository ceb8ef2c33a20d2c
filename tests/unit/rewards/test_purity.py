"""The reward engine and its explanations are pure: no Flask, no database, nothing from
trainhub.core (checked on the source, as for the subsidy engine): every import is from the
standard library, the reward's pure modules, or the subsidy engine's pure trace helpers."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[3] / "trainhub" / "rewards"
PURE = ("engine", "values", "explain", "trace", "checks")
ALLOWED = {f"trainhub.rewards.{m}" for m in PURE} | {
    "trainhub.subsidies.values",
    "trainhub.subsidies.explain",
    "__future__",
}


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
def test_imports_only_the_standard_library_and_pure_modules(module: str) -> None:
    imported = _imports(module)
    assert imported, module
    other = sorted(
        n for n in imported if n not in ALLOWED and n.split(".")[0] not in sys.stdlib_module_names
    )
    assert not other, f"{module} imports {other}"
