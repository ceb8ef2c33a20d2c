"""The test files other than the browser tests, split into shards of about equal work for
scripts/test.sh, which runs each shard in a pytest process of its own.

Why not pytest-xdist for these: under xdist every worker collects the whole suite (11 CPU-s
each, the schemathesis operations' coverage cases among it) and reports each of the 8,000
tests to the controlling process, which schedules the next one; measured on 2 cores, the same
tests took 326 CPU-s under `-n 2` and 273 CPU-s as two processes of half the files each.

    test_shards.py N               N lines, each the files of one shard (longest work first)
    test_shards.py --weigh XML...  tests/shard_weights.json rewritten from JUnit reports

The weights are each file's seconds in an earlier run, for each database (TEST_DATABASE_URL
set: PostgreSQL's, where the race tests run and the matrix costs more; otherwise SQLite's).
`TEST_WEIGH=1 make test` refreshes the database's own. A file without a weight counts as the
median file: a stale weight makes the shards less even, never a test missed, as every test
file is in exactly one shard.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"
WEIGHTS = TESTS / "shard_weights.json"
SKIPPED_FOLDERS = ("browser",)  # run by their own xdist run in scripts/test.sh


def test_files() -> list[str]:
    """Every test module outside the skipped folders, relative to the project, sorted."""
    return sorted(
        str(path.relative_to(ROOT)) for path in TESTS.rglob("test_*.py")
        if path.relative_to(TESTS).parts[0] not in SKIPPED_FOLDERS)


def database() -> str:
    return "postgresql" if os.environ.get("TEST_DATABASE_URL") else "sqlite"


def all_weights() -> dict[str, dict[str, float]]:
    return json.loads(WEIGHTS.read_text(encoding="utf-8")) if WEIGHTS.exists() else {}


def weights() -> dict[str, float]:
    return all_weights().get(database(), {})


def shards(files: list[str], count: int, known: dict[str, float]) -> list[list[str]]:
    """The files in `count` shards, each file to the lightest shard so far, heaviest file
    first (within about a sixth of the best split, and even in practice)."""
    usual = statistics.median(known.values()) if known else 1.0
    groups: list[list[str]] = [[] for _ in range(count)]
    loads = [0.0] * count
    for name in sorted(files, key=lambda name: (-known.get(name, usual), name)):
        lightest = loads.index(min(loads))
        groups[lightest].append(name)
        loads[lightest] += known.get(name, usual)
    return [group for group in groups if group]


def module_of(classname: str) -> str:
    """tests.core.test_x or tests.core.test_x.TestClass → tests/core/test_x.py."""
    parts = classname.split(".")
    while parts and not parts[-1].startswith("test_"):
        parts.pop()
    return "/".join(parts) + ".py"


def weigh(reports: list[str]) -> dict[str, float]:
    seconds: Counter[str] = Counter()
    for report in reports:
        for case in ET.parse(report).iter("testcase"):  # noqa: S314 - our own reports
            seconds[module_of(case.get("classname", ""))] += float(case.get("time", 0))
    return {name: round(total, 1) for name, total in sorted(seconds.items())}


def main(argv: list[str]) -> int:
    if argv[:1] == ["--weigh"]:
        kept = all_weights()
        kept[database()] = weigh(argv[1:])
        WEIGHTS.write_text(json.dumps(kept, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        return 0
    for group in shards(test_files(), int(argv[0]), weights()):
        print(" ".join(group))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
