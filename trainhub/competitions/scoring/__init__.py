"""The pure scoring core of a skills competition (WorldSkills-style marking).

Plain values in, plain values out: no Flask, no SQLAlchemy, no `trainhub.core`. The service loads
marks and parameters, calls these functions, and stores what they return.

Arithmetic. Marks are `Decimal` (a float is refused) and everything before the aspect mark is
exact rational arithmetic. Rounding happens once, at the aspect mark: half up to 2 decimals.
Totals are sums of rounded aspect marks, so the breakdown on a results sheet adds up to its
total. The standardised score is the one computation that is not exact (a square root, at 50
significant digits) and is rounded half up to a whole number.

Aspect marks. A measurement aspect has one mark, 0..max in its step. A judgement aspect has one
mark per assigned judge: on the WorldSkills scale each judge gives 0, 1, 2 or 3 and the aspect
mark is max × sum / (3 × judges); on a points scale each gives 0..max in its step and the aspect
mark is their mean. With at least `trim_min_judges` (parameter, default 5) judges the one highest
and one lowest mark are dropped first, on either scale.

Modules: `scheme` (aspects, marks, validation, aggregation), `review` (disagreement flags,
resolutions, completeness), `results` (totals, ranking), `awards` (cancellation, awards, medal
table), `standardised` (the 700 score), `draw` (stations, anonymous codes, appeal window).
"""

from ._common import MARK_PLACES, Key, Reason, ScoringError
from .awards import (
    AWARD_NAMES,
    Award,
    AwardBand,
    MedalRow,
    award_bands,
    awards_by_bands,
    awards_by_ratio,
    event_cancelled,
    medal_table,
)
from .draw import anonymous_codes, appeal_open, draw_stations
from .results import (
    DEFAULT_TIE_BREAKS,
    AspectScore,
    EntryScore,
    Standing,
    rank_entries,
    score_entries,
    tie_break,
)
from .review import (
    Completeness,
    Flag,
    MissingMark,
    Resolution,
    ResolutionAction,
    completeness,
    disagreement_flags,
    disagreement_limit,
    unresolved_flags,
)
from .scheme import (
    Aspect,
    AspectKind,
    GroupedMarks,
    Mark,
    MarkingScheme,
    Scale,
    aspect_mark,
    group_marks,
    marks_by_cell,
    split_trimmed,
    validate_mark,
)
from .standardised import standardised_scores

__all__ = [
    "AWARD_NAMES", "DEFAULT_TIE_BREAKS", "MARK_PLACES", "Aspect", "AspectKind", "AspectScore",
    "Award", "AwardBand", "Completeness", "EntryScore", "Flag", "GroupedMarks", "Key", "Mark",
    "MarkingScheme", "MedalRow", "MissingMark", "Reason", "Resolution", "ResolutionAction",
    "Scale", "ScoringError", "Standing", "anonymous_codes", "appeal_open", "aspect_mark",
    "award_bands", "awards_by_bands", "awards_by_ratio", "completeness", "disagreement_flags",
    "disagreement_limit", "draw_stations", "event_cancelled", "group_marks", "marks_by_cell",
    "medal_table", "rank_entries", "score_entries", "split_trimmed", "standardised_scores",
    "tie_break", "unresolved_flags", "validate_mark",
]
