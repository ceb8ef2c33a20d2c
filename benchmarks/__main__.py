"""`make bench`: every bulk path and page beside its floor, each part in a process of its own,
on a throw-away database (SQLite, or BENCH_DATABASE_URL for PostgreSQL), at `--scale`
(BENCH_SCALE; 1.0 is the province of issue 13: 10,000-row imports, 1,000-entry events).

Each figure prints `name: project X, floor Y, ratio Z (goal G)`; the run's figures are written
as JSON under benchmarks/results/, and the exit status is 1 when a ratio misses its goal.
Several parts run each in a fresh process of its own (run_parts): in one process a part
measured what the parts before it left behind (lock + publish read 23.7× its floor after the
decisions part, ~5× on its own: their objects kept the collector busy).
`--only engine,competition,...` runs a part: `pages` the busiest pages of each role on a
generated province (benchmarks/province_pages.py), `people` the people pages and the API,
`processes` 1 and 2 gunicorn workers on one PostgreSQL (benchmarks/processes.py).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

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
from benchmarks.harness import Figure, Report
from trainhub import create_app
from trainhub.core.parameters.defaults import load_defaults
from trainhub.core.regions import load_regions
from trainhub.extensions import db

PARTS = ("pages", "engine", "decisions", "competition", "import", "people", "processes")
PROVINCE_PARTS = ("pages", "processes")  # on the generated province


def _bench_key(purpose: str) -> str:
    """A fixed key: the bench's database is throw-away, and a province kept between runs
    (province_pages) must stay readable by the next run."""
    return hashlib.sha256(f"trainhub-bench-{purpose}".encode()).hexdigest()


def _own_database(url: str, part: str) -> str:
    """On PostgreSQL, a fresh database of the part's own beside BENCH_DATABASE_URL's (its
    name with `_<part>`): the parts' data would collide in one (the people part's residents
    among the import's), as on SQLite each part has a file of its own. The parts that work on
    the generated province (pages, processes) keep the named database, where it is kept
    between runs."""
    from sqlalchemy import create_engine, make_url, text

    base = make_url(url)
    name = f"{base.database}_{part}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def make_app(folder: str, part: str = "pages"):  # type: ignore[no-untyped-def]
    url = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{folder}/bench.sqlite3")
    if url.startswith("postgresql") and part not in PROVINCE_PARTS:
        url = _own_database(url, part)
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
    # run_parts: where a part run in a process of its own leaves its figures for the run
    parser.add_argument("--figures-to", help=argparse.SUPPRESS)
    args = parser.parse_args()
    parts = [part for part in PARTS if part in set(args.only.split(","))]
    if len(parts) > 1:
        return run_parts(parts, args.scale)
    folder = tempfile.mkdtemp(prefix="trainhub-bench-")
    app = make_app(folder, parts[0] if len(parts) == 1 else "pages")
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
    if args.figures_to:
        Path(args.figures_to).write_text(json.dumps(report.as_json()), encoding="utf-8")
        return 1 if report.missed() else 0
    return _finish(report)


def run_parts(parts: list[str], scale: float) -> int:
    """Each part in a fresh interpreter, one after the other (in the order of PARTS: pages
    first, into an empty database), their figures gathered into one report. A part that
    dies (a crash of the interpreter) is reported as a missed figure and the others run on."""
    report: Report | None = None
    with tempfile.TemporaryDirectory(prefix="trainhub-bench-parts-") as folder:
        for part in parts:
            figures = Path(folder) / f"{part}.json"
            command = [sys.executable, "-m", "benchmarks", "--scale", str(scale), "--only",
                       part, "--figures-to", str(figures)]
            done = subprocess.run(command, check=False)  # noqa: S603 - our own argv
            if not figures.exists():
                report = report or Report(_database_name(), scale)
                report.add(Figure(f"part {part}", 0.0, 0.0, None, 0, {},
                                  [f"its process ended with status {done.returncode}"]))
                continue
            written = json.loads(figures.read_text(encoding="utf-8"))
            report = report or Report(written["database"], scale)
            report.figures.extend(Figure.from_json(item) for item in written["figures"])
    assert report is not None  # parts is not empty
    print(f"\nmake bench on {report.database}, scale {scale}: {len(parts)} parts, each in "
          "its own process", flush=True)
    for figure in report.figures:
        print(figure.line())
    return _finish(report)


def _database_name() -> str:
    url = os.environ.get("BENCH_DATABASE_URL", "sqlite")
    return url.split(":")[0].split("+")[0]


def _finish(report: Report) -> int:
    path = report.write()
    missed = report.missed()
    print(f"{len(report.figures)} figures, {len(missed)} missed their goal; written to {path}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
