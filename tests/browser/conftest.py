"""Browser tests: a live TrainHub server over its own committed database, driven by Chromium.

tests/conftest.py wraps each test in a rolled-back transaction that a server thread cannot
see, so these tests build a second app over a separate database (a temporary SQLite file, or
`<NAME>_browser` beside the PostgreSQL database named by TEST_DATABASE_URL), migrate it, load
the demo data and commit. No fixture here is called `app`, so the outer per-test transaction
never wraps a browser test.

The whole folder is skipped when /usr/bin/chromium-headless-shell (or Playwright, or
axe-core) is missing, unless the environment variable CI is set: then it fails, so a missing
browser cannot pass silently.
"""

from __future__ import annotations

import importlib.util
import os
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from tests.browser import helpers

# Debian's build of Chromium's headless shell: the same Blink as the browser without its
# window machinery, which Playwright also drives by default in headless mode; the whole
# browser (`chromium --headless=new`) took a third more CPU for the same pages.
CHROMIUM = Path("/usr/bin/chromium-headless-shell")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
HERE = Path(__file__).resolve().parent


def _missing_requirement() -> str | None:
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing (install the Debian 'chromium-headless-shell' package)"
    if importlib.util.find_spec("playwright") is None:
        return "the 'playwright' Python package is missing (pip install -e '.[dev]')"
    if helpers.axe_source_path() is None:
        return "axe-core is missing: run `npm ci` (node_modules/axe-core/axe.min.js)"
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    reason = _missing_requirement()
    if reason is None:
        return
    if os.environ.get("CI"):
        return  # CI must have a browser: the `browser` fixture fails every test instead
    marker = pytest.mark.skip(reason=f"browser tests skipped: {reason}")
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(marker)


# --- database and live server --------------------------------------------------------

@contextmanager
def _browser_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Yield the URL of an empty database of our own; drop it afterwards (PostgreSQL)."""
    from tests.conftest import postgres_url

    base = postgres_url()
    if not base:
        yield f"sqlite:///{tmp_path_factory.mktemp('browser-db') / 'browser.sqlite3'}"
        return
    url = sa.make_url(base)
    if not url.drivername.startswith("postgresql"):
        raise pytest.UsageError(f"TEST_DATABASE_URL must be PostgreSQL, not {url.drivername}")
    name = f"{url.database}_browser"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    quoted = admin.dialect.identifier_preparer.quote(name)
    with admin.connect() as conn:
        conn.execute(sa.text(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)"))
        conn.execute(sa.text(f"CREATE DATABASE {quoted}"))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)"))
        admin.dispose()


@pytest.fixture(scope="session")
def live_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from flask_migrate import upgrade

    from tests.conftest import TEST_CONFIG
    from trainhub import create_app
    from trainhub.cli.demo import load_demo
    from trainhub.extensions import db

    # The same keys as tests/conftest.py: the field cipher is process-wide, and the last
    # create_app() call sets it, so a second key set would break the other tests' data.
    with _browser_database(tmp_path_factory) as url:
        application = create_app(dict(TEST_CONFIG, SQLALCHEMY_DATABASE_URI=url))
        with application.app_context():
            upgrade()
            assert load_demo() is not None, "the browser database was not empty"
            db.session.commit()
        try:
            yield application
        finally:
            with application.app_context():
                db.session.remove()
                db.engine.dispose()


@pytest.fixture(scope="session")
def base_url(live_app: Any) -> Iterator[str]:
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# --- Playwright ---------------------------------------------------------------------

@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    reason = _missing_requirement()
    if reason:  # only reached with CI set; otherwise the tests were skipped
        pytest.fail(f"CI is set but the browser tests cannot run: {reason}", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def context(browser: Any, base_url: str) -> Iterator[Any]:
    """A fresh context (cookies, storage, history) per test, with the app's CSP enforced.

    axe-core goes in as an init script, which Chromium runs through DevTools outside the
    page's CSP: no bypass_csp, so a CSP breakage in the app still shows (the `page` fixture
    fails on CSP reports), and no request routing, which would turn off the HTTP cache."""
    ctx = browser.new_context(base_url=base_url, locale="zh-CN", timezone_id="Asia/Shanghai",
                              viewport={"width": 1280, "height": 900},
                              # Bootstrap animates hover colours for 0.15 s; axe reading a
                              # button mid-animation (the pointer happens to rest on it after
                              # a scroll) reports a contrast no user sees for long. Reduced
                              # motion turns those transitions off, so axe reads end states.
                              reduced_motion="reduce")
    ctx.set_default_timeout(10_000)
    ctx.add_init_script(script=helpers.axe_source())
    try:
        yield ctx
    finally:
        ctx.close()


@pytest.fixture
def page(context: Any) -> Iterator[Any]:
    tab = context.new_page()
    errors: list[str] = []
    tab.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    tab.on("pageerror", lambda exc: errors.append(f"uncaught: {exc}"))
    yield tab
    csp = [e for e in errors if "Content Security Policy" in e or e.startswith("uncaught")]
    assert not csp, "the page reported script errors or CSP violations:\n" + "\n".join(csp)


def pytest_configure(config: pytest.Config) -> None:
    """Name this run, so that its processes' axe report parts are merged and no other's:
    xdist's workers inherit the name from the controller's environment."""
    config._axe_run = os.environ.setdefault("TRAINHUB_AXE_RUN", uuid.uuid4().hex[:12])


@pytest.fixture(scope="session", autouse=True)
def _axe_report(request: pytest.FixtureRequest) -> None:
    process = os.environ.get("PYTEST_XDIST_WORKER", "main")
    helpers.start_report(request.config._axe_run, process)


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    if hasattr(config, "workerinput"):
        return
    summary = helpers.merge_report(config._axe_run)
    if summary:
        terminalreporter.write_line(summary)
