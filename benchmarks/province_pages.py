"""The busiest pages of each role on a generated province, beside `/healthz`.

`make bench --only pages` generates a province at `--scale` into the (empty) bench database
with `demo province`'s generator, or reuses one already there (a PostgreSQL database kept
between runs: generation at scale 1.0 takes minutes). Then, signed in as each of the
generator's sign-in accounts, it times the pages that account opens most: the home page,
its lists, the detail pages of a typical object of its scope (the busiest batch, a trainee
with a decision, the event being marked), the reconciliation page for officers.

A page's statements must not grow with the province. Each run keeps, per page, how many
times each statement ran from each place in the code (its shape without values, and the
project's lines on the stack: pages.statement_sites) in
benchmarks/results/page-statements-<database>-<scale>.json; a run at another scale fails a
page where any statement runs more often than at the smallest scale on the same database.
One exception, counted in the page's notes: a statement the small province never ran there
may run once. SQLAlchemy skips a selectinload whose parents are none (an officer's empty
queue, a batch without a base at scale 0.01), so such a loader appears once at scale 1.0;
a query run per row (an N+1) runs at one site once per row and still fails.
"""

from __future__ import annotations

import faulthandler
import json
from collections.abc import Callable
from pathlib import Path
from time import perf_counter
from typing import Any

from sqlalchemy import select, text

from benchmarks import pages
from benchmarks.harness import RESULTS, Figure, Report
from trainhub.bases.models import Base
from trainhub.cli.province.generate import generate, held_data
from trainhub.competitions.models import Assignment, Event, Judge
from trainhub.core.accounts.models import User
from trainhub.core.people.models import Person
from trainhub.core.sets import refresh_statistics
from trainhub.core.timeutil import local_today
from trainhub.extensions import db
from trainhub.subsidies.models import Decision
from trainhub.training.catalog import BatchStatus
from trainhub.training.models import Batch, Demand

SEED = 13
# Pages missing their goal here are what this figure set is for; 5× /healthz (issue 13).
GOAL = 5.0

Page = tuple[str, str]  # (label, path)


def ensure_province(app: Any, scale: float) -> None:
    """Generate the province unless the database already holds one."""
    with app.app_context():
        if db.session.scalar(select(User.id).where(User.username == "province.officer")):
            people = held_data().get("people", 0)
            print(f"pages: reusing the province in the database ({people:,} people)",
                  flush=True)
            # SQLite: the read's open transaction would keep ANALYZE's commit locked out
            db.session.rollback()
        else:
            started = perf_counter()
            generate(scale, SEED, local_today(), lambda *_args, **_kw: None)
            db.session.commit()
            print(f"pages: province generated at scale {scale} in "
                  f"{perf_counter() - started:.0f} s", flush=True)
        _settle()


def _settle() -> None:
    """The planner's statistics, as a database lives with them after a bulk load.
    PostgreSQL: and the visibility map, as autovacuum leaves them a while after a bulk load
    or a migration that rewrote a table (index-only scans need the map). SQLite has no
    statistics until ANALYZE runs, and without them planned the judge's conflict check from
    every admitted enrolment (1.5 s a page at scale 1.0, 12 ms with them)."""
    if db.engine.dialect.name == "sqlite":
        with db.engine.begin() as connection:
            refresh_statistics(connection)
        return
    if db.engine.dialect.name != "postgresql":
        return
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE"))


def _user(username: str) -> User:
    return db.session.scalars(select(User).where(User.username == username)).one()


def _first(query: Any) -> Any:
    return db.session.scalars(query.limit(1)).first()


def _busiest_batch(*where: Any) -> int | None:
    """The batch with most seats taken (then the lowest id) among `where`."""
    return _first(select(Batch.id).where(*where)
                  .order_by(Batch.seats_taken.desc(), Batch.id))


def _decision_of(batch_id: int | None) -> Decision | None:
    return _first(select(Decision).where(Decision.batch_id == batch_id).order_by(Decision.id))


def _present(*entries: tuple[str, str, object]) -> list[Page]:
    """The pages whose object the scope has (a small province may lack one)."""
    return [(label, path) for label, path, needed in entries if needed is not None]


def officer_pages(username: str) -> list[Page]:
    region = _user(username).region_code or ""
    in_scope = Batch.region_code.startswith(region)
    # a batch with claims if the scope has one (a small province's county may have none)
    batch = (_busiest_batch(in_scope, Batch.id.in_(select(Decision.batch_id)))
             or _busiest_batch(in_scope))
    decision = _decision_of(batch)
    base = _first(select(Base.id).where(Base.region_code.startswith(region)).order_by(Base.id))
    # a trainee with a decision whose household is in scope (people are scoped by household)
    person = _first(select(Decision.person_id).join(Person, Person.id == Decision.person_id)
                    .where(Person.household_region_code.startswith(region))
                    .order_by(Decision.id))
    return _present(
        ("home", "/", 1), ("people", "/people/", 1),
        ("person", f"/people/{person}", person),
        ("batches", "/training/batches", 1), ("batch", f"/training/batches/{batch}", batch),
        ("roster", f"/training/batches/{batch}/roster", batch),
        ("subsidy claims", "/subsidies/batches", 1),
        ("batch claims", f"/subsidies/batches/{batch}", batch),
        ("decision", f"/subsidies/decisions/{decision and decision.id}", decision),
        ("approvals", "/subsidies/approvals", 1), ("reconciliation", "/subsidies/reports", 1),
        ("bases", "/bases/", 1), ("base", f"/bases/{base}", base),
        ("coverage", "/bases/coverage", 1))


def staff_pages(username: str) -> list[Page]:
    institution = _user(username).institution_id
    batch = _busiest_batch(Batch.institution_id == institution)
    decision = _decision_of(batch)
    base = _first(select(Base.id).where(Base.institution_id == institution).order_by(Base.id))
    return _present(
        ("home", "/", 1), ("batches", "/training/batches", 1),
        ("batch", f"/training/batches/{batch}", batch),
        ("roster", f"/training/batches/{batch}/roster", batch),
        ("attendance", f"/training/batches/{batch}/attendance", batch),
        ("subsidy claims", "/subsidies/batches", 1),
        ("batch claims", f"/subsidies/batches/{batch}", batch),
        ("decision", f"/subsidies/decisions/{decision and decision.id}", decision),
        ("base applications", "/bases/applications", 1), ("base", f"/bases/{base}", base))


def enterprise_pages(username: str) -> list[Page]:
    enterprise = _user(username).enterprise_id
    demand = _first(select(Demand.id).where(Demand.enterprise_id == enterprise)
                    .order_by(Demand.id))
    # an enterprise opens neither batches nor bases: its orders and their graduates
    return _present(
        ("home", "/", 1), ("demands", "/training/demands", 1),
        ("demand", f"/training/demands/{demand}", demand),
        ("hired vs committed", "/training/outcomes", 1))


def trainee_pages(_username: str) -> list[Page]:
    course = _busiest_batch(Batch.status == BatchStatus.ENROLLING.value)
    return _present(
        ("home", "/", 1), ("courses", "/training/courses", 1),
        ("course", f"/training/courses/{course}", course), ("my training", "/training/mine", 1),
        ("my subsidies", "/subsidies/mine", 1),
        ("my competition results", "/competitions/mine", 1), ("my record", "/people/me", 1))


def _judged_event(username: str) -> Event:
    return db.session.scalars(
        select(Event).join(Assignment, Assignment.event_id == Event.id)
        .join(Judge, Judge.id == Assignment.judge_id).join(User, User.id == Judge.user_id)
        .where(User.username == username).order_by(Event.id).limit(1)).one()


def judge_pages(username: str) -> list[Page]:
    event = _judged_event(username)
    # a judge opens no competition pages, only the marking of the events assigned
    return [("home", "/"), ("marking", "/competitions/marking"),
            ("marking sheet", f"/competitions/events/{event.id}/marking")]


def chief_pages(username: str) -> list[Page]:
    event = _judged_event(username).id
    # the chief judge reviews rather than marks
    return [("home", "/"), ("marking", "/competitions/marking"),
            ("chief review", f"/competitions/events/{event}/chief"),
            ("scoreboard", f"/competitions/events/{event}/scoreboard"),
            ("corrections", f"/competitions/events/{event}/corrections")]


# The generator's sign-in accounts (cli/province/generate._signins, accounts.make_signins).
ROLES: tuple[tuple[str, Callable[[str], list[Page]]], ...] = (
    ("province.officer", officer_pages), ("city.officer", officer_pages),
    ("county.officer", officer_pages), ("institution.staff", staff_pages),
    ("enterprise", enterprise_pages), ("trainee", trainee_pages), ("judge", judge_pages),
    ("chief.judge", chief_pages))


def _counts_path(database: str, scale: float) -> Path:
    return RESULTS / f"page-statements-{database}-{scale:g}.json"


Sites = dict[str, int]  # statement shape @ lines → times run in one GET


def reference_counts(database: str, scale: float) -> tuple[float, dict[str, Sites]] | None:
    """The statement sites of the smallest scale below this one measured on this database,
    if any: what must not grow is compared with a smaller province, never a larger one
    (files written before sites were kept have none and are passed over)."""
    found = []
    for path in RESULTS.glob(f"page-statements-{database}-*.json"):
        other = json.loads(path.read_text(encoding="utf-8"))
        if other["scale"] < scale and "sites" in other:
            found.append((other["scale"], other["sites"]))
    return min(found, key=lambda item: item[0]) if found else None


def grown(reference: Sites, now: Sites) -> tuple[list[str], int]:
    """The statements that run more often now than at the reference scale, and how many
    statements the reference never ran at that site and that run once now (a loader
    SQLAlchemy skipped for want of parent rows)."""
    more = [f"{times}× (was {reference.get(site, 0)}) {site[:160]}"
            for site, times in now.items() if times > max(reference.get(site, 0), 1)]
    new_once = sum(1 for site, times in now.items() if site not in reference and times == 1)
    return more, new_once


def _compare(figure: Figure, scale: float, reference: Sites | None, sites: Sites) -> None:
    if reference is None:
        figure.notes[f"at scale {scale:g}"] = None
        return
    figure.notes[f"at scale {scale:g}"] = sum(reference.values())
    more, new_once = grown(reference, sites)
    if new_once:
        figure.notes["loaders with no rows there"] = new_once
    if more:
        figure.failures.append("statements grow: " + "; ".join(more))


def _measure(client: Any, name: str, path: str) -> Figure:
    """The page's figure; a page that fails is reported as missed, and the others run on."""
    try:
        return pages.latency(client, name, path, goal=GOAL)
    except Exception as error:  # noqa: BLE001 - any failure of one page is that page's
        return Figure(name, 0.0, 0.0, GOAL, 0, {"statements": None},
                      [f"{type(error).__name__}: {error}"[:200]])


def figures(report: Report, app: Any, scale: float) -> None:
    # a crash of the interpreter (SIGSEGV) prints where it happened instead of ending the
    # run without a word, as the attendance sheet's did under CPython 3.11.7
    faulthandler.enable()
    ensure_province(app, scale)
    reference = reference_counts(report.database, scale)
    counts: dict[str, int] = {}
    all_sites: dict[str, Sites] = {}
    client = app.test_client()
    for username, build in ROLES:
        with app.app_context():
            role_pages = build(username)
        pages.sign_in(client, username)
        for label, path in role_pages:
            name = f"{username}: {label}"
            figure = _measure(client, f"page {name} ({path})", path)
            if figure.notes["statements"] is not None:
                all_sites[name] = dict(pages.statement_sites(client, path))
                counts[name] = sum(all_sites[name].values())
                if reference is not None:
                    _compare(figure, reference[0], reference[1].get(name), all_sites[name])
            report.add(figure)
    RESULTS.mkdir(exist_ok=True)
    _counts_path(report.database, scale).write_text(json.dumps(
        {"scale": scale, "statements": counts, "sites": all_sites}, ensure_ascii=False,
        indent=2), encoding="utf-8")
