"""scripts/test_shards.py: every test file outside the browser folder in exactly one shard,
the shards about even by the recorded weights, and the weights read back from JUnit."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("test_shards", ROOT / "scripts/test_shards.py")
assert _spec is not None and _spec.loader is not None
shards = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(shards)


def test_every_file_but_the_browser_tests_is_in_exactly_one_shard():
    files = shards.test_files()
    assert "tests/unit/test_shards.py" in files
    assert "tests/security/test_endpoint_matrix.py" in files
    assert not [name for name in files if name.startswith("tests/browser/")]
    for count in (1, 2, 3, 8):
        groups = shards.shards(files, count, shards.weights())
        placed = [name for group in groups for name in group]
        assert sorted(placed) == files and len(groups) == min(count, len(files))


def test_the_heaviest_files_are_spread_and_the_loads_come_out_even():
    weights = {"a": 10.0, "b": 9.0, "c": 4.0, "d": 3.0, "e": 2.0}
    groups = shards.shards(["e", "d", "c", "b", "a", "new"], 2, weights)
    assert groups == [["a", "new", "e"], ["b", "c", "d"]]  # "new" weighs the median, 4
    loads = [sum(weights.get(name, 4.0) for name in group) for group in groups]
    assert loads == [16.0, 16.0]


def test_weights_are_summed_per_module_from_junit_reports(tmp_path):
    report = tmp_path / "shard0.xml"
    report.write_text(
        '<testsuites><testsuite name="pytest">'
        '<testcase classname="tests.core.test_x" name="test_a" time="1.25"/>'
        '<testcase classname="tests.core.test_x.TestThing" name="test_b" time="0.5"/>'
        '<testcase classname="tests.test_migrations" name="test_c" time="2"/>'
        "</testsuite></testsuites>", encoding="utf-8")
    assert shards.weigh([str(report)]) == {"tests/core/test_x.py": 1.8,
                                           "tests/test_migrations.py": 2.0}


def test_each_database_has_its_own_weights_and_a_refresh_keeps_the_others(tmp_path,
                                                                         monkeypatch):
    weights = tmp_path / "weights.json"
    weights.write_text('{"sqlite": {"tests/a.py": 1.0}, "postgresql": {"tests/a.py": 9.0}}',
                       encoding="utf-8")
    report = tmp_path / "shard0.xml"
    report.write_text('<testsuite><testcase classname="tests.test_b" time="3"/></testsuite>',
                      encoding="utf-8")
    monkeypatch.setattr(shards, "WEIGHTS", weights)
    monkeypatch.delenv("TEST_DATABASE_URL", raising=False)
    assert shards.weights() == {"tests/a.py": 1.0}
    monkeypatch.setenv("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1/test")
    assert shards.weights() == {"tests/a.py": 9.0}
    shards.main(["--weigh", str(report)])
    assert shards.all_weights() == {"sqlite": {"tests/a.py": 1.0},
                                    "postgresql": {"tests/test_b.py": 3.0}}
