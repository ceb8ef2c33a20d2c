"""Language choice (Simplified Chinese by default, English on request) and display filters."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal

from babel.numbers import format_currency as babel_currency
from flask import Blueprint, Flask, current_app, redirect, request, url_for
from flask_babel import format_currency, format_date, get_locale, gettext
from jinja2 import pass_context
from jinja2.runtime import Context
from werkzeug.wrappers import Response

from trainhub.core.policy import public
from trainhub.core.redirects import safe_target
from trainhub.core.timeutil import to_local

LANG_COOKIE = "trainhub_lang"

bp = Blueprint("i18n", __name__)


def select_locale() -> str:
    supported = current_app.config["SUPPORTED_LOCALES"]
    chosen = request.cookies.get(LANG_COOKIE, "")
    return chosen if chosen in supported else str(current_app.config["BABEL_DEFAULT_LOCALE"])


def html_lang() -> str:
    """BCP 47 tag for <html lang>; screen readers pick their voice from it."""
    return "zh-Hans" if str(get_locale()).startswith("zh") else "en"


@bp.post("/lang")
@public
def set_language() -> Response:
    lang = request.form.get("lang", "")
    # Only same-site paths: never an open redirect.
    target = safe_target(request.form.get("next")) or url_for("home.index")
    response = redirect(target)
    if lang in current_app.config["SUPPORTED_LOCALES"]:
        response.set_cookie(LANG_COOKIE, lang, max_age=3600 * 24 * 365, samesite="Lax",
                            secure=current_app.config["SESSION_COOKIE_SECURE"], httponly=True)
    return response


def money_fen(fen: int | None) -> str:
    """Integer fen → ¥1,234.50."""
    if fen is None:
        return ""
    return _written_money(fen, _money_format(str(get_locale())))


def _written_money(fen: int, money: tuple[str, str, str, str] | None) -> str:
    if money is None:
        return format_currency(Decimal(fen) / 100, "CNY")
    prefix, suffix = money[:2] if fen >= 0 else money[2:]
    return f"{prefix}{abs(fen) // 100:,}.{abs(fen) % 100:02d}{suffix}"


# Where a rendering keeps the text around its amounts (money_writer).
_MONEY = "_trainhub_money"


def money_writer(context: Context) -> Callable[[int], str]:
    """money_fen for one rendering, the locale's format looked up once: looking up the
    locale costs more than writing the amount, and a reconciliation table writes a thousand
    and more (issue 13). One rendering runs under one locale (_date_filter)."""
    try:
        money = context.__dict__[_MONEY]
    except KeyError:
        money = context.__dict__[_MONEY] = _money_format(str(get_locale()))
    return lambda fen: _written_money(fen, money)


@pass_context
def money_filter(context: Context, fen: int | None) -> str:
    """money_fen for templates (money_writer)."""
    return "" if fen is None else money_writer(context)(fen)


# Amounts whose Babel rendering the fast path must reproduce before it is trusted.
_MONEY_PROBES = (0, 5, 123450, 123456789, 100000000000, -1, -1230, -123456789)


@functools.lru_cache(maxsize=8)
def _money_format(locale: str) -> tuple[str, str, str, str] | None:
    """The text around a CNY amount in `locale` (positive prefix and suffix, negative
    prefix and suffix), read once from Babel: formatting through Babel costs ~60 µs an
    amount, which a reconciliation table of a thousand lines pays a thousand times. None
    (Babel each time) when the locale groups digits other than by comma in threes with a
    decimal point, which the fast path writes."""
    def babel(fen: int) -> str:
        return babel_currency(Decimal(fen) / 100, "CNY", locale=locale)

    parts = []
    for probe in (123456789, -123456789):
        text = babel(probe)
        if "1,234,567.89" not in text:
            return None
        parts += text.split("1,234,567.89", 1)
    money = (parts[0], parts[1], parts[2], parts[3])
    for probe in _MONEY_PROBES:
        prefix, suffix = money[:2] if probe >= 0 else money[2:]
        if babel(probe) != f"{prefix}{abs(probe) // 100:,}.{abs(probe) % 100:02d}{suffix}":
            return None
    return money


def local_datetime(moment: datetime | None) -> str:
    """A moment as its local date and wall-clock time in China, 2024年3月2日 00:30."""
    if moment is None:
        return ""
    return f"{local_date(moment)} {local_time(moment)}"


def local_date(day: date | datetime | None) -> str:
    """A date, or the local date of a moment, as 2024年3月1日."""
    if day is None:
        return ""
    if isinstance(day, datetime):
        day = to_local(day).date()
    return format_date(day, "long")


# Where a rendering keeps the dates it has written (core.labels keeps its labels beside).
_DATES = "_trainhub_dates"


@pass_context
def _date_filter(context: Context, day: date | datetime | None) -> str:
    """local_date for templates, each day written once per rendering: Babel takes ~60 µs a
    date, and a list of a hundred rows shows the same few days (issue 13). One rendering
    runs under one locale, as core.labels relies on too."""
    if day is None:
        return ""
    if isinstance(day, datetime):
        day = to_local(day).date()
    written: dict[date, str] = context.__dict__.setdefault(_DATES, {})
    try:
        return written[day]
    except KeyError:
        found = written[day] = format_date(day, "long")
        return found


@pass_context
def _datetime_filter(context: Context, moment: datetime | None) -> str:
    """local_datetime for templates, its date written once per rendering (_date_filter)."""
    if moment is None:
        return ""
    return f"{_date_filter(context, moment)} {local_time(moment)}"


def local_time(moment: datetime | None) -> str:
    """The wall-clock time in China, 14:30."""
    if moment is None:
        return ""
    return to_local(moment).strftime("%H:%M")


_ISO_DATE_IN_TEXT = re.compile(r"(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?![\dT-])")


def local_dates(text: str) -> str:
    """Text written before dates were written as the pages write them (an explanation
    stored with 2026-11-17 in it), with each ISO date it holds as local_date writes it."""
    def shown(match: re.Match[str]) -> str:
        try:
            return local_date(date(*(int(part) for part in match.groups())))
        except ValueError:  # not a real date: left as it is
            return match.group(0)

    return _ISO_DATE_IN_TEXT.sub(shown, text)


def local_value(value: object) -> object:
    """A message's value as the pages show it: dates and moments in the one local format
    (local_date, local_datetime); anything else unchanged."""
    if isinstance(value, datetime):
        return local_datetime(value)
    if isinstance(value, date):
        return local_date(value)
    return value


def translate(msgid: str, **params: object) -> str:
    """A msgid in the reader's language with its values shown as the pages show them: the
    one way errors and phrases that embed a date or a time are written."""
    return gettext(msgid, **{key: local_value(value) for key, value in params.items()})


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.filters.update(money=money_filter, datetime=_datetime_filter, date=_date_filter,
                               time=local_time)
    app.jinja_env.globals.update(html_lang=html_lang, get_locale=get_locale)
