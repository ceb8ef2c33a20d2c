"""Domain errors. Services raise them; views and the API turn them into messages."""

from __future__ import annotations


def N_(message: str) -> str:
    """Marks a msgid for extraction; translated later, where the user's locale is known."""
    return message


class DomainError(Exception):
    """A rule was not met. `message` is an English msgid shown translated to the user."""

    status_code = 400

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message)
        self.message = message
        self.params = params

    def __str__(self) -> str:
        """The English text with its values, for logs and tests (users see it translated)."""
        try:
            return self.message % self.params if self.params else self.message
        except (KeyError, TypeError, ValueError):
            return self.message


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
        from flask_babel import gettext

        if has_request_context():
            return gettext(self.msgid, **self.params)
        return self.msgid % self.params if self.params else self.msgid


class Phrases:
    """Several phrases shown as one value, joined by `separator`."""

    def __init__(self, phrases: list[Phrase], separator: str = "；") -> None:
        self.phrases, self.separator = phrases, separator

    def __str__(self) -> str:
        return self.separator.join(str(p) for p in self.phrases)
