"""The rules engines and their explanations are pure: no Flask, no database, nothing from
trainhub.core. Checked on the source (importing them would import `trainhub`, whose package
runs Flask): every import is from the standard library or from the pure modules listed here.
The reward engine reuses the subsidy engine's dated values and trace phrasing."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

TRAINHUB = Path(__file__).resolve().parents[2] / "trainhub"
# package → its pure modules
PURE = {
    "subsidies": ("engine", "values", "explain"),
    "rewards": ("engine", "values", "explain", "trace", "checks"),
}
ALLOWED = {"__future__"} | {f"trainhub.{package}.{module}"
                            for package, modules in PURE.items() for module in modules}
MODULES = [(package, module) for package, modules in PURE.items() for module in modules]


def _imports(package: str, module: str) -> set[str]:
    tree = ast.parse((TRAINHUB / package / f"{module}.py").read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{module}: relative imports hide what is imported"
            names.add(node.module or "")
    return names


@pytest.mark.parametrize(("package", "module"), MODULES, ids=[f"{p}.{m}" for p, m in MODULES])
def test_imports_only_the_standard_library_and_pure_modules(package: str, module: str) -> None:
    imported = _imports(package, module)
    assert imported, module
    other = sorted(n for n in imported
                   if n not in ALLOWED and n.split(".")[0] not in sys.stdlib_module_names)
    assert not other, f"trainhub.{package}.{module} imports {other}"
