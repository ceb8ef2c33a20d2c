"""Static files: content-versioned URLs that browsers keep, and only those."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from trainhub.core import static_files

STATIC = Path(__file__).resolve().parents[2] / "static"


def _linked(client) -> list[str]:
    html = client.get("/login").get_data(as_text=True)
    return re.findall(r'(?:href|src)="(/static/[^"]+)"', html)


def test_pages_name_each_static_file_by_its_content(app, client):
    urls = _linked(client)
    assert urls, "the sign-in page links no static file"
    for url in urls:
        path, _, query = url.partition("?")
        content = (STATIC / path.removeprefix("/static/")).read_bytes()
        assert query == f"v={hashlib.sha256(content).hexdigest()[:12]}", url


def test_a_versioned_file_is_kept_a_year_and_others_are_not(app, client):
    url = _linked(client)[0]
    kept = client.get(url)
    assert kept.status_code == 200
    assert kept.cache_control.max_age == static_files.YEAR
    assert kept.cache_control.immutable and not kept.cache_control.no_cache
    bare, _, _ = url.partition("?")
    for other in (bare, bare + "?v=000000000000"):
        response = client.get(other)
        assert response.status_code == 200
        assert response.cache_control.max_age != static_files.YEAR, other
        assert not response.cache_control.immutable, other


def test_an_edited_file_gets_a_new_version(tmp_path):
    target = tmp_path / "app.css"
    target.write_text("body { color: black }")
    before = static_files.version(str(tmp_path), "app.css")
    target.write_text("body { color: navy }")
    os.utime(target, ns=(1, 10**18))  # a later modification time, whatever the clock
    assert static_files.version(str(tmp_path), "app.css") not in (before, None)
    assert static_files.version(str(tmp_path), "missing.css") is None
