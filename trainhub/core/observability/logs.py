"""Logging: one JSON object per line in production, readable text in development
(LOG_FORMAT), every line with its request or job context, and personal numbers masked.

The mask is a safety net, not the policy: code never logs ID numbers, certificate numbers
or phone numbers (SECURITY.md 7.1.1), but a number can still arrive inside an exception's
text, a path typed by a client or a library's message. Every run of 11 or more digits (a
phone number is 11, a resident ID 18, a disability certificate 20), and an 18-character ID
ending in X, is replaced before the line is written.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from datetime import UTC, datetime
from typing import Any

from trainhub.core.observability import context

MASK = "[masked]"
PERSONAL_NUMBER = re.compile(r"(?<!\d)\d{17}[Xx](?:\d{2})?|\d{11,}")
HANDLER_NAME = "trainhub"
# Libraries whose INFO lines say nothing an operator needs (WeasyPrint: a line per step of
# every PDF).
QUIET = ("weasyprint.progress", "fontTools")
FIELDS = ("request_id", "method", "path", "status", "duration_ms", "user_id", "job",
          "job_id")


def mask(text: str) -> str:
    return PERSONAL_NUMBER.sub(MASK, text)


class MaskingFilter(logging.Filter):
    """Renders the message, the exception and the stack with personal numbers masked, so
    no formatter (nor a later handler) sees them whole."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = mask(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask(record.exc_text)
        if record.stack_info:
            record.stack_info = mask(record.stack_info)
        return True


class ContextFilter(logging.Filter):
    """Adds the request's or job's fields to each record (fields the caller set win)."""

    def filter(self, record: logging.LogRecord) -> bool:
        for key, value in context.fields().items():
            if getattr(record, key, None) is None:
                setattr(record, key, value)
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname, "logger": record.name, "message": record.getMessage(),
        }
        line.update({k: getattr(record, k) for k in FIELDS if getattr(record, k, None) is not None})
        if record.exc_text:
            line["exception"] = record.exc_text
        if record.stack_info:
            line["stack"] = record.stack_info
        # The mask once more over the whole line: a field can carry a number too.
        return mask(json.dumps(line, ensure_ascii=False, default=str))


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        extra = " ".join(f"{k}={getattr(record, k)}" for k in FIELDS
                         if getattr(record, k, None) is not None)
        return mask(super().format(record) + (f" [{extra}]" if extra else ""))


class StderrHandler(logging.StreamHandler):
    """Writes to sys.stderr as it is when a line is written (a CLI runner or a test may
    have replaced it since), unless given a stream of its own."""

    def __init__(self) -> None:
        self._own: Any = None
        super().__init__()
        self._own = None

    @property
    def stream(self) -> Any:
        return self._own if self._own is not None else sys.stderr

    @stream.setter
    def stream(self, value: Any) -> None:
        self._own = None if value is sys.stderr else value


def configure(log_format: str, level: str) -> logging.Handler:
    """One handler on the root logger (so libraries' lines are masked and shaped too),
    replacing the one a previous app of this process installed."""
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == HANDLER_NAME]:
        root.removeHandler(old)
    handler = StderrHandler()
    handler.set_name(HANDLER_NAME)
    handler.addFilter(ContextFilter())
    handler.addFilter(MaskingFilter())
    handler.setFormatter(JsonFormatter() if log_format == "json" else TextFormatter())
    root.addHandler(handler)
    root.setLevel(level)
    for name in QUIET:
        logging.getLogger(name).setLevel(logging.WARNING)
    return handler
