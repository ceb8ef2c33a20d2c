"""Domain errors. Services raise them; views and the API turn them into messages."""

from __future__ import annotations

from typing import Self


def N_(message: str) -> str:
    """Marks a msgid for extraction; translated later, where the user's locale is known."""
    return message


class DomainError(Exception):
    """A rule was not met. `message` is an English msgid shown translated to the user;
    `field`, when set by on(), names the form field the rule is about (the form shows the
    message there)."""

    status_code = 400
    field: str | None = None

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message)
        self.message = message
        self.params = params

    def on(self, field: str | None) -> Self:
        """The same error, shown on the form's `field`."""
        self.field = field
        return self

    @property
    def each(self) -> list[DomainError]:
        """Each rule not met: this one alone (Problems carries several)."""
        return [self]

    def __str__(self) -> str:
        """The English text with its values, for logs and tests (users see it translated)."""
        try:
            return self.message % self.params if self.params else self.message
        except (KeyError, TypeError, ValueError):
            return self.message


class Problems(DomainError):
    """Several rules not met by one request, answered together so that the person
    corrects them all in one round; the first gives the message for a single line."""

    def __init__(self, found: list[DomainError]) -> None:
        first = found[0]
        super().__init__(first.message, **first.params)
        self.field = first.field
        self.found = found

    @property
    def each(self) -> list[DomainError]:
        return list(self.found)

    def __str__(self) -> str:
        return " ".join(DomainError.__str__(p) for p in self.found)


class Checks:
    """Collects the rules a request does not meet instead of stopping at the first:
    add() each problem (on the field it is about), then done() raises them all at once."""

    def __init__(self) -> None:
        self.found: list[DomainError] = []

    def add(self, message: str, *, field: str | None = None, **params: object) -> None:
        self.found.append(DomainError(message, **params).on(field))

    def extend(self, error: DomainError) -> None:
        self.found.extend(error.each)

    def __bool__(self) -> bool:
        return bool(self.found)

    def done(self) -> None:
        if len(self.found) == 1:
            raise self.found[0]
        if self.found:
            raise Problems(self.found)


class NotFound(DomainError):
    status_code = 404


class PermissionDenied(DomainError):
    status_code = 403

    def __init__(self, action: str, object_type: str = "", object_id: object = "") -> None:
        super().__init__(N_("You are not allowed to do this."))
        self.action = action
        self.object_type = object_type
        self.object_id = object_id


class Conflict(DomainError):
    status_code = 409


class Phrase:
    """A msgid with its values, used as the value of another message's placeholder (the
    reasons inside "Not eligible: %(reasons)s"): translated when the message is shown, in
    the reader's language; English where no request is being answered (logs, tests)."""

    def __init__(self, msgid: str, **params: object) -> None:
        self.msgid, self.params = msgid, params

    def __str__(self) -> str:
        from flask import has_request_context

        from trainhub.core.i18n import translate

        if has_request_context():
            return translate(self.msgid, **self.params)
        return self.msgid % self.params if self.params else self.msgid


class Phrases:
    """Several phrases shown as one value, joined by `separator`."""

    def __init__(self, phrases: list[Phrase], separator: str = "；") -> None:
        self.phrases, self.separator = phrases, separator

    def __str__(self) -> str:
        return self.separator.join(str(p) for p in self.phrases)
