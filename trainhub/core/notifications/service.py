"""Writing notifications (set-based) and the outbox messages of the chosen channels;
reading and marking them. Services flush, never commit."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from flask_babel import force_locale, gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, event, func, insert, select, update
from sqlalchemy.orm import Session

from trainhub.core import jobs
from trainhub.core.accounts.contact import AccountContact
from trainhub.core.accounts.models import User
from trainhub.core.audit.labels import register as register_labels
from trainhub.core.notifications import kinds
from trainhub.core.notifications.models import Notification, NotificationPreference
from trainhub.core.outbox import senders
from trainhub.core.outbox.models import Channel, OutboxMessage, Status
from trainhub.core.sets import chunks
from trainhub.core.timeutil import utcnow
from trainhub.extensions import db

PURPOSE = "notification"
# A change told by e-mail or SMS days later is noise: given up after this.
MESSAGE_LIFETIME = timedelta(days=3)
PAGE_SIZE = 20
QUEUED = "notification_messages_queued"  # session.info key: messages await a commit
DELIVER = "trainhub.core.outbox.delivery:deliver_due"
log = logging.getLogger(__name__)
CHUNK = 500  # recipients per INSERT (SQLite's bound-parameter limit)

register_labels(values={"purpose": {PURPOSE: _l("notification")}})


def path_for(endpoint: str, **values: Any) -> str:
    """The path of a page, with or without a request (a job, a command, a test)."""
    return current_app.url_map.bind("localhost").build(endpoint, values)


def _link(path: str) -> str:
    """Only a path of this site: never a link elsewhere (nor `//host`)."""
    if not path.startswith("/") or path.startswith("//"):
        raise ValueError(f"notification link {path!r} must be a path of this site")
    return path[:300]


def notify(user_ids: Iterable[int], kind: str, params: Mapping[str, Any], link: str,
           now: datetime | None = None) -> int:
    """Tell every account of `user_ids` (duplicates once) about a change of `kind`: one
    notification each, written in one INSERT per 500, and an outbox message on each
    channel the account chose and has an address for. Returns how many accounts."""
    return notify_each(kind, [(user_id, params) for user_id in set(user_ids)], link, now)


def notify_each(kind: str, items: Sequence[tuple[int, Mapping[str, Any]]], link: str,
                now: datetime | None = None) -> int:
    """`notify` with parameters of each account's own (its amount, its rank), still in one
    INSERT per 500 accounts."""
    spec = kinds.kind_of(kind)
    path = _link(link)
    now = now or utcnow()
    stored = sorted(((user_id, kinds.check_params(spec, params)) for user_id, params in items),
                    key=lambda item: item[0])
    for part in chunks(stored, CHUNK):
        db.session.execute(insert(Notification).values([
            {"user_id": user_id, "kind": kind, "params": params, "link": path,
             "created_at": now} for user_id, params in part]))
        _queue_messages(dict(part), spec, path, now)
    return len(stored)


def _accounts_of(person_ids: Iterable[int]) -> dict[int, int]:
    """person id → the id of their active account (people without one are left out)."""
    wanted = sorted(set(person_ids))
    found: dict[int, int] = {}
    for part in chunks(wanted, CHUNK):
        for person_id, user_id in db.session.execute(
                select(User.person_id, User.id).where(User.person_id.in_(part),
                                                      User.is_active_account.is_(True))):
            found[person_id or 0] = user_id
    return found


def notify_accounts(where: ColumnElement[bool], kind: str, params: Mapping[str, Any],
                    link: str, now: datetime | None = None) -> int:
    """`notify` the active accounts matching `where` (an organisation's staff, say)."""
    accounts = db.session.scalars(select(User.id).where(
        where, User.is_active_account.is_(True))).all()
    return notify(accounts, kind, params, link, now) if accounts else 0


def notify_people(person_ids: Iterable[int], kind: str, params: Mapping[str, Any],
                  link: str, now: datetime | None = None) -> int:
    """`notify` the active accounts of these people (a person without an account is told
    nothing: they have no centre to read, nor an address given)."""
    accounts = _accounts_of(person_ids)
    return notify(accounts.values(), kind, params, link, now) if accounts else 0


def notify_people_each(kind: str, items: Sequence[tuple[int, Mapping[str, Any]]], link: str,
                       now: datetime | None = None) -> int:
    """`notify_each` by person id."""
    accounts = _accounts_of(person_id for person_id, _ in items)
    mapped = [(accounts[person_id], params) for person_id, params in items
              if person_id in accounts]
    return notify_each(kind, mapped, link, now) if mapped else 0


def _queue_messages(params_of: Mapping[int, Mapping[str, Any]], spec: kinds.Kind, link: str,
                    now: datetime) -> None:
    available = senders.channels(current_app.config)
    if not available:
        return
    rows = db.session.execute(
        select(NotificationPreference.user_id, NotificationPreference.email,
               NotificationPreference.sms, NotificationPreference.locale,
               AccountContact.email, AccountContact.phone)
        .join(AccountContact, AccountContact.user_id == NotificationPreference.user_id)
        .where(NotificationPreference.user_id.in_(list(params_of)),
               NotificationPreference.email.is_(True) | NotificationPreference.sms.is_(True)))
    messages: list[dict[str, Any]] = []
    base = str(current_app.config.get("PUBLIC_BASE_URL") or "").rstrip("/")
    for user_id, by_email, by_sms, locale, email, phone in rows:
        with force_locale(locale):
            subject, body, sms = _texts(spec, params_of[user_id], base + link)
        common = {"purpose": PURPOSE, "user_id": user_id, "status": Status.PENDING.value,
                  "attempts": 0, "last_error": "", "created_at": now,
                  "next_attempt_at": now, "expires_at": now + MESSAGE_LIFETIME}
        if by_email and email and Channel.EMAIL in available:
            messages.append({**common, "channel": Channel.EMAIL.value, "recipient": email,
                             "subject": subject[:200], "body": body})
        if by_sms and phone and Channel.SMS in available:
            messages.append({**common, "channel": Channel.SMS.value, "recipient": phone,
                             "subject": "", "body": sms})
    if messages:
        db.session.execute(insert(OutboxMessage), messages)
        db.session.info[QUEUED] = True


def _deliver_after_commit(session: Session) -> None:
    """With Redis, a worker delivers the messages just committed at once (`deliver_due`);
    without it, the outbox timer (`flask outbox send`, every minute) does."""
    if not session.info.pop(QUEUED, False) or not jobs.is_async():
        return
    try:
        jobs.enqueue(DELIVER)
    except jobs.QueueUnavailable:
        log.warning("notification messages not queued: Redis unavailable; "
                    "`flask outbox send` delivers them")


def _forget_on_rollback(session: Session) -> None:
    session.info.pop(QUEUED, None)


def init_app() -> None:
    """Connected once per process (SQLAlchemy keeps one listener per function)."""
    if not event.contains(Session, "after_commit", _deliver_after_commit):
        event.listen(Session, "after_commit", _deliver_after_commit)
        event.listen(Session, "after_rollback", _forget_on_rollback)


def _texts(spec: kinds.Kind, params: Mapping[str, Any], url: str) -> tuple[str, str, str]:
    """The e-mail's subject and body, and the text message, in the current locale."""
    title, body = kinds.render(spec.key, params)
    return (gettext("TrainHub: %(title)s", title=title),
            gettext("%(body)s\n\nSee it on TrainHub: %(url)s", body=body, url=url),
            gettext("TrainHub: %(body)s", body=body))


# --- reading and marking -----------------------------------------------------------------

def unread_count(user_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(Notification).where(
        Notification.user_id == user_id, Notification.read_at.is_(None))) or 0


def page_of(user_id: int, page: int) -> tuple[list[Notification], int]:
    """One page of the account's notifications, newest first, and how many there are."""
    total = db.session.scalar(select(func.count()).select_from(Notification).where(
        Notification.user_id == user_id)) or 0
    rows = list(db.session.scalars(
        select(Notification).where(Notification.user_id == user_id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)))
    return rows, total


def mark_read(user_id: int, notification_id: int) -> bool:
    """Only the account's own, and only once; whether it was unread."""
    result = db.session.execute(
        update(Notification)
        .where(Notification.id == notification_id, Notification.user_id == user_id,
               Notification.read_at.is_(None))
        .values(read_at=utcnow()).execution_options(synchronize_session=False))
    return bool(result.rowcount)  # type: ignore[attr-defined]


def mark_all_read(user_id: int) -> int:
    result = db.session.execute(
        update(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .values(read_at=utcnow()).execution_options(synchronize_session=False))
    return int(result.rowcount)  # type: ignore[attr-defined]


def own(user_id: int, notification_id: int) -> Notification | None:
    return db.session.scalar(select(Notification).where(
        Notification.id == notification_id, Notification.user_id == user_id))


# --- preferences -------------------------------------------------------------------------

def preference_of(user_id: int) -> NotificationPreference | None:
    return db.session.get(NotificationPreference, user_id)


def set_channels(user_id: int, email: bool, sms: bool, locale: str) -> None:
    """Save the account's channels (the caller checks it has the addresses)."""
    row = preference_of(user_id)
    if row is None:
        row = NotificationPreference(user_id=user_id)
        db.session.add(row)
    row.email, row.sms, row.locale, row.updated_at = email, sms, locale, utcnow()
    db.session.flush()
