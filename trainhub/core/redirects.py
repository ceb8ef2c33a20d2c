"""Where a `next` parameter may send the browser: only a path of this site.

Browsers forgive much that a naive check lets through: they drop tabs and newlines inside
a URL (`/\t/evil` becomes `//evil`), read a backslash as a slash (`/\\evil`), and a
percent-encoded slash may be decoded once more on the way. So anything with a control
character, a space or a backslash is refused outright, and what is left must still be a
plain absolute path after decoding."""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

_FORBIDDEN = re.compile(r"[\x00-\x20\x7f\\]")


def _is_local_path(target: str) -> bool:
    if _FORBIDDEN.search(target) or not target.startswith("/") or target.startswith("//"):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def safe_target(target: str | None) -> str | None:
    """`target` when it is a same-site path (also once and twice decoded), else None."""
    if not target or len(target) > 2000:
        return None
    decoded = target
    for _ in range(3):
        if not _is_local_path(decoded):
            return None
        decoded = unquote(decoded)
    return target
