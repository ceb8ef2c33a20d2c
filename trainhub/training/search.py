"""The keyword of the course catalogue and of the batch lists (issue 16): each word typed
must be found in the batch's title, its occupation (工种), its institution's name or the
name of its category, in any of them."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, false, or_

from trainhub.core.organisations import Institution
from trainhub.training.display import CATEGORY_LABELS
from trainhub.training.models import Batch

# A keyword is a few words; more would only make a slower statement find nothing more.
MAX_WORDS = 5
MAX_LENGTH = 50


def words(keyword: str | None) -> list[str]:
    return (keyword or "").split()[:MAX_WORDS]


def matches(keyword: str | None) -> ColumnElement[bool] | None:
    """The condition on Batch (joined to its Institution) that the keyword asks, None for
    no keyword. % and _ typed are taken literally."""
    found = words(keyword)
    if not found:
        return None
    return and_(*(_one(word) for word in found))


def _one(word: str) -> ColumnElement[bool]:
    # the category is stored as a code: the word is looked for in its label as read
    categories = [code for code, label in CATEGORY_LABELS.items()
                  if word.casefold() in str(label).casefold()]
    return or_(Batch.title.contains(word, autoescape=True),
               Batch.occupation.contains(word, autoescape=True),
               Institution.name.contains(word, autoescape=True),
               Batch.category.in_(categories) if categories else false())
