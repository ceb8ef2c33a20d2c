"""Simplified Chinese by default, English on request; dates and money in Chinese style."""

from __future__ import annotations

from datetime import UTC, date, datetime

from tests.conftest import csrf_token
from trainhub.core.i18n import local_date, local_datetime, money_fen, translate


def test_login_page_is_in_chinese_by_default(client):
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="zh-Hans">' in html
    assert "登录" in html and "跳至主要内容" in html


def test_english_on_request_and_back(client):
    token = csrf_token(client)
    response = client.post("/lang", data={"lang": "en", "next": "/login", "csrf_token": token})
    assert response.headers["Location"] == "/login"
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in html and "Sign in" in html
    client.post("/lang", data={"lang": "zh_Hans_CN", "next": "/login",
                               "csrf_token": csrf_token(client)})
    assert "登录" in client.get("/login").get_data(as_text=True)


def test_language_switch_ignores_unknown_languages_and_foreign_targets(client):
    token = csrf_token(client)
    response = client.post("/lang", data={"lang": "xx", "next": "https://evil.example/",
                                          "csrf_token": token})
    assert response.headers["Location"] == "/"
    assert "trainhub_lang" not in response.headers.get("Set-Cookie", "")


def test_chinese_formats(app):
    with app.test_request_context("/"):
        assert money_fen(123450) == "¥1,234.50"
        assert local_date(date(2024, 3, 1)) == "2024年3月1日"
        # 16:30 UTC is 00:30 the next day in Asia/Shanghai
        assert local_datetime(datetime(2024, 3, 1, 16, 30, tzinfo=UTC)).startswith("2024年3月2日")
        # one format for a moment everywhere, the date and the wall-clock time in China,
        # also inside messages (issue 12, item 8)
        assert local_datetime(datetime(2024, 3, 1, 16, 30, tzinfo=UTC)) == "2024年3月2日 00:30"
        assert translate("The appeal window is open until %(time)s.",
                         time=datetime(2026, 12, 7, 9, 5, 24, 916756, tzinfo=UTC)) \
            == "申诉受理期至2026年12月7日 17:05。"
        assert translate("This voucher is valid from %(date)s.", date=date(2026, 11, 17)) \
            .count("2026年11月17日") == 1


def test_select_choices_are_shown_in_the_readers_language(app):
    """Choice labels stay lazy: a label turned into text at import would stay English."""
    from trainhub.bases.forms import ApplicationForm
    from trainhub.training.forms import BatchForm

    with app.test_request_context("/"):
        assert ">培训基地<" in str(ApplicationForm(meta={"csrf": False}).kind())
        assert ">盲人按摩<" in str(BatchForm(meta={"csrf": False}).category())
    with app.test_request_context("/", headers={"Cookie": "trainhub_lang=en"}):
        assert ">Training base<" in str(ApplicationForm(meta={"csrf": False}).kind())


def test_money_matches_babel_in_every_language(app):
    """money_fen writes amounts itself (Babel is slow for tables of a thousand amounts):
    the same text as Babel's format_currency, in each supported language."""
    from decimal import Decimal

    from babel.numbers import format_currency

    amounts = [0, 1, 9, 10, 99, 100, 101, 99999, 100000, 123450, 1234567, 987654321,
               10**12, -1, -99, -100, -123450, -10**11]
    for locale in app.config["SUPPORTED_LOCALES"]:
        with app.test_request_context("/", headers={"Cookie": f"trainhub_lang={locale}"}):
            for fen in amounts:
                assert money_fen(fen) == format_currency(Decimal(fen) / 100, "CNY",
                                                         locale=locale), (locale, fen)


def test_date_filters_write_what_local_date_writes_in_each_rendering(app):
    """The template filters keep each day written once per rendering (issue 13); a moment
    and the date it falls on in China share the text, and the next rendering in another
    language writes its own."""
    from flask import render_template_string

    template = ("{{ day|date }}|{{ moment|date }}|{{ moment|datetime }}|{{ late|date }}|"
                "{{ none|date }}|{{ none|datetime }}")
    values = {"day": date(2024, 3, 2), "moment": datetime(2024, 3, 1, 16, 30, tzinfo=UTC),
              "late": datetime(2024, 3, 1, 15, 59, tzinfo=UTC), "none": None}
    with app.test_request_context("/"):
        assert render_template_string(template, **values) == (
            "2024年3月2日|2024年3月2日|2024年3月2日 00:30|2024年3月1日||")
    with app.test_request_context("/", headers={"Cookie": "trainhub_lang=en"}):
        written = render_template_string(template, **values)
        assert written.split("|")[:4] == [
            local_date(date(2024, 3, 2)), local_date(date(2024, 3, 2)),
            local_datetime(values["moment"]), local_date(date(2024, 3, 1))]
        assert "2024年" not in written
