"""A person's page shows their history in one timeline, newest first (issue 16): training,
subsidies, competitions. Core knows no domain, so each domain contributes its lines
through a source it registers at set-up (`source`), each one statement however many
events the person has, and draws them with its own partial template."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from trainhub.core.accounts.models import Role, User
from trainhub.core.people.models import Person
from trainhub.core.timeutil import from_local

# Lines a source gives at most: more than a working life of training and competitions,
# and a bound on what one page reads whatever is in the database.
LIMIT = 200


@dataclass(frozen=True)
class Line:
    when: datetime  # aware (UTC), the order of the timeline
    template: str  # the domain's partial that draws the line (given `line`)
    href: str | None = None  # the object's page, when the viewer may open it
    facts: Mapping[str, Any] = field(default_factory=dict)

    @property
    def iso(self) -> str:
        """For <time datetime>: HTML takes at most three decimals of a second."""
        return self.when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


Source = Callable[[Person, User], list[Line]]
_SOURCES: list[Source] = []


def source(fn: Source) -> Source:
    """Register a domain's lines (called from its setup: once per process)."""
    if fn not in _SOURCES:
        _SOURCES.append(fn)
    return fn


def lines(person: Person, viewer: User) -> list[Line]:
    found = [line for each in _SOURCES for line in each(person, viewer)]
    return sorted(found, key=lambda line: line.when, reverse=True)


def is_self(person: Person, viewer: User) -> bool:
    """The trainee reading their own page: their lines lead to their own pages."""
    return viewer.role == Role.TRAINEE and viewer.person_id == person.id


def on(day: date) -> datetime:
    """A date (a payment, a certificate) placed in the timeline at noon, local time."""
    return from_local(day, time(12))
