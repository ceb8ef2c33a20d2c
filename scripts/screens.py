"""Screenshots of each role's home page at 360 px (a phone) and 1280 px (a desktop), into
docs/screens/: `.venv/bin/python scripts/screens.py`.

The app runs over a temporary SQLite database with the demo data (as the browser tests
do), served in this process; Chromium's headless shell takes the pictures. `--also USER
PATH` adds a page of that user (any number of times), and `--large` takes each picture in
the larger-text mode as well; `--full` takes the whole page; `--out` writes elsewhere
(docs/screens/ by default).
"""

from __future__ import annotations

import argparse
import logging
import re
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# The home page of each kind of user (demo accounts, README).
ROLES = ("admin", "security.admin", "audit.admin", "nanchang.officer", "school.staff",
         "enterprise", "trainee1", "judge", "chief.judge")
WIDTHS = {360: 760, 1280: 900}
# `--also anonymous /` pictures the public front door, as a visitor not signed in sees it.
ANONYMOUS = "anonymous"


def _app(folder: Path) -> Any:
    from flask_migrate import upgrade

    from trainhub import create_app
    from trainhub.cli.demo import load_demo
    from trainhub.core.crypto import generate_key_text
    from trainhub.extensions import db

    app = create_app({
        "TRAINHUB_ENV": "test", "SECRET_KEY": "screens-" + "x" * 40,
        "FIELD_ENCRYPTION_KEYS": f"k1={generate_key_text()}",
        "BLIND_INDEX_KEY": generate_key_text(), "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_COST": 8, "UPLOAD_FOLDER": str(folder / "uploads"),
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'screens.sqlite3'}",
    })
    with app.app_context():
        upgrade()
        load_demo()
        db.session.commit()
    return app


def _save_small(png: bytes, target: Path) -> None:
    """The picture in 256 colours (a page is flat colours and text: a third of the size)."""
    from io import BytesIO

    from PIL import Image

    with Image.open(BytesIO(png)) as image:
        image.convert("RGB").quantize(colors=256).save(target, optimize=True)


def _name(username: str, path: str, width: int, large: bool) -> str:
    where = "home" if path == "/" else re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-")
    return f"{username.replace('.', '-')}-{where}-{width}{'-large' if large else ''}.png"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screens")
    parser.add_argument("--also", nargs=2, action="append", default=[],
                        metavar=("USER", "PATH"))
    parser.add_argument("--large", action="store_true")
    parser.add_argument("--no-homes", action="store_true", help="only the --also pages")
    parser.add_argument("--full", action="store_true", help="the whole page, not the screen")
    args = parser.parse_args()
    logging.disable(logging.INFO)  # the server's request log

    from playwright.sync_api import sync_playwright
    from werkzeug.serving import make_server

    from tests.browser.helpers import sign_in_by_request
    from trainhub.cli.demo import DEMO_PASSWORD

    shots = [] if args.no_homes else [(user, "/") for user in ROLES]
    shots += [(user, path) for user, path in args.also]
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="trainhub-screens-") as folder:
        server = make_server("127.0.0.1", 0, _app(Path(folder)), threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium-headless-shell", args=["--no-sandbox"])
            for user in dict.fromkeys(user for user, _ in shots):
                for large in (False, True) if args.large else (False,):
                    context = browser.new_context(base_url=base, locale="zh-CN",
                                                  timezone_id="Asia/Shanghai",
                                                  reduced_motion="reduce")
                    if user != ANONYMOUS:  # the public front door: not signed in
                        sign_in_by_request(context, user, DEMO_PASSWORD)
                    page = context.new_page()
                    if large:  # the header switch, as a person would use it
                        page.goto("/")
                        page.click("form.mode-form button[name=mode]")
                        page.wait_for_load_state()
                    for who, path in shots:
                        if who != user:
                            continue
                        for width, height in WIDTHS.items():
                            page.set_viewport_size({"width": width, "height": height})
                            page.goto(path, wait_until="load")
                            target = args.out / _name(user, path, width, large)
                            _save_small(page.screenshot(full_page=args.full), target)
                            print(target.relative_to(ROOT) if target.is_relative_to(ROOT)
                                  else target)
                    if large:  # the account keeps the mode: put it back
                        page.click("form.mode-form button[name=mode]")
                        page.wait_for_load_state()
                    context.close()
            browser.close()
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
