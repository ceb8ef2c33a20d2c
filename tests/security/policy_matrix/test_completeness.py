"""The matrix covers every action the app registers, for every actor kind: a new action (or
a new actor kind) without its table fails here."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path
from types import ModuleType

from tests.security.policy_matrix import grid
from trainhub.core import policy

WHERE_TEST = "test_the_list_filter_keeps_what_the_table_allows"


def _modules() -> list[ModuleType]:
    here = Path(__file__).parent
    return [importlib.import_module(f"{__package__}.{m.name}")
            for m in pkgutil.iter_modules([str(here)])
            if m.name.startswith("test_") and m.name != Path(__file__).stem]


def _tables() -> list[grid.Table]:
    return [table for module in _modules() for table in module.TABLES]


def _app_actions() -> list[str]:
    """The actions of the app as built (every domain set up), not only of the modules
    this package imported."""
    from tests.conftest import process_app

    process_app()
    return policy.registered_actions()


def test_every_registered_action_has_a_table():
    actions = [t.action for t in _tables()]
    registered = _app_actions()
    assert sorted(set(registered) - set(actions)) == [], "actions without a table"
    assert sorted(set(actions) - set(registered)) == [], "tables of no registered action"
    assert sorted(a for a in actions if actions.count(a) > 1) == [], "actions in two tables"


def test_every_table_has_every_actor_kind_and_the_page_column():
    for table in _tables():
        assert table.actors == list(grid.ACTORS), table.action
        assert grid.PAGE in table.objects, table.action


def test_every_scoped_action_checks_its_list_filter():
    for module in _modules():
        if grid.scoped(module.TABLES):
            assert hasattr(module, WHERE_TEST), module.__name__
