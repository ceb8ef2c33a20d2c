"""Helpers for the browser tests: navigate, sign in, move by keyboard, and check with axe.

Every page a test reaches goes through `check_page` (via `visit` or `submit`), which runs
axe-core for WCAG 2.0/2.1 A and AA and appends the result to test-results/axe-report.json.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
AXE_CANDIDATES = (
    ROOT / "node_modules" / "axe-core" / "axe.min.js",
    ROOT / "static" / "vendor" / "axe-core" / "axe.min.js",  # the same file, copied at setup
)
REPORT = ROOT / "test-results" / "axe-report.json"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

_axe_source: str | None = None


def axe_source_path() -> Path | None:
    return next((path for path in AXE_CANDIDATES if path.is_file()), None)


def axe_source() -> str:
    global _axe_source
    if _axe_source is None:
        path = axe_source_path()
        assert path is not None, "axe-core is missing: run `npm ci`"
        _axe_source = path.read_text(encoding="utf-8")
    return _axe_source


# --- the report ----------------------------------------------------------------------

# Each process running browser tests (one, or each xdist worker) keeps its checks in a part
# file named by the run and the process; the process that reports merges the run's parts.
PARTS = REPORT.parent / "axe-parts"
_part: Path | None = None


def start_report(run_id: str, process: str) -> None:
    global _part
    PARTS.mkdir(parents=True, exist_ok=True)
    _part = PARTS / f"{run_id}-{process}.jsonl"
    _part.write_text("", encoding="utf-8")


def _append_report(entry: dict[str, Any]) -> None:
    """One JSON line appended to the process's part (not the whole part read and written
    again: a run checks a thousand pages and layouts)."""
    assert _part is not None, "start_report() was not called (tests/browser/conftest.py)"
    with _part.open("a", encoding="utf-8") as part:
        part.write(json.dumps(entry, ensure_ascii=False) + "\n")


def merge_report(run_id: str) -> str | None:
    """Merge the run's parts into test-results/axe-report.json; the summary line, or None
    when the run checked no page."""
    parts = sorted(PARTS.glob(f"{run_id}-*.jsonl"))
    if not parts:
        return None
    rows = [json.loads(line) for part in parts
            for line in part.read_text(encoding="utf-8").splitlines() if line]
    for part in parts:
        part.unlink()
    REPORT.write_text(json.dumps(rows, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    plain = [row for row in rows if row.get("check") == "plain-chinese"]
    widths = [row for row in rows if row.get("check") == "phone-width"]
    rows = [row for row in rows if row.get("check") not in ("plain-chinese", "phone-width")]
    if not rows:
        return None
    wide = {mode: sum(1 for row in widths if row["mode"] == mode and row["overflow"])
            for mode in ("normal", LARGE_MODE)}
    width_pages = {mode: len({row["path"] for row in widths if row["mode"] == mode})
                   for mode in ("normal", LARGE_MODE)}
    read = len({row["path"] for row in plain})
    shown = sum(1 for row in plain if row["findings"])
    failing = sum(1 for row in rows if row["violations"] and row["enforced"])
    known = sum(1 for row in rows if row["violations"] and not row["enforced"])
    pages = len({row["path"] for row in rows})
    return (f"axe: {len(rows)} checks over {pages} distinct pages, {failing} with violations "
            f"and {known} informational check(s) of third-party widgets with violations "
            f"(details in {REPORT.relative_to(ROOT)}); plain Chinese: {len(plain)} reads of "
            f"{read} distinct Chinese pages, {shown} showing codes or untranslated English; "
            f"at {PHONE_WIDTH} px: {len(widths)} width checks over {width_pages['normal']} "
            f"distinct pages in the normal mode and {width_pages[LARGE_MODE]} in the "
            f"larger-text mode, {wide['normal']} and {wide[LARGE_MODE]} scrolling sideways")


# --- axe -----------------------------------------------------------------------------

_RUN_AXE = """
async ([context, options]) => {
  const results = await axe.run(context || document, options);
  const brief = (rule) => ({
    id: rule.id, impact: rule.impact, help: rule.help, helpUrl: rule.helpUrl,
    nodes: rule.nodes.map((n) => ({ target: n.target, summary: n.failureSummary || "" })),
  });
  return {
    violations: results.violations.map(brief),
    passes: results.passes.length,
    incomplete: results.incomplete.map((r) => r.id),
  };
}
"""


def format_violations(url: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"axe found {len(violations)} WCAG A/AA violation(s) on {url}:"]
    for rule in violations:
        lines.append(f"- {rule['id']} [{rule['impact']}]: {rule['help']} ({rule['helpUrl']})")
        for node in rule["nodes"][:10]:
            target = " ".join(" >> ".join(t) if isinstance(t, list) else t
                              for t in node["target"])
            lines.append(f"    at {target}")
            for detail in node["summary"].splitlines()[:4]:
                lines.append(f"       {detail.strip()}")
        if len(rule["nodes"]) > 10:
            lines.append(f"    … and {len(rule['nodes']) - 10} more")
    return "\n".join(lines)


def check_a11y(page: Any, exclude: list[str] | None = None, note: str = "",
               include: list[str] | None = None, fail: bool = True,
               record: bool = True) -> dict[str, Any]:
    """Run axe on the current page (WCAG 2.0/2.1 A and AA); fail listing every violation.

    `exclude` lists CSS selectors axe must skip (only for third-party widgets we cannot
    fix; `note` says why, and both go into the report). `include` with `fail=False`
    records what axe finds inside such a widget without failing the test. `record=False`
    keeps the result out of the report (the harness's own self-test)."""
    assert page.evaluate("() => typeof window.axe === 'object'"), \
        "axe-core is not in the page: use the `context` fixture, which injects it"
    context: dict[str, Any] | None = None
    if include or exclude:
        context = {"exclude": [[selector] for selector in exclude or []]}
        if include:
            context["include"] = [[selector] for selector in include]
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    result = page.evaluate(_RUN_AXE, [context, options])
    url = page.url
    if record:
        _append_report(_entry(page, result, include, exclude, fail, note))
    if fail:
        assert not result["violations"], format_violations(url, result["violations"])
    return result


def _entry(page: Any, result: dict[str, Any], include: list[str] | None,
           exclude: list[str] | None, fail: bool, note: str) -> dict[str, Any]:
    url = page.url
    return {
        "test": os.environ.get("PYTEST_CURRENT_TEST", "").rsplit(" (", 1)[0],
        "url": url,
        "path": re.sub(r"^https?://[^/]+", "", url),
        "title": page.title(),
        "lang": page.evaluate("() => document.documentElement.lang"),
        "violations": len(result["violations"]),
        "passes": result["passes"],
        "incomplete": result["incomplete"],
        "rules": [rule["id"] for rule in result["violations"]],
        "included": include or ["document"],
        "excluded": exclude or [],
        "enforced": fail,
        "note": note,
    }


# --- plain Chinese --------------------------------------------------------------------

# The visible text of a Chinese page must not show what only the code knows: ISO dates and
# timestamps (the app writes 2026年11月17日 and 17:05), dotted keys (auth.login,
# competitions.min_entries), snake_case names (amount_fen), Python values (True, None,
# user #2) or English msgids left untranslated. Text that legitimately shows a code is
# marked in the templates with the HTML attribute translate="no" (certificate and
# verification numbers, usernames, addresses) or sits in <code>, <pre>, <kbd>, <samp>, a
# form field, or an element in another language (lang="en": the language switch). The API
# documentation page is all codes and is not read.
PLAIN_SKIPPED_PATHS = ("/api/v1/docs",)
# Kept in Latin letters on Chinese pages: product and format names, and the field names of
# the JSON parameters, which officers type when they enter a new value (parameter pages).
PLAIN_ALLOWED = {"TrainHub", "API", "Excel", "PDF", "QR", "JSON", "OpenAPI", "Swagger UI",
                 "WorldSkills", "max_points", "min_entries", "max_entries"}
_PLAIN_RULES = (
    ("ISO date or timestamp", re.compile(r"\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}[^\s]*)?")),
    ("dotted key", re.compile(r"(?<![\w.])[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+(?![\w.])")),
    ("snake_case name", re.compile(r"(?<![\w.])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w.])")),
    ("Python value", re.compile(r"\b(?:True|False|None)\b|\b[a-z_]+ #\d+")),
)
# A run of Latin words with at least one lowercase word: an English phrase.
_LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z']*(?:[ ,/-]+[A-Za-z][A-Za-z']*)+")
_EMAIL_OR_URL = re.compile(r"\S+@\S+|\bhttps?://\S+|\b[\w-]+(?:\.[\w-]+)+/\S*")
_UNTRANSLATED: set[str] | None = None

# Hidden through the CSSOM for the time of reading (the CSP refuses a <style> element).
_VISIBLE_TEXT = """
() => {
  const skipped = document.body.querySelectorAll(
    'code, pre, kbd, samp, textarea, [translate=no], [lang]:not([lang^=zh])');
  const saved = [...skipped].map((el) => [el, el.style.getPropertyValue('display'),
                                          el.style.getPropertyPriority('display')]);
  saved.forEach(([el]) => el.style.setProperty('display', 'none', 'important'));
  try { return document.body.innerText; } finally {
    saved.forEach(([el, value, priority]) => value
      ? el.style.setProperty('display', value, priority) : el.style.removeProperty('display'));
  }
}
"""


def untranslated_msgids() -> set[str]:
    """The English msgids of the Chinese catalogue (untranslated, or shown without their
    Chinese text): a line of a Chinese page that is one of them was not translated."""
    global _UNTRANSLATED
    if _UNTRANSLATED is None:
        from babel.messages.pofile import read_po

        po = ROOT / "trainhub" / "translations" / "zh_Hans_CN" / "LC_MESSAGES" / "messages.po"
        with po.open("rb") as handle:
            catalog = read_po(handle)
        _UNTRANSLATED = {str(m.id) for m in catalog if m.id and isinstance(m.id, str)
                         and m.string != m.id and m.id not in PLAIN_ALLOWED}
    return _UNTRANSLATED


def plain_chinese_findings(text: str) -> list[str]:
    """What in a Chinese page's visible text is a code or untranslated English."""
    findings: list[str] = []
    untranslated = untranslated_msgids()
    for line in re.split(r"[\n\t]+", text):
        line = line.strip()
        if not line:
            continue
        if line in untranslated:
            findings.append(f"untranslated msgid: {line!r}")
            continue
        bare = _EMAIL_OR_URL.sub(" ", line)
        for allowed in PLAIN_ALLOWED:
            bare = bare.replace(allowed, " ")
        for name, rule in _PLAIN_RULES:
            findings.extend(f"{name}: {match.group(0)!r} in {line[:120]!r}"
                            for match in rule.finditer(bare))
        for match in _LATIN_RUN.finditer(bare):
            if any(re.fullmatch(r"[a-z']{2,}", word) for word in re.split(r"[ ,/-]+",
                                                                          match.group(0))):
                findings.append(f"English words: {match.group(0)!r} in {line[:120]!r}")
    return list(dict.fromkeys(findings))


def check_plain_chinese(page: Any) -> list[str]:
    """On a page in Chinese, fail listing the codes and untranslated English its visible
    text shows; the pages read are counted in the report."""
    lang = page.evaluate("() => document.documentElement.lang")
    path = re.sub(r"^https?://[^/]+", "", page.url)
    if not str(lang).startswith("zh") or path.startswith(PLAIN_SKIPPED_PATHS):
        return []
    findings = plain_chinese_findings(page.evaluate(_VISIBLE_TEXT))
    _append_report({"test": os.environ.get("PYTEST_CURRENT_TEST", "").rsplit(" (", 1)[0],
                    "url": page.url, "path": path, "check": "plain-chinese",
                    "findings": findings})
    assert not findings, (f"{page.url} shows codes or untranslated English on a Chinese page:"
                          "\n" + "\n".join(f"- {f}" for f in findings))
    return findings


# --- phone width and the larger-text mode ---------------------------------------------

# Every page a test reaches is also laid out at a phone's width, in the normal and in the
# larger-text mode (data-mode="large" on <html>, which the header switch renders), and must
# not scroll sideways there. Resizing the viewport and setting the attribute re-lay the page
# out without loading it again, so the check costs a few milliseconds a page. Pages checked
# by the role crawl (test_pages_a11y.py) also run axe in the larger-text mode at 360 px.
PHONE_WIDTH = 360
PHONE_HEIGHT = 760
LARGE_MODE = "large"

# Controls that must be at least 44 px tall on a phone (touch targets): buttons, fields,
# menu links and pager links of the app's own pages (not the API documentation's widget).
TOUCH_TARGET = 44

# One call per mode: lay the page out in `mode` (data-mode on <html>; null: as it is),
# after two frames when `frames` and the page has a chart, then return the page's own
# mode, its overflow (null, or its scroll width and the elements that stick out of their
# parent past the viewport's right edge, outside any scroll or clip region, widest first)
# and the controls under `least` px tall; with `restore`, the page is back in its own mode
# when the call returns.
_LAYOUT = """
async ([mode, least, frames, restore]) => {
  const html = document.documentElement;
  const own = html.getAttribute('data-mode');
  const put = (m) => m ? html.setAttribute('data-mode', m) : html.removeAttribute('data-mode');
  if (frames && document.querySelector('[_echarts_instance_]')) {
    // after a resize a chart redraws to the new width on the window's resize event, which
    // comes before the next frames (as when a phone turns; a page loaded at 360 px has
    // drawn at that width already)
    await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  }
  if (mode !== null) put(mode);  // null: as it is; '' the normal mode
  try { return measure(); } finally { if (restore) put(own); }
  function measure() {
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + [...el.classList].slice(0, 3).map((c) => '.' + c).join('');
  const small = [];
  const controls = '.btn, .form-control, .form-select, .main-nav a, .page-link';
  for (const el of document.body.querySelectorAll(controls)) {
    if (el.closest('#swagger-ui')) continue;
    const box = el.getBoundingClientRect();
    if (box.height === 0 || box.height >= least - 0.5) continue;
    small.push(name(el) + ' ' + JSON.stringify((el.innerText || el.value || '').trim()
      .slice(0, 30)) + ' ' + Math.round(box.height) + ' px');
  }
  const root = document.scrollingElement, vw = window.innerWidth;
  if (root.scrollWidth <= vw) return { own, overflow: null, small };
  const where = (el) => {
    const parts = [];
    for (let e = el; e && e !== document.body && parts.length < 4; e = e.parentElement) {
      parts.unshift(name(e));
    }
    return parts.join(' > ');
  };
  const clipped = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (getComputedStyle(p).overflowX !== 'visible') return true;
    }
    return false;
  };
  const found = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.right <= vw + 0.5) continue;
    const outer = el.parentElement.getBoundingClientRect();
    if (box.right <= outer.right + 0.5 || clipped(el)) continue;
    found.push({ element: where(el), width: Math.round(box.width),
                 right: Math.round(box.right),
                 text: (el.innerText || '').trim().slice(0, 40) });
  }
  found.sort((a, b) => b.right - a.right);
  const overflow = { scrollWidth: root.scrollWidth, innerWidth: vw, widest: found.slice(0, 3) };
  return { own, overflow, small };
  }
}
"""

_TEXT_HASH = """
() => {
  const text = document.documentElement.getAttribute('data-mode') + document.body.textContent;
  let hash = 5381;
  for (let i = 0; i < text.length; i++) hash = ((hash * 33) ^ text.charCodeAt(i)) | 0;
  return text.length + ':' + hash;
}
"""
_laid_out: set[tuple[str, str, bool]] = set()


def _overflow_message(page: Any, overflow: dict[str, Any], mode: str) -> str:
    lines = [f"{path_of(page)} scrolls sideways at {overflow['innerWidth']} px ({mode} mode): "
             f"scrollWidth {overflow['scrollWidth']} px; widest element(s):"]
    lines += [f"- {o['element']} ({o['width']} px wide, right edge at {o['right']} px) "
              f"{o['text']!r}" for o in overflow["widest"]] or ["- (none found outside a "
                                                               "scroll region)"]
    return "\n".join(lines)


def set_mode(page: Any, mode: str | None) -> None:
    """Lay the current page out in `mode` (data-mode on <html>), or in the normal mode."""
    page.evaluate("""(mode) => mode ? document.documentElement.setAttribute('data-mode', mode)
                                    : document.documentElement.removeAttribute('data-mode')""",
                  mode)


def _check_layout(page: Any, layout: dict[str, Any], mode: str, record: bool) -> None:
    if record:
        _append_report({"test": os.environ.get("PYTEST_CURRENT_TEST", "").rsplit(" (", 1)[0],
                        "url": page.url, "path": path_of(page), "check": "phone-width",
                        "mode": mode, "overflow": layout["overflow"]})
    assert layout["overflow"] is None, _overflow_message(page, layout["overflow"], mode)
    assert not layout["small"], (
        f"{path_of(page)} at {PHONE_WIDTH} px ({mode} mode) has touch targets under "
        f"{TOUCH_TARGET} px:\n" + "\n".join(f"- {target}" for target in layout["small"][:10]))


def check_phone_width(page: Any, large_axe: bool = False, record: bool = True) -> None:
    """At PHONE_WIDTH, in the page's own mode and in the larger-text mode, the page must
    not scroll sideways (failing, name the page and the widest element) and its buttons,
    fields and menu links must be at least TOUCH_TARGET px tall; with `large_axe`,
    axe also runs in the larger-text mode at that width. The viewport and the mode are put
    back afterwards. `record=False` keeps the result out of the report (the harness's own
    self-test)."""
    # The same page with the same text (a journey comes back to the home page, a reload)
    # is laid out once per process: nothing there could have changed its width.
    seen = (page.url, page.evaluate(_TEXT_HASH), large_axe)
    if seen in _laid_out:
        return
    _laid_out.add(seen)
    viewport = page.viewport_size
    resize = bool(viewport) and viewport["width"] != PHONE_WIDTH
    own: str | None = None
    changed = False  # left in the larger-text mode for axe: put back at the end
    try:
        if resize:
            page.set_viewport_size({"width": PHONE_WIDTH, "height": PHONE_HEIGHT})
        layout = page.evaluate(_LAYOUT, [None, TOUCH_TARGET, resize, False])  # as it is
        own = layout["own"]
        _check_layout(page, layout, own or "normal", record)
        if own != LARGE_MODE:
            # back to its own mode at once, unless axe is to read the larger-text mode
            changed = large_axe
            large = page.evaluate(_LAYOUT, [LARGE_MODE, TOUCH_TARGET, False, not large_axe])
            _check_layout(page, large, LARGE_MODE, record)
            if large_axe:
                check_a11y(page, note="larger-text mode at 360 px")
    finally:
        if changed:
            set_mode(page, own)
        if resize:
            page.set_viewport_size(viewport)


# --- navigation ----------------------------------------------------------------------

def check_page(page: Any, response: Any, status: int | None = None, **axe: Any) -> Any:
    """Assert the status of the page just reached, then check it with axe, a page in
    Chinese for internal codes and untranslated English (check_plain_chinese), and its
    width on a phone in both modes (check_phone_width; `large_axe=True`: axe there too)."""
    assert response is not None, f"no response for {page.url}"
    if status is None:
        assert response.status < 400, f"{page.url} answered {response.status}"
    else:
        assert response.status == status, \
            f"{page.url} answered {response.status}, expected {status}"
    large_axe = axe.pop("large_axe", False)
    check_a11y(page, **axe)
    check_plain_chinese(page)
    check_phone_width(page, large_axe=large_axe)
    return response


def visit(page: Any, path: str, status: int | None = None, **axe: Any) -> Any:
    """Open `path`; expect a status below 400 (or exactly `status`); run axe."""
    return check_page(page, page.goto(path, wait_until="load"), status, **axe)


def submit(page: Any, action: Callable[[], Any], status: int | None = None, **axe: Any) -> Any:
    """Do something that navigates (click, Enter), then check the page it lands on."""
    with page.expect_navigation(wait_until="load") as navigation:
        action()
    return check_page(page, navigation.value, status, **axe)


def path_of(page: Any) -> str:
    """The path of the current page, without query or fragment (a form posted from
    /login#main keeps the fragment through the redirect, as browsers do)."""
    return re.split(r"[?#]", re.sub(r"^https?://[^/]+", "", page.url), maxsplit=1)[0]


CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def sign_in(page: Any, username: str, password: str) -> Any:
    """Sign in with a form POST from the context's request client (it shares the cookie
    jar), then open the home page, checked by axe. The sign-in form itself is driven by
    hand in test_journeys.py; here it would only repeat the same page for every role."""
    sign_in_by_request(page.context, username, password)
    response = visit(page, "/")
    assert path_of(page) == "/", f"{username} landed on {page.url}, not the home page"
    return response


def sign_in_by_request(context: Any, username: str, password: str) -> None:
    """The password and, for the roles that need it, the second step, posted by the
    context's request client; no page is opened (a context without JavaScript or axe)."""
    request = context.request
    if username in _remembered:  # this account's device cookie: no code to type again
        context.add_cookies([_remembered[username]])
    form = request.get("/login")
    match = CSRF_RE.search(form.text())
    assert match, f"no CSRF token on /login ({form.status})"
    answer = request.post("/login", form={"csrf_token": match.group(1), "username": username,
                                          "password": password}, max_redirects=0)
    assert answer.status == 302, f"signing in as {username} answered {answer.status}"
    if answer.headers.get("location", "").endswith("/login/code"):
        _second_step(context, username)


# Device cookies by username ("remember this device", 12 h): a code is good once, and the
# same demo account signs in many times within one 30-second step.
_remembered: dict[str, Any] = {}


def totp_codes() -> list[str]:
    """The demo key's codes of this time step and the steps either side (clock drift)."""
    import pyotp

    from trainhub.cli.demo_totp import DEMO_TOTP_SECRET

    otp = pyotp.TOTP(DEMO_TOTP_SECRET)
    now = otp.timecode(datetime.now(UTC))
    return [otp.generate_otp(step) for step in (now, now + 1, now - 1)]


def _second_step(context: Any, username: str) -> None:
    """Pass the second step with the demo key (every demo and factory staff account has it),
    asking to remember the device; a code already used by this account is refused, so the
    next step's is tried."""
    request = context.request
    for code in totp_codes():
        match = CSRF_RE.search(request.get("/login/code").text())
        assert match, "no CSRF token on /login/code"
        answer = request.post("/login/code", form={"csrf_token": match.group(1), "code": code,
                                                   "remember": "y"}, max_redirects=0)
        if answer.status == 302:
            break
    assert answer.status == 302, f"the second step of {username} answered {answer.status}"
    device = [c for c in context.cookies() if c["name"] == "trainhub_device"]
    if device:
        _remembered[username] = device[0]


# --- keyboard ------------------------------------------------------------------------

def active(page: Any) -> dict[str, Any]:
    """What has the keyboard focus."""
    return page.evaluate("""() => {
      const el = document.activeElement;
      return el ? { tag: el.tagName.toLowerCase(), id: el.id,
                    href: el.getAttribute('href'), cls: el.className,
                    text: (el.innerText || el.value || '').trim() } : {};
    }""")


def tab_until(page: Any, predicate: Callable[[dict[str, Any]], bool], limit: int = 40,
              key: str = "Tab") -> dict[str, Any]:
    """Press Tab until the focused element satisfies `predicate`; fail after `limit`."""
    seen = []
    for _ in range(limit):
        page.keyboard.press(key)
        focused = active(page)
        if predicate(focused):
            return focused
        seen.append(focused.get("id") or focused.get("href") or focused.get("tag"))
    raise AssertionError(f"focus never reached the target after {limit} Tabs; went through "
                         f"{seen}")
