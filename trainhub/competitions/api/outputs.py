"""What the competition operations answer, as the OpenAPI document shows it. A schema nested
inside another has its own name (…Item), so each appears once in the document. Marks are
decimal strings; fields that name an entry's contestants or delegation are null wherever
the answer is by code only (before the lock)."""

from __future__ import annotations

from apiflask import Schema
from apiflask.fields import Boolean, Date, DateTime, Dict, Integer, List, Nested, String

MARK = {"description": "A decimal string", "example": "17.5"}
NAMED = {"description": "Null until the chief judge locks the event (entries are known by "
                        "station and anonymous code only until then)"}


# --- competitions and events ------------------------------------------------------------

class EventSummaryItem(Schema):
    id = Integer()
    name = String()
    occupation = String()
    team_size = Integer()
    quota = Integer()
    status = String(metadata={"description": "open, cancelled, drawn, locked or published"})


class DelegationItem(Schema):
    id = Integer()
    region_code = String(metadata={"description": "The city"})
    name = String()
    leader = String()


class CompetitionItem(Schema):
    id = Integer()
    name = String()
    region_code = String(metadata={"description": "The organising federation"})
    starts_on = Date()
    ends_on = Date()
    registration_opens = Date()
    registration_closes = Date()
    venue = String()
    created_at = DateTime()
    organiser = Boolean(metadata={"description": "The token owner organises it"})
    events = List(Nested(EventSummaryItem()))


class CompetitionOut(CompetitionItem):
    delegations = List(Nested(DelegationItem()))


class CompetitionPage(Schema):
    items = List(Nested(CompetitionItem()))
    total = Integer()
    page = Integer()
    per_page = Integer()


class AspectItem(Schema):
    id = Integer()
    code = String()
    title = String()
    kind = String(metadata={"description": "measurement or judgement"})
    scale = String(allow_none=True, metadata={"description": "wsos (0–3) or points; null "
                                                             "for a measurement"})
    max_mark = String(metadata=MARK)
    step = String(metadata=MARK)


class EligibilityItem(Schema):
    categories = List(Integer(), metadata={"description": "Disability categories admitted; "
                                                          "empty: any"})
    grades = List(Integer(), metadata={"description": "Empty: any"})
    age_reference_date = Date()
    age_min = Integer(allow_none=True, metadata={
        "description": "In force on the reference date; null when no value is"})
    age_max_male = Integer(allow_none=True)
    age_max_female = Integer(allow_none=True)
    exclude_title_holders = Boolean()


class AwardShareItem(Schema):
    award = String()
    percent = String(metadata=MARK)


class EventOut(Schema):
    id = Integer()
    competition_id = Integer()
    competition_name = String()
    name = String()
    occupation = String()
    team_size = Integer()
    quota = Integer()
    status = String(metadata={"description": "open, cancelled, drawn, locked or published"})
    cancellation_note = String(metadata={"description": "Why it was cancelled, in words"})
    registration_open = Boolean(metadata={"description": "Entries can be made, withdrawn "
                                                         "and substituted today"})
    min_entries = Integer(allow_none=True, metadata={
        "description": "Fewer confirmed entries at the close cancel the event (parameter)"})
    eligibility = Nested(EligibilityItem())
    award_rule = String()
    award_ratios = List(Nested(AwardShareItem()))
    tie_breaks = List(String(), metadata={"description": "The chain after the total"})
    aspects = List(Nested(AspectItem()))
    entries = Dict(keys=String(), values=Integer(), metadata={
        "description": "Entries by status (registered, confirmed, refused, withdrawn)"})
    draw_seed = String(allow_none=True, metadata={
        "description": "The recorded seed: anyone holding it can repeat the draw"})
    drawn_at = DateTime(allow_none=True)
    locked_at = DateTime(allow_none=True)
    ends_at = DateTime(allow_none=True, metadata={"description": "The appeal window runs "
                                                                 "from here"})
    published_at = DateTime(allow_none=True)


# --- registration -----------------------------------------------------------------------

class MemberItem(Schema):
    person_id = Integer()
    name = String()
    id_number_masked = String()
    disability_category = Integer(allow_none=True)
    disability_grade = Integer(allow_none=True)


class EntryOut(Schema):
    id = Integer()
    event_id = Integer()
    event_name = String()
    delegation = Nested(DelegationItem())
    status = String(metadata={"description": "registered, confirmed, refused or withdrawn"})
    refusal_reasons = String(metadata={"description": "Why it was refused, in words"})
    station_no = Integer(allow_none=True, metadata={"description": "工位号, after the draw"})
    registered_at = DateTime()
    members = List(Nested(MemberItem()))


class EntryItem(EntryOut):
    """An entry inside a list."""


class EntryList(Schema):
    items = List(Nested(EntryItem()))


class CityEventItem(Schema):
    event_id = Integer()
    event_name = String()
    quota = Integer()
    places_left = Integer()
    registration_open = Boolean()
    entries = List(Nested(EntryItem()))


class CityOut(Schema):
    competition_id = Integer()
    region_code = String()
    city_name = String()
    delegation = Nested(DelegationItem(), allow_none=True, metadata={
        "description": "Made with the city's first entry"})
    events = List(Nested(CityEventItem()))


class TableEntryItem(Schema):
    id = Integer()
    status = String()
    station_no = Integer(allow_none=True)
    contestant_count = Integer()
    contestants = List(String(), allow_none=True, metadata={
        "description": "Names, for the organiser and the delegation's own officers; null "
                       "otherwise"})
    refusal_reasons = String(allow_none=True)


class TableCellItem(Schema):
    event_id = Integer()
    active = Integer(metadata={"description": "Entries holding a place of the quota"})
    places_left = Integer()
    counts = Dict(keys=String(), values=Integer())
    entries = List(Nested(TableEntryItem()))


class TableRowItem(Schema):
    delegation = Nested(DelegationItem())
    active = Integer()
    cells = List(Nested(TableCellItem()))


class TableTotalItem(Schema):
    event_id = Integer()
    active = Integer()
    confirmed = Integer()
    delegations = Integer(metadata={"description": "With at least one entry holding a "
                                                   "place"})


class DelegationTableOut(Schema):
    competition_id = Integer()
    events = List(Nested(EventSummaryItem()))
    rows = List(Nested(TableRowItem()))
    totals = List(Nested(TableTotalItem()))


# --- marks, completeness, decoding, corrections ----------------------------------------

class CodedEntryItem(Schema):
    """An entry as the marking side knows it."""

    entry_id = Integer(allow_none=True, metadata=NAMED)
    station_no = Integer(allow_none=True)
    code = String(allow_none=True, metadata={"description": "加密号"})
    contestants = List(String(), allow_none=True, metadata=NAMED)
    delegation = String(allow_none=True, metadata=NAMED)


class MarkItem(Schema):
    id = Integer(metadata={"description": "What a correction names"})
    aspect = String(metadata={"description": "The aspect's code"})
    judge = String(allow_none=True, metadata={
        "description": "The judge's name; null for a measurement (one mark per entry)"})
    value = String(metadata=MARK)
    submitted_at = DateTime()


class MarkedEntryItem(CodedEntryItem):
    marks = List(Nested(MarkItem()))


class MarksOut(Schema):
    event_id = Integer()
    status = String()
    decoded = Boolean(metadata={"description": "Names are shown (after the lock)"})
    aspects = List(Nested(AspectItem()))
    entries = List(Nested(MarkedEntryItem()), metadata={
        "description": "Submitted marks only: a draft is the judge's own until submitted"})


class MissingItem(CodedEntryItem):
    aspect = String()
    judge = String(allow_none=True, metadata={
        "description": "Whose mark is missing; null for a measurement (any judge)"})


class JudgeMarkItem(Schema):
    judge = String()
    value = String(metadata=MARK)


class FlagItem(CodedEntryItem):
    aspect = String()
    lowest = String(metadata=MARK)
    highest = String(metadata=MARK)
    limit = String(metadata={"description": "The largest difference allowed"})
    marks = List(Nested(JudgeMarkItem()))


class CompletenessOut(Schema):
    event_id = Integer()
    status = String()
    decoded = Boolean()
    ready = Boolean(metadata={"description": "Every mark is in and no flag is open: the "
                                             "chief judge can lock"})
    missing_count = Integer()
    unexpected_count = Integer(metadata={"description": "Marks by judges who may not mark "
                                                        "the entry"})
    missing = List(Nested(MissingItem()))
    open_flags = List(Nested(FlagItem()), metadata={
        "description": "Disagreements the chief judge must resolve before locking"})


class DecodedOut(Schema):
    event_id = Integer()
    entries = List(Nested(CodedEntryItem()))


class CorrectionOut(CodedEntryItem):
    id = Integer()
    mark_id = Integer()
    aspect = String()
    judge = String(allow_none=True)
    old_value = String(metadata=MARK)
    new_value = String(metadata=MARK)
    reason = String()
    status = String(metadata={"description": "pending, approved or refused"})
    requested_at = DateTime()
    decided_at = DateTime(allow_none=True)


class CorrectionItem(CorrectionOut):
    """A correction inside a list."""


class CorrectionList(Schema):
    items = List(Nested(CorrectionItem()))


# --- standings and results --------------------------------------------------------------

class AspectMarkItem(Schema):
    aspect = String()
    mark = String(allow_none=True, metadata={"description": "Null: not marked"})


class StandingItem(CodedEntryItem):
    rank = Integer()
    marks = List(Nested(AspectMarkItem()))
    judgement_total = String(allow_none=True, metadata={
        "description": "Live standings only (the first tie-break by default)"})
    total = String(metadata=MARK)
    standardised = Integer(allow_none=True, metadata={"description": "700 = the median"})
    award = String(allow_none=True, metadata={"description": "Provisional until published"})
    verification_url = String(allow_none=True, metadata={
        "description": "Published results: the award certificate's verification page"})


class StandingsOut(Schema):
    event_id = Integer()
    status = String()
    decoded = Boolean()
    published = Boolean(metadata={"description": "The lines are the frozen results"})
    lines = List(Nested(StandingItem()))


class ResultItem(Schema):
    rank = Integer()
    station_no = Integer(allow_none=True)
    contestants = List(String())
    delegation = String()
    marks = List(Nested(AspectMarkItem()))
    total = String(metadata=MARK)
    standardised = Integer(allow_none=True)
    award = String(allow_none=True)
    verification_url = String(allow_none=True, metadata={
        "description": "Where anyone checks the award certificate (with an award only)"})


class LoggedCorrectionItem(Schema):
    station_no = Integer(allow_none=True)
    aspect = String()
    judge = String(allow_none=True)
    old_value = String(metadata=MARK)
    new_value = String(metadata=MARK)
    reason = String()
    status = String()
    decided_at = DateTime(allow_none=True)


class EventResultsOut(Schema):
    event_id = Integer()
    event_name = String()
    competition_id = Integer()
    competition_name = String()
    published_at = DateTime()
    aspects = List(Nested(AspectItem()))
    results = List(Nested(ResultItem()))
    corrections = List(Nested(LoggedCorrectionItem()), metadata={
        "description": "Every change of a mark after the lock"})


class PublishedEventItem(Schema):
    id = Integer()
    name = String()
    published_at = DateTime()


class AwardCountItem(Schema):
    award = String()
    count = Integer()


class MedalRowItem(Schema):
    delegation = String()
    awards = List(Nested(AwardCountItem()))
    total = Integer()


class CompetitionResultsOut(Schema):
    competition_id = Integer()
    competition_name = String()
    events = List(Nested(PublishedEventItem()))
    medal_table = List(Nested(MedalRowItem()), metadata={
        "description": "Most first prizes first, then second, then third"})


# --- judges' sheets -----------------------------------------------------------------------

class JudgeEventItem(Schema):
    event_id = Integer()
    event = String()
    occupation = String()
    competition = String()
    status = String()
    chief = Boolean(metadata={"description": "Assigned as chief judge (who does not mark)"})
    open = Boolean(metadata={"description": "Marking is open (drawn, not locked)"})


class JudgeEventList(Schema):
    items = List(Nested(JudgeEventItem()))


class SheetCellItem(Schema):
    aspect = String(metadata={"description": "The aspect's code"})
    value = String(allow_none=True, metadata=MARK)
    state = String(metadata={"description": "blank, draft, reopened (the chief judge asked "
                                            "for it again), submitted, or other (a "
                                            "measurement another judge entered)"})
    editable = Boolean()


class SheetItem(Schema):
    """A judge's sheet of one entry: by station and anonymous code only."""

    station_no = Integer()
    code = String(metadata={"description": "加密号"})
    state = String(metadata={"description": "not_started, draft, reopened or submitted"})
    marked = Integer(metadata={"description": "Aspects with a mark"})
    cells = List(Nested(SheetCellItem()))


class SheetOut(SheetItem):
    pass


class SheetList(Schema):
    event_id = Integer()
    status = String()
    open = Boolean()
    aspects = List(Nested(AspectItem()))
    sheets = List(Nested(SheetItem()))
