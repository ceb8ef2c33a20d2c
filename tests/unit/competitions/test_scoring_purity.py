"""The scoring core stays pure: no Flask, no SQLAlchemy, no trainhub.core (ARCHITECTURE)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import trainhub.competitions.scoring as scoring

PACKAGE = "trainhub.competitions.scoring"
FORBIDDEN = ("flask", "flask_", "apiflask", "sqlalchemy", "werkzeug", "trainhub.core",
             "trainhub.extensions")


def _modules() -> list[Path]:
    return sorted(Path(scoring.__file__).parent.glob("*.py"))


def _imported(path: Path) -> set[str]:
    """Absolute names of every module `path` imports, relative imports resolved."""
    module = f"{PACKAGE}.{path.stem}" if path.stem != "__init__" else f"{PACKAGE}.__init__"
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = module.rsplit(".", node.level)[0]
                base = f"{parent}.{base}" if base else parent
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def test_scoring_imports_neither_flask_nor_sqlalchemy_nor_core():
    assert len(_modules()) >= 2
    for path in _modules():
        for name in _imported(path):
            assert not name.startswith(FORBIDDEN), f"{path.name} imports {name}"
            if name.startswith("trainhub"):
                assert name.startswith(PACKAGE), f"{path.name} imports {name}"


def test_scoring_needs_nothing_but_the_standard_library():
    for path in _modules():
        for name in _imported(path):
            top = name.split(".")[0]
            assert name.startswith(PACKAGE) or top in sys.stdlib_module_names, name


def test_no_dynamic_imports_either():
    for path in _modules():
        source = path.read_text(encoding="utf-8")
        assert "importlib" not in source and "__import__" not in source, path.name


def test_the_competitions_package_itself_is_a_docstring():
    init = Path(scoring.__file__).parent.parent / "__init__.py"
    tree = ast.parse(init.read_text(encoding="utf-8"))
    assert len(tree.body) == 1 and isinstance(tree.body[0], ast.Expr)
