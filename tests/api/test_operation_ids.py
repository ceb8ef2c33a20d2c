"""Every API operation has a stable, meaningful operationId: other systems generate their
clients from /api/v1/openapi.json, and a client's function names come from these ids (without
them, from the paths: `get_api_v1_training_batches`)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

PUBLISHED = Path(__file__).with_name("operation_ids.txt")
CAMEL_CASE = re.compile(r"^[a-z]+(?:[A-Z][a-z0-9]*)+$|^[a-z]+$")


@pytest.fixture(scope="module")
def operations(app) -> dict[tuple[str, str], dict]:
    spec = app.test_client().get("/api/v1/openapi.json").json
    return {(method.upper(), path): op for path, item in spec["paths"].items()
            for method, op in item.items()}


def _path_words(method: str, path: str) -> str:
    return "".join(re.findall(r"[a-z0-9]+", f"{method} {path}".lower()))


def test_every_operation_has_a_meaningful_camel_case_id(operations):
    for (method, path), op in operations.items():
        op_id = op.get("operationId", "")
        assert CAMEL_CASE.match(op_id), f"{method} {path}: operationId {op_id!r}"
        # APIFlask's and the generators' fallbacks spell out the method and the path.
        assert op_id.lower() != _path_words(method, path), f"{method} {path}: {op_id}"
        assert "apiv1" not in op_id.lower(), f"{method} {path}: {op_id}"


def test_operation_ids_are_unique(operations):
    ids = [op["operationId"] for op in operations.values()]
    assert sorted({i for i in ids if ids.count(i) > 1}) == []


def test_published_operation_ids_never_change(operations):
    for line in PUBLISHED.read_text().splitlines():
        if not line or line.startswith("#"):
            continue
        op_id, method, path = line.split()
        found = operations.get((method, path), {}).get("operationId")
        assert found == op_id, f"{method} {path} was published as {op_id}, is now {found}"
