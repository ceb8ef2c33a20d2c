"""What the competition operations accept, as the OpenAPI document shows it. Shapes and
ranges are checked here (422, with the field), with the strict fields of the other APIs; the
rules of competitions are the services' (400 and 409). Marks are decimal strings."""

from __future__ import annotations

from typing import Any

from apiflask import Schema
from apiflask.fields import List, Nested, String
from apiflask.validators import Length

from trainhub.competitions.catalog import AWARD_NAMES
from trainhub.competitions.forms import MOST_ASPECTS
from trainhub.competitions.schemes import CODE_LENGTH
from trainhub.core.api import PageQuery
from trainhub.core.api_fields import (
    FullMatch,
    StrictBoolean,
    StrictDate,
    integer,
    one_of,
    row_id,
    text,
)

MAX_TEAM = 10   # creation.add_event's bounds
MAX_QUOTA = 50
# A resident ID (18 characters) or a disability certificate number (the ID and 2 digits).
ID_NUMBER = FullMatch(r"^[0-9]{17}[0-9Xx]([0-9]{2})?$",
                      error="A resident ID or disability certificate number.")
MARK = FullMatch(r"^[0-9]{1,4}(\.[0-9]{1,2})?$",
                 error="A mark is written like 18 or 17.5 (at most two decimals).")
PERCENT = FullMatch(r"^[0-9]{1,3}(\.[0-9]{1,2})?$", error="A percentage like 10 or 12.5.")


def mark_text(description: str = "A decimal string, at most two decimals",
              **kwargs: Any) -> String:
    return String(validate=MARK, metadata={"description": description, "example": "17.5"},
                  **kwargs)


def id_number(**kwargs: Any) -> String:
    return String(validate=ID_NUMBER, metadata={
        "description": "Resident ID (18 characters) or disability certificate number (20); "
                       "never answered"}, **kwargs)


# --- competitions and events ------------------------------------------------------------

class CompetitionIn(Schema):
    name = text(120, min_length=1, required=True, metadata={
        "example": "江西省第七届残疾人职业技能竞赛"})
    registration_opens = StrictDate(required=True)
    registration_closes = StrictDate(required=True, metadata={
        "description": "The last day cities enter, withdraw or substitute contestants; "
                       "before the first day of the competition"})
    starts_on = StrictDate(required=True)
    ends_on = StrictDate(required=True)
    venue = text(200, load_default="")


class AspectIn(Schema):
    code = text(CODE_LENGTH, min_length=1, required=True, metadata={
        "description": "Short and unique in the event, e.g. A1"})
    title = text(200, load_default="", metadata={"description": "What is marked"})
    kind = one_of(("measurement", "judgement"), required=True, metadata={
        "description": "measurement: one objective mark; judgement: every judge marks"})
    scale = one_of(("wsos", "points"), load_default=None, allow_none=True, metadata={
        "description": "Judgement only: the 0–3 WorldSkills scale or points; none for a "
                       "measurement"})
    max_mark = mark_text("Above 0, at most 1000 (a decimal string)", required=True)
    step = mark_text("Marks are multiples of it (0–3 marks are whole numbers)",
                     load_default="0.5")


class AwardShareIn(Schema):
    award = one_of(AWARD_NAMES, required=True)
    percent = String(required=True, validate=PERCENT, metadata={
        "description": "Share of the entries, in percent (a decimal string)"})


class EventIn(Schema):
    name = text(120, min_length=1, required=True, metadata={"example": "盲人保健按摩"})
    occupation = text(80, min_length=1, required=True, metadata={
        "description": "Title holders are excluded per occupation"})
    team_size = integer(1, MAX_TEAM, load_default=1, metadata={
        "description": "1: individual entries"})
    quota = integer(1, MAX_QUOTA, required=True, metadata={
        "description": "Entries per delegation"})
    categories = List(integer(1, 7), load_default=list, validate=Length(max=7), metadata={
        "description": "Disability categories admitted (1–7); none: any"})
    grades = List(integer(1, 4), load_default=list, validate=Length(max=4), metadata={
        "description": "Disability grades admitted (1–4); none: any"})
    age_reference_date = StrictDate(required=True, metadata={
        "description": "Ages are counted on this date, with the limits in force then "
                       "(parameters competitions.age_*)"})
    exclude_title_holders = StrictBoolean(load_default=True)
    award_rule = one_of(("bands", "ratio"), load_default="bands", metadata={
        "description": "bands: by the number of entries (parameter); ratio: by shares"})
    award_ratios = List(Nested(AwardShareIn()), load_default=list,
                        validate=Length(max=len(AWARD_NAMES)), metadata={
                            "description": "With the ratio rule: each award's share, each "
                                           "award once (400 otherwise)"})
    aspects = List(Nested(AspectIn()), required=True,
                   validate=Length(min=1, max=MOST_ASPECTS),
                   metadata={"description": "The marking scheme, in order"})

# --- registration -----------------------------------------------------------------------

class RegisterIn(Schema):
    id_numbers = List(id_number(), required=True, validate=Length(min=1, max=MAX_TEAM),
                      metadata={"description": "One per contestant: the event's team size"})


class SubstituteIn(Schema):
    leaving_person_id = row_id(required=True, metadata={
        "description": "The member who leaves (a `person_id` of the entry)"})
    id_number = id_number(required=True)


class RefuseIn(Schema):
    reason = text(500, min_length=1, required=True, metadata={
        "description": "The delegation reads it"})


class CompetitionQuery(PageQuery):
    pass


# --- corrections --------------------------------------------------------------------------

class CorrectionIn(Schema):
    mark_id = row_id(required=True, metadata={
        "description": "A submitted mark of the event (see the marks operation)"})
    new_value = mark_text(required=True)
    reason = text(2000, min_length=1, required=True, metadata={"description": "Logged publicly"})


class DecisionIn(Schema):
    approve = StrictBoolean(required=True, metadata={
        "description": "true applies the corrected mark; false refuses it"})


# --- judges' sheets -----------------------------------------------------------------------

class SheetMarkIn(Schema):
    aspect = text(CODE_LENGTH, min_length=1, required=True,
                  metadata={"description": "The aspect's code"})
    value = mark_text("The mark, a decimal string; null leaves the aspect blank",
                      required=True, allow_none=True)


class SheetIn(Schema):
    marks = List(Nested(SheetMarkIn()), required=True, validate=Length(max=MOST_ASPECTS),
                 metadata={"description": "Each aspect at most once; aspects left out keep "
                                          "what they had"})
    submit = StrictBoolean(load_default=False, metadata={
        "description": "true submits the sheet (every aspect marked); false saves a draft"})
