"""What a new parameter value would do to the decisions built on the parameters.

Domains register an `ImpactProvider`; core.parameters knows nothing about them. Before a
value is added, every provider may refuse it (it would change a decision that is frozen)
and may list what it would change (shown side by side before the officer confirms); once it
is added, in the same transaction, every provider applies it (recomputes open decisions)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

from trainhub.core.parameters import values


@dataclass(frozen=True)
class Change:
    key: str
    value: values.Value   # parsed
    text: str             # as stored
    effective_from: date
    scope: str            # "36" or a 4-digit city code


@dataclass(frozen=True)
class ImpactRow:
    subject: str   # who or what changes, for the reader
    old: str
    new: str


class ImpactProvider(Protocol):
    def check(self, change: Change) -> None:
        """Raise a DomainError if the change would alter something frozen."""

    def preview(self, change: Change) -> list[ImpactRow]:
        """What would change, without changing it."""

    def apply(self, change: Change) -> int:
        """Bring what depends on the parameter up to date; returns how many changed."""


_providers: list[ImpactProvider] = []


def register(provider: ImpactProvider) -> None:
    """Once per kind of provider, however many applications are created."""
    if not any(type(known) is type(provider) for known in _providers):
        _providers.append(provider)


def check(change: Change) -> None:
    for provider in _providers:
        provider.check(change)


def preview(change: Change) -> list[ImpactRow]:
    return [row for provider in _providers for row in provider.preview(change)]


def apply(change: Change) -> int:
    return sum(provider.apply(change) for provider in _providers)
