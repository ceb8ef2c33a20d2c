"""The chief judge's list of missing marks names, for each aspect of an entry, the judges
whose mark is missing, and says so where no judge can mark it (chief_review.by_aspect)."""

from __future__ import annotations

from trainhub.competitions.chief_review import Missing, MissingByEntry
from trainhub.competitions.models import Aspect, Entry


def test_by_aspect_groups_by_code_and_names_the_missing_judge():
    first, second = Aspect(code="A1", title="一"), Aspect(code="B2", title="二")
    row = MissingByEntry(Entry(code="QY5YJR"), (
        Missing(second, "王霞珍"), Missing(first, None), Missing(second, "张月兰")))
    assert row.by_aspect() == [(first, [None]), (second, ["王霞珍", "张月兰"])]
    assert row.by_aspect("无裁判可评") == [(first, ["无裁判可评"]),
                                          (second, ["王霞珍", "张月兰"])]
