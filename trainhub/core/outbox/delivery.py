"""Putting a message in the outbox, and delivering it (the job), with retries."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from flask import Flask, current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from werkzeug.wrappers import Response

from trainhub.core import jobs
from trainhub.core.audit.labels import register
from trainhub.core.audit.models import Outcome
from trainhub.core.audit.service import record
from trainhub.core.outbox import senders
from trainhub.core.outbox.models import Channel, OutboxMessage, Status
from trainhub.core.timeutil import utcnow
from trainhub.extensions import db

log = logging.getLogger(__name__)

JOB = "trainhub.core.outbox.delivery:deliver"
MAX_ATTEMPTS = 4
# The pause after the 1st, 2nd and 3rd failure: a reset link lives 30 minutes.
BACKOFF = (timedelta(seconds=30), timedelta(minutes=2), timedelta(minutes=5))
# A claimed message is left alone by other workers this long (a hung SMTP server).
LEASE = timedelta(minutes=2)

register(group=_l("Accounts and sign-in"), actions={
    "message.sent": _l("Message delivered"),
    "message.failed": _l("Message could not be delivered"),
}, object_types={"outbox_message": _l("Message")},
    keys={"channel": _l("Channel"), "attempts": _l("Attempts"), "message": _l("Message")},
    values={"channel": {"email": _l("e-mail"), "sms": _l("SMS")},
            "purpose": {"password_reset": _l("password reset")},
            "reason": {"message_expired": _l("expired before delivery"),
                       "address_refused": _l("address refused"),
                       "no_channel": _l("channel not configured"),
                       "too_many_attempts": _l("too many failed attempts")}})


def add(channel: Channel, recipient: str, body: str, *, purpose: str, user_id: int | None,
        expires_at: datetime, subject: str = "") -> OutboxMessage:
    """Put a message in the outbox (flushed, not committed); `schedule` it after commit."""
    message = OutboxMessage(channel=channel.value, recipient=recipient, subject=subject[:200],
                            body=body, purpose=purpose, user_id=user_id,
                            status=Status.PENDING.value, attempts=0, last_error="",
                            next_attempt_at=utcnow(), expires_at=expires_at)
    db.session.add(message)
    db.session.flush()
    return message


def schedule(message_id: int, response: Response) -> None:
    """Deliver after the commit: queued for a worker with Redis; without it, in this process
    once `response` has gone out, so that the answer's timing does not depend on the mail
    server (nor tell whether a message was sent)."""
    if jobs.is_async():
        try:
            jobs.enqueue(JOB, message_id)
        except jobs.QueueUnavailable:
            log.warning("outbox message %s not queued: Redis unavailable; "
                        "`flask outbox send` delivers it", message_id)
        return
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    response.call_on_close(lambda: jobs.run_in(app, JOB, [message_id], None))


def deliver(message_id: int) -> None:
    """The job: one attempt at one message, if it is due and no one else holds it."""
    now = utcnow()
    claimed = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.status == Status.PENDING.value,
               OutboxMessage.next_attempt_at <= now)
        .values(next_attempt_at=now + LEASE)
        .execution_options(synchronize_session=False))
    db.session.commit()
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return
    message = db.session.get(OutboxMessage, message_id)
    assert message is not None
    db.session.refresh(message)
    _attempt(message, now)
    db.session.commit()


def _attempt(message: OutboxMessage, now: datetime) -> None:
    if message.expires_at <= now:
        _end(message, Status.FAILED, now, "message_expired")
        return
    try:
        _send(message)
    except senders.DeliveryError as error:
        message.attempts += 1
        message.last_error = str(error)[:200]
        if error.permanent:
            reason = "no_channel" if str(error) == "unavailable" else "address_refused"
            _end(message, Status.FAILED, now, reason)
        elif message.attempts >= MAX_ATTEMPTS:
            _end(message, Status.FAILED, now, "too_many_attempts")
        else:
            message.next_attempt_at = now + BACKOFF[message.attempts - 1]
        return
    message.attempts += 1
    _end(message, Status.SENT, now)


def _send(message: OutboxMessage) -> None:
    config = current_app.config
    body = message.body or ""
    if message.channel == Channel.EMAIL.value:
        mailer = senders.mailer(config)
        if mailer is None:
            raise senders.DeliveryError("unavailable", permanent=True)
        mailer.send_mail(message.recipient, message.subject, body)
    else:
        gateway = senders.sms_gateway(config)
        if gateway is None:
            raise senders.DeliveryError("unavailable", permanent=True)
        gateway.send_sms(message.recipient, body)


def _end(message: OutboxMessage, status: Status, now: datetime, reason: str = "") -> None:
    """Delivered or given up: the text (a secret link) is erased either way."""
    message.status, message.ended_at, message.body = status.value, now, None
    details: dict[str, object] = {"channel": message.channel, "purpose": message.purpose,
                                  "attempts": message.attempts}
    if message.user_id is not None:
        details["user"] = message.user_id
    if status == Status.SENT:
        record("message.sent", object_type="outbox_message", object_id=message.id,
               details=details)
    else:
        details["reason"] = reason
        record("message.failed", outcome=Outcome.FAILURE, object_type="outbox_message",
               object_id=message.id, details=details)


def deliver_due(limit: int = 200) -> int:
    """Try every message that is due (retries, and those Redis did not take); how many."""
    ids = list(db.session.scalars(
        select(OutboxMessage.id)
        .where(OutboxMessage.status == Status.PENDING.value,
               OutboxMessage.next_attempt_at <= utcnow())
        .order_by(OutboxMessage.id).limit(limit)))
    for message_id in ids:
        deliver(message_id)
    return len(ids)
