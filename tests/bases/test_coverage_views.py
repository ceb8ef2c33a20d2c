"""The coverage dashboard, its map numbers and its Excel export: scope, filters, the same
figures everywhere, the audit of an export, and a statement count that does not grow."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from typing import Any
from urllib.parse import unquote

import pytest
from flask_babel import force_locale, gettext
from openpyxl import load_workbook
from sqlalchemy import select

from tests.bases.builders import bulk_owner
from tests.bases.conftest import TODAY
from tests.bases.test_coverage import _bulk_bases
from tests.conftest import sign_in
from trainhub.bases.coverage import coverage
from trainhub.core.audit.models import AuditEntry
from trainhub.core.regions import read_reference_rows
from trainhub.extensions import db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE, WORKBOOK, MAP = "/bases/coverage", "/bases/coverage.xlsx", "/bases/coverage/map.json"


class _Tables(HTMLParser):
    """The body rows of every table, as lists of cell texts, keyed by id or class."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._key: str | None = None
        self._in_body = False
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._svg_labels: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if tag == "table":
            self._key = named.get("id") or named.get("class") or "table"
            self.tables.setdefault(self._key, [])
        elif tag == "tbody":
            self._in_body = True
        elif tag == "tr" and self._in_body:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "tbody":
            self._in_body = False
        elif tag in ("td", "th") and self._row is not None and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None and self._key:
            self.tables[self._key].append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def tables(html: str) -> dict[str, list[list[str]]]:
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def city_rows(html: str) -> list[list[str]]:
    return tables(html)["coverage-cities"]


def county_rows(html: str) -> list[list[str]]:
    return [row for key, rows in tables(html).items() if "county-table" in key for row in rows]


def _first_number(text: str) -> int:
    match = re.search(r"\d+", text)
    assert match, text
    return int(match.group())


@pytest.fixture
def seed(app, make, monkeypatch):
    """`seed(count, **options)` inserts certified bases as tests/bases/test_coverage.py does,
    committed so the views see them; every view counts on TODAY."""
    monkeypatch.setattr("trainhub.bases.coverage_views.local_today", lambda: TODAY)
    owner = bulk_owner(app, make)

    def add(count: int, **options: Any) -> None:
        with app.app_context():
            _bulk_bases(owner, count, **options)
            db.session.commit()

    return add


@pytest.fixture
def zh(app):
    """What the Chinese UI says for `msgid`, translated or not yet."""
    def translate(msgid: str, **params: Any) -> str:
        with app.test_request_context(), force_locale("zh_Hans_CN"):
            return gettext(msgid, **params)

    return translate


@pytest.fixture
def officer(make):
    def signed_in(client, region_code: str = "36") -> str:
        username = make.user("federation_officer", region_code=region_code)
        sign_in(client, username)
        return username

    return signed_in


def _sample(seed) -> None:
    seed(1, counties=["360102"])                                  # county level, 东湖区
    seed(2, level="city", counties=["360702", "360703"])          # city level, 赣州
    seed(1, kind="incubator", level="city", counties=["360702"])  # city-level incubator
    seed(1, level="province", counties=["360104"])                # province level, 南昌


def test_the_province_officer_sees_all_cities_and_counties(client, seed, officer, zh):
    _sample(seed)
    officer(client, "36")
    response = client.get(PAGE)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    cities = {row[0]: row for row in city_rows(html)}
    assert len(cities) == 11 and len(county_rows(html)) == 100
    assert cities["南昌市"][1:5] == ["2", "0", "1", "0"]
    assert cities["赣州市"][1:5] == ["2", "1", "2", "1"]
    assert _first_number(cities["南昌市"][5]) == 7  # 9 counties, 东湖 and 青山湖 covered
    assert zh("No incubation base") in cities["南昌市"][6]
    assert zh("Targets met") in cities["赣州市"][6]
    assert 'id="total-counties-without-training">' + zh(
        "%(gaps)s of %(total)s", gaps=96, total=100) in html
    assert 'role="img"' in html and "data-map-url=" in html  # the map beside the table


def test_a_city_officer_sees_only_their_city(client, seed, officer):
    _sample(seed)
    officer(client, "3601")
    html = client.get(PAGE).get_data(as_text=True)
    assert [row[0] for row in city_rows(html)] == ["南昌市"]
    nanchang = [r["name"] for r in read_reference_rows() if r["parent_code"] == "3601"]
    assert [row[0] for row in county_rows(html)] == nanchang
    assert "赣州市" not in html and 'open' in html.split('id="counties-3601"')[1][:40]


def test_a_county_officer_sees_their_county_inside_its_city(client, seed, officer):
    _sample(seed)
    officer(client, "360102")
    html = client.get(PAGE).get_data(as_text=True)
    assert [row[0] for row in city_rows(html)] == ["南昌市"]
    assert [row[0] for row in county_rows(html)] == ["东湖区"]
    assert city_rows(html)[0][1] == "1"  # only the base in 东湖区, not 青山湖区's


def test_kind_and_specialty_filters(client, seed, officer):
    _sample(seed)
    officer(client)
    html = client.get(PAGE, query_string={"kind": "incubator"}).get_data(as_text=True)
    cities = {row[0]: row for row in city_rows(html)}
    assert cities["赣州市"][1:5] == ["0", "1", "0", "1"]
    assert '<option value="incubator" selected>' in html
    html = client.get(PAGE, query_string={"specialty": "ecommerce"}).get_data(as_text=True)
    assert all(row[1:5] == ["0", "0", "0", "0"] for row in city_rows(html))
    html = client.get(PAGE, query_string={"kind": "training", "specialty": "massage"}
                      ).get_data(as_text=True)
    assert {row[0]: row for row in city_rows(html)}["赣州市"][1:5] == ["2", "0", "2", "0"]
    assert 'href="/bases/coverage.xlsx?kind=training&amp;specialty=massage"' in html


def test_invalid_filter_values_are_ignored_with_a_notice(client, seed, officer):
    _sample(seed)
    officer(client)
    plain = city_rows(client.get(PAGE).get_data(as_text=True))
    response = client.get(PAGE, query_string={"kind": "<script>x</script>",
                                              "specialty": "' OR 1=1 --"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert city_rows(html) == plain
    assert html.count('role="status"') >= 1 and "<script>x</script>" not in html
    for path in (WORKBOOK, MAP):
        assert client.get(path, query_string={"kind": "nope"}).status_code == 200
    assert client.get(MAP, query_string={"kind": "nope"}).get_json()["ignored"] == ["kind"]


def _sheet_rows(ws) -> list[list[Any]]:
    return [[cell.value for cell in row] for row in ws.iter_rows(min_row=2)]


def test_the_workbook_has_the_page_figures_and_is_audited(app, client, seed, officer, zh):
    _sample(seed)
    username = officer(client)
    html = client.get(PAGE, query_string={"kind": "training"}).get_data(as_text=True)
    response = client.get(WORKBOOK, query_string={"kind": "training"})
    assert response.status_code == 200 and response.mimetype == XLSX
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="bases-coverage-2026-03-02.xlsx"')
    expected_name = zh("Base coverage") + "-2026-03-02.xlsx"
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == expected_name
    book = load_workbook(io.BytesIO(response.data))
    cities_ws, counties_ws, notes_ws = (book[name] for name in book.sheetnames)
    assert cities_ws["B1"].value == zh("City") and cities_ws["A1"].font.bold
    page = [[row[0], *map(int, row[1:5]), _first_number(row[5])] for row in city_rows(html)]
    sheet = [[r[1], *r[2:6], r[9]] for r in _sheet_rows(cities_ws)]
    assert sheet == page
    assert cities_ws["A2"].value == "3601" and cities_ws["A2"].number_format == "@"
    page_counties = [[r[0], int(r[1]), int(r[2])] for r in county_rows(html)]
    assert [[r[2], r[3], r[4]] for r in _sheet_rows(counties_ws)] == page_counties
    notes = dict((r[0], r[1]) for r in _sheet_rows(notes_ws))
    assert notes[zh("Area covered")] == "江西省"
    assert notes[zh("Counted on")].date() == TODAY
    counted = next(row[1] for row in notes_ws.iter_rows(min_row=2)
                   if row[0].value == zh("Counted on"))
    assert counted.is_date and counted.number_format == 'yyyy"年"m"月"d"日"'
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "bases.coverage_export")).one()
        assert entry.actor_username == username and entry.region_code == "36"
        assert entry.details == {"on": "2026-03-02", "kind": "training"}


def test_the_workbook_follows_the_language(client, seed, officer):
    officer(client, "3607")
    client.set_cookie("trainhub_lang", "en")
    response = client.get(WORKBOOK)
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Cities", "Counties", "Notes"]
    assert book["Cities"]["B1"].value == "City" and book["Cities"]["B2"].value == "赣州市"
    assert "filename*=UTF-8''Base%20coverage-2026-03-02.xlsx" in \
        response.headers["Content-Disposition"]


def test_map_json_gives_the_city_numbers(app, client, seed, officer):
    _sample(seed)
    officer(client)
    data = client.get(MAP).get_json()
    assert data["on"] == "2026-03-02" and data["scope"] == "36"
    assert data["metric"] == "city_training" and len(data["cities"]) == 11
    ganzhou = next(c for c in data["cities"] if c["code"] == "3607")
    assert ganzhou == {"code": "3607", "name": "赣州市", "training": 2, "incubator": 1,
                       "city_training": 2, "city_incubator": 1, "gap_training": False,
                       "gap_incubator": False, "counties": 18,
                       "counties_without_training": 16}
    with app.app_context():
        assert data["totals"] == coverage("36", TODAY).totals
    assert "景德镇市" in data["description"]  # listed among the gaps
    assert "赣州市" not in data["description"] and "南昌市" not in data["description"]
    incubators = client.get(MAP, query_string={"kind": "incubator"}).get_json()
    assert incubators["metric"] == "city_incubator"


def test_page_statements_do_not_grow_with_bases(client, seed, officer, count_queries):
    officer(client)
    seed(10)
    client.get(PAGE)  # warm up: first-request work is not the page's cost
    with count_queries() as few:
        assert client.get(PAGE).status_code == 200
    seed(990)
    with count_queries() as many:
        html = client.get(PAGE).get_data(as_text=True)
    assert 'id="total-bases">1000<' in html
    print(f"coverage page: {len(few)} statements at 10 bases, {len(many)} at 1000")
    assert len(few) == len(many), (len(few), len(many))


@pytest.mark.parametrize("role", ["trainee", "institution_staff", "judge",
                                  "enterprise_contact", "chief_judge"])
def test_other_roles_are_refused(client, make, role):
    sign_in(client, make.user(role))
    for path in (PAGE, WORKBOOK, MAP):
        assert client.get(path).status_code == 403, path


def test_the_admin_sees_the_province(client, make, seed):
    sign_in(client, make.user("admin"))
    assert len(city_rows(client.get(PAGE).get_data(as_text=True))) == 11
    assert client.get(MAP).get_json()["scope"] == "36"


def test_anonymous_is_sent_to_sign_in(client):
    for path in (PAGE, WORKBOOK, MAP):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"]
