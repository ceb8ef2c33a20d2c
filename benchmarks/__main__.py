"""`make bench`: every bulk path and page beside its floor, in one process, on a throw-away
database (SQLite, or BENCH_DATABASE_URL for PostgreSQL), at `--scale` (BENCH_SCALE; 1.0 is
the province of issue 13: 10,000-row imports, 1,000-entry events).

Each figure prints `name: project X, floor Y, ratio Z (goal G)`; the run's figures are written
as JSON under benchmarks/results/, and the exit status is 1 when a ratio misses its goal.
`--only engine,competition,...` runs a part: `pages` the busiest pages of each role on a
generated province (benchmarks/province_pages.py), `people` the people pages and the API,
`processes` 1 and 2 gunicorn workers on one PostgreSQL (benchmarks/processes.py).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import tempfile

from flask_migrate import upgrade

from benchmarks import (
    competition_scoring,
    foundation,
    processes,
    province_pages,
    subsidy_decisions,
    subsidy_engine,
    training_import,
)
from benchmarks.harness import Report
from trainhub import create_app
from trainhub.core.parameters.defaults import load_defaults
from trainhub.core.regions import load_regions
from trainhub.extensions import db

PARTS = ("pages", "engine", "decisions", "competition", "import", "people", "processes")


def _bench_key(purpose: str) -> str:
    """A fixed key: the bench's database is throw-away, and a province kept between runs
    (province_pages) must stay readable by the next run."""
    return hashlib.sha256(f"trainhub-bench-{purpose}".encode()).hexdigest()


def make_app(folder: str):  # type: ignore[no-untyped-def]
    url = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{folder}/bench.sqlite3")
    app = create_app({
        "TRAINHUB_ENV": "test", "SQLALCHEMY_DATABASE_URI": url,
        "SECRET_KEY": "bench-" + "x" * 40, "FIELD_ENCRYPTION_KEYS": f"k1={_bench_key('field')}",
        "BLIND_INDEX_KEY": _bench_key("index"), "UPLOAD_FOLDER": folder,
        "WTF_CSRF_ENABLED": False})
    with app.app_context():
        upgrade()
        load_regions()
        load_defaults()
        db.session.commit()
    return app


def main() -> int:
    parser = argparse.ArgumentParser(prog="make bench")
    parser.add_argument("--scale", type=float, default=float(os.environ.get("BENCH_SCALE",
                                                                            "0.2")))
    parser.add_argument("--only", default=",".join(PARTS))
    args = parser.parse_args()
    parts = set(args.only.split(","))
    folder = tempfile.mkdtemp(prefix="trainhub-bench-")
    app = make_app(folder)
    database = app.config["SQLALCHEMY_DATABASE_URI"].split(":")[0].split("+")[0]
    report = Report(database, args.scale)
    print(f"make bench on {database}, scale {args.scale}", flush=True)
    if "pages" in parts:  # first: the province is generated into an empty database
        province_pages.figures(report, app, args.scale)
    if "engine" in parts:
        subsidy_engine.figures(report, args.scale)
    if "decisions" in parts:
        subsidy_decisions.figures(report, app, args.scale)
    if "competition" in parts:
        competition_scoring.pure_figures(report)
        competition_scoring.figures(report, app, args.scale)
    if "import" in parts:
        training_import.figures(report, app, args.scale)
    if "people" in parts:
        foundation.figures(report, app, args.scale)
    if "processes" in parts:
        processes.figures(report, app, args.scale)
    path = report.write()
    missed = report.missed()
    print(f"{len(report.figures)} figures, {len(missed)} missed their goal; written to {path}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
