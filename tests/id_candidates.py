"""How many resident ID numbers agree with everything one view shows beside a masked number.

A pure helper for the disclosure tests: `seen_in_text`, `seen_in_workbook` and
`seen_in_json` read what a rendered page, an Excel export or an API answer shows (masked ID
and certificate numbers, household regions, a labelled birth date, an age, a birth year,
the sex), and `count_candidates` enumerates every 18-character number that agrees with it:
a region code the app knows (GB/T 2260, trainhub/data/jiangxi-divisions.csv) under the
shown household region, a real birth date from 1900-01-01 to today inside what the view
says of the birth, a sequence whose parity is the shown sex, and the GB 11643 check
character. An attacker who reads the view is assumed to know which value is which.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import openpyxl

from trainhub.core.idnumbers import resident_id_check_char

DIVISIONS = Path(__file__).resolve().parents[1] / "trainhub" / "data" / "jiangxi-divisions.csv"
EARLIEST = date(1900, 1, 1)
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
MASK_RE = re.compile(r"(?<![0-9*])[0-9]{4}\*{10,12}[0-9X]{4}(?![0-9*])")


@cache
def divisions() -> dict[str, str]:
    """code → name of every division the app knows (province, cities, counties)."""
    with DIVISIONS.open(encoding="utf-8") as handle:
        return {row["code"]: row["name"] for row in csv.DictReader(handle)}


def counties() -> list[str]:
    return sorted(code for code in divisions() if len(code) == 6)


@dataclass
class Seen:
    """What a view shows about one person."""

    masks: list[str] = field(default_factory=list)
    regions: set[str] = field(default_factory=set)  # household region codes (4 or 6 digits)
    born_from: date = EARLIEST
    born_to: date | None = None  # inclusive; today when None
    sex: str | None = None

    def birth_between(self, low: date, high: date) -> None:
        self.born_from, self.born_to = max(self.born_from, low), (
            high if self.born_to is None else min(self.born_to, high))

    def birth_on(self, day: date) -> None:
        self.birth_between(day, day)

    def age_on(self, age: int, today: date) -> None:
        """`age` full years on `today`: born after today minus age + 1 years."""
        self.birth_between(_years_before(today, age + 1) + timedelta(days=1),
                           _years_before(today, age))

    def birth_year(self, year: int) -> None:
        self.birth_between(date(year, 1, 1), date(year, 12, 31))


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _pattern(masks: Iterable[str]) -> list[str | None] | None:
    """The ID characters the masks show (a certificate mask shows its first 18 as the ID's);
    None when two masks disagree."""
    known: list[str | None] = [None] * 18
    for mask in masks:
        for i, char in enumerate(mask[:18]):
            if char == "*":
                continue
            if known[i] not in (None, char):
                return None
            known[i] = char
    return known


def visible_id_positions(mask: str) -> set[int]:
    return {i for i, char in enumerate(mask[:18]) if char != "*"}


def _fits(text: str, known: list[str | None]) -> bool:
    return all(k is None or k == c for c, k in zip(text, known, strict=True))


def _weight(text: str, start: int) -> int:
    return sum(int(c) * _WEIGHTS[start + i] for i, c in enumerate(text))


def count_candidates(seen: Seen, today: date) -> int:
    """Every number agreeing with `seen`, counted exhaustively: regions × dates × sequences,
    each checked against the visible check character."""
    known = _pattern(seen.masks)
    if known is None:
        return 0
    regions = _regions(known, seen)
    last = min(today, seen.born_to or today)
    days = []
    day = max(EARLIEST, seen.born_from)
    while day <= last:
        digits = f"{day:%Y%m%d}"
        if _fits(digits, known[6:14]):
            days.append(digits)
        day += timedelta(days=1)
    parity = {"M": 1, "F": 0}.get(seen.sex or "")
    sequences = [f"{n:03d}" for n in range(1000)
                 if _fits(f"{n:03d}", known[14:17]) and (parity is None or n % 2 == parity)]
    # Sequences only enter the checksum through their weighted sum: tally them modulo 11.
    by_remainder = [0] * 11
    for sequence in sequences:
        by_remainder[_weight(sequence, 14) % 11] += 1
    day_weights = [_weight(d, 6) for d in days]
    total = 0
    for region in regions:
        head = _weight(region, 0)
        for weight in day_weights:
            for remainder, n in enumerate(by_remainder):
                if n and (known[17] is None
                          or _CHECK[(head + weight + remainder) % 11] == known[17]):
                    total += n
    return total


def is_candidate(number: str, seen: Seen, today: date) -> bool:
    """The real number must be among the candidates, or the reading of the view is wrong."""
    known = _pattern(seen.masks)
    if known is None or not _fits(number, known):
        return False
    if resident_id_check_char(number[:17]) != number[17]:
        return False
    born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    if not max(EARLIEST, seen.born_from) <= born <= min(today, seen.born_to or today):
        return False
    return number[:6] in _regions(known, seen)


def _regions(known: list[str | None], seen: Seen) -> list[str]:
    """Counties fitting the visible digits, narrowed to the most precise household region
    shown (a county, else a city); a household elsewhere says nothing about the ID."""
    regions = [code for code in counties() if _fits(code, known[:6])]
    for size in (6, 4):
        shown = [code for code in regions if code[:size] in seen.regions]
        if shown:
            return shown
    return regions


# --- reading a view ------------------------------------------------------------------------

_CN_DATE = r"(\d{4})年(\d{1,2})月(\d{1,2})日"
_ISO_DATE = r"(\d{4})-(\d{2})-(\d{2})"


def _regions_named(text: str) -> set[str]:
    found = {code for code, name in divisions().items() if len(code) >= 4 and name in text}
    found |= {code for code in re.findall(r"(?<!\d)(36\d{2}(?:\d{2})?)(?!\d)", text)
              if code in divisions()}
    return found


def _about(number: str | None, text: str) -> bool:
    """Whether a row is about the person of `number` or nobody (no other person's mask)."""
    return number is None or all(_pattern([m, number]) is not None
                                 for m in MASK_RE.findall(text))


def seen_in_text(text: str, today: date, number: str | None = None) -> Seen:
    """A rendered page (Chinese UI): tags stripped; a birth date after its label, ages as
    “N 岁”, birth years as “N 年生/出生”. With `number`, table rows showing another
    person's mask are left out."""
    rows = re.split(r"(?=<tr[\s>])", text)
    text = "".join(row for row in rows if _about(number, row))
    plain = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text))
    seen = Seen(masks=MASK_RE.findall(plain), regions=_regions_named(plain))
    for label in ("出生日期", "出生年月日", "Birth date"):
        for pattern in (_CN_DATE, _ISO_DATE):
            for y, m, d in re.findall(re.escape(label) + r"\W{0,3}" + pattern, plain):
                seen.birth_on(date(int(y), int(m), int(d)))
    for age in re.findall(r"(\d{1,3}) ?(?:周岁|岁)", plain):
        seen.age_on(int(age), today)
    for year in re.findall(r"(\d{4}) ?年(?:出?生)", plain):
        seen.birth_year(int(year))
    return seen


_BIRTH_HEADERS = {"出生日期", "Birth date"}
_AGE_HEADERS = {"年龄", "Age"}
_YEAR_HEADERS = {"出生年份", "Birth year"}


def seen_in_workbook(data: bytes, today: date, number: str | None = None) -> Seen:
    """Every sheet of an .xlsx: the masks and regions in any cell, birth information by its
    column header. With `number`, rows showing another person's mask are left out."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    seen = Seen()
    for sheet in book.worksheets:
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        if not rows:
            continue
        header = [str(v) if v is not None else "" for v in rows[0]]
        rows = rows[:1] + [row for row in rows[1:] if _about(number, _cells_text(row))]
        for row in rows:
            text = _cells_text(row)
            seen.masks += MASK_RE.findall(text)
            seen.regions |= _regions_named(text)
        for row in rows[1:]:
            for title, value in zip(header, row, strict=False):
                if value in (None, ""):
                    continue
                if title in _BIRTH_HEADERS:
                    seen.birth_on(value.date() if hasattr(value, "date") else
                                  date.fromisoformat(str(value)[:10]))
                elif title in _AGE_HEADERS:
                    seen.age_on(int(value), today)
                elif title in _YEAR_HEADERS:
                    seen.birth_year(int(value))
    return seen


def _cells_text(row: list[Any]) -> str:
    return " ".join("" if v is None else str(v) for v in row)


def seen_in_json(answer: Any, today: date) -> Seen:
    """An API answer: masks in any string, regions in region keys, birth information by
    key, the sex by key."""
    seen = Seen()
    text = json.dumps(answer, ensure_ascii=False)
    seen.masks = MASK_RE.findall(text)
    seen.regions = _regions_named(text)

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if item is None:
                    continue
                if key in ("birth_date", "born_on"):
                    seen.birth_on(date.fromisoformat(str(item)[:10]))
                elif key == "age":
                    seen.age_on(int(item), today)
                elif key == "birth_year":
                    seen.birth_year(int(item))
                elif key == "sex" and item in ("M", "F"):
                    seen.sex = item
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(answer)
    return seen
