"""Schemathesis (4.32) names each operation's test `test_x[GET /path]` but passes no callspec,
and pytest 9.2 builds a node id from the original name and the callspec alone: all 114
operations got the id `…::test_documented_operations_conform`. pytest-xdist keys its work by
node id, so with `--dist loadgroup` one of them ran and 113 silently did not. Give each item
the id its name says."""

from __future__ import annotations

import pytest


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        original = getattr(item, "originalname", None)
        name = item.name
        if (original and name != original and name.startswith(f"{original}[")
                and name.endswith("]") and item.nodeid.endswith(f"::{original}")):
            item._id = item.parent.id.child(original).with_params(name[len(original) + 1:-1])
