"""Issue 12, item 3: what a form refused for several problems at once shows: each problem
beside its field (its error tied to the control by aria-describedby) and in the error
summary, linked to the field."""

from __future__ import annotations

import re


def summary_links(html: str) -> set[str]:
    summary = re.search(r'id="error-summary".*?</div>', html, re.S)
    assert summary, "no error summary"
    return set(re.findall(r'href="#([\w-]+)"', summary.group(0)))


def assert_each_beside_its_field(html: str, fields: set[str]) -> None:
    assert summary_links(html) >= fields
    for name in fields:
        assert f'id="{name}-error"' in html, name
        assert re.search(rf'id="{name}"[^>]*aria-describedby="[^"]*{name}-error|'
                         rf'aria-describedby="[^"]*{name}-error[^"]*"[^>]*id="{name}"',
                         html), name
