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
