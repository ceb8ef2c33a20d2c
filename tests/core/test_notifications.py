"""Notifications (issue 16, item 5): rows written set-based, outbox messages for the chosen
channels only, the closed parameters of every kind (no ID number, no disability), the SMTP
path against a local server, the channel settings page and the centre."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from tests import smtp_server
from tests.conftest import post_form, sign_in
from tests.training import builders
from trainhub.core import jobs
from trainhub.core.accounts.contact import set_contact
from trainhub.core.accounts.models import User
from trainhub.core.notifications import kinds, service
from trainhub.core.notifications.models import Notification
from trainhub.core.outbox import delivery
from trainhub.core.outbox.models import OutboxMessage
from trainhub.core.timeutil import utcnow
from trainhub.extensions import db

SENDER = "TrainHub <noreply@px.example.cn>"
ID_LIKE = re.compile(r"[0-9]{15,}|[0-9]{14,}[Xx]")
# Words of a disability category or grade that must never be in a message
DISABILITY_WORDS = ("残疾类别", "残疾等级", "视力", "听力", "言语", "肢体", "智力", "精神",
                    "disability category", "grade")

SAMPLES = {"course": "电子商务培训班", "competition": "江西省残疾人职业技能竞赛",
           "event": "电子商务", "start": date(2026, 3, 12), "end": date(2026, 12, 31),
           "amount": 150000, "rank": 2, "year": 2025}


@pytest.fixture(scope="module")
def smtp() -> Iterator[smtp_server.Servers]:
    with smtp_server.running() as servers:
        yield servers


def _trainee(email: str | None = None, phone: str | None = None) -> User:
    person = builders.person()
    user = builders.user("trainee", person_id=person.id)
    if email or phone:
        set_contact(user, email, phone)
    return user


def _kind() -> str:
    return "training.admitted"


def _notifications(user: User) -> list[Notification]:
    return list(db.session.scalars(select(Notification).where(Notification.user_id == user.id)))


def _messages(user: User) -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.user_id == user.id)))


# --- the service ---------------------------------------------------------------------------

def test_a_hundred_recipients_take_a_handful_of_statements(ctx, count_queries, monkeypatch):
    monkeypatch.setitem(ctx.config, "SMS_GATEWAY", "log")
    users = [_trainee() for _ in range(100)]
    for user in users[:10]:
        set_contact(user, f"u{user.id}@example.cn", "13900001111")
        service.set_channels(user.id, email=True, sms=True, locale="zh_Hans_CN")
    with count_queries() as statements:
        told = service.notify([u.id for u in users], _kind(), {"course": "电子商务培训班"},
                              "/training/mine")
    assert told == 100
    inserts = [s for s in statements if s.lstrip().upper().startswith("INSERT")]
    assert len(statements) <= 4, statements
    assert len(inserts) == 2  # the notifications, then the outbox messages
    assert db.session.scalar(select(func.count()).select_from(Notification).where(
        Notification.user_id.in_([u.id for u in users]))) == 100
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage).where(
        OutboxMessage.user_id.in_([u.id for u in users]))) == 20


def test_the_site_always_other_channels_only_when_chosen_and_reachable(ctx, monkeypatch):
    monkeypatch.setitem(ctx.config, "SMS_GATEWAY", "log")
    site_only = _trainee(email="a@example.cn", phone="13900001111")  # no choice saved
    by_email = _trainee(email="b@example.cn", phone="13900002222")
    service.set_channels(by_email.id, email=True, sms=False, locale="zh_Hans_CN")
    by_sms_no_phone = _trainee(email="c@example.cn")
    service.set_channels(by_sms_no_phone.id, email=False, sms=True, locale="zh_Hans_CN")
    english_sms = _trainee(phone="13900003333")
    service.set_channels(english_sms.id, email=False, sms=True, locale="en")
    service.notify([u.id for u in (site_only, by_email, by_sms_no_phone, english_sms)],
                   _kind(), {"course": "电子商务培训班"}, "/training/mine")
    for user in (site_only, by_email, by_sms_no_phone, english_sms):
        (row,) = _notifications(user)
        assert (row.kind, row.params, row.link, row.read_at) == (
            _kind(), {"course": "电子商务培训班"}, "/training/mine", None)
    assert _messages(site_only) == [] and _messages(by_sms_no_phone) == []
    (mail,) = _messages(by_email)
    assert (mail.channel, mail.recipient, mail.purpose) == ("email", "b@example.cn",
                                                            "notification")
    assert "电子商务培训班" in mail.subject + mail.body and "/training/mine" in mail.body
    (text,) = _messages(english_sms)
    assert text.channel == "sms" and "You have been admitted" in text.body


def test_people_are_told_through_their_accounts_only(ctx):
    with_account = _trainee()
    without = builders.person()
    assert service.notify_people([with_account.person_id, without.id], _kind(),
                                 {"course": "x"}, "/training/mine") == 1
    assert len(_notifications(with_account)) == 1


def test_a_link_elsewhere_is_refused(ctx):
    user = _trainee()
    for link in ("https://evil.example/", "//evil.example/x", "training"):
        with pytest.raises(ValueError):
            service.notify([user.id], _kind(), {"course": "x"}, link)


def test_with_redis_a_worker_delivers_after_the_commit(ctx, monkeypatch):
    queued: list[str] = []
    monkeypatch.setattr(jobs, "is_async", lambda: True)
    monkeypatch.setattr(jobs, "enqueue", lambda target, *ids, **kw: queued.append(target))
    site_only, by_email = _trainee(), _trainee(email="b@example.cn")
    service.set_channels(by_email.id, email=True, sms=False, locale="zh_Hans_CN")
    service.notify([site_only.id], _kind(), {"course": "x"}, "/training/mine")
    db.session.commit()
    assert queued == []  # nothing in the outbox: no job
    service.notify([by_email.id], _kind(), {"course": "x"}, "/training/mine")
    assert queued == []  # not before the commit
    db.session.commit()
    assert queued == [service.DELIVER]
    db.session.commit()
    assert queued == [service.DELIVER]


# --- the closed parameters -----------------------------------------------------------------

def test_a_kind_may_not_take_a_parameter_outside_the_closed_list():
    for name in ("id_number", "disability", "name", "phone", "reason"):
        with pytest.raises(ValueError, match="closed list"):
            kinds.register("test.bad", "t", "%(x)s", (name,))
    assert "test.bad" not in kinds.KINDS


def test_parameters_must_be_exactly_the_kinds_and_never_look_like_an_id(ctx):
    spec = kinds.kind_of("training.admitted")
    with pytest.raises(ValueError):
        kinds.check_params(spec, {"course": "x", "id_number": "360102199005170011"})
    with pytest.raises(ValueError):
        kinds.check_params(spec, {})
    with pytest.raises(ValueError, match="looks like"):
        kinds.check_params(spec, {"course": "班级 36010219900517001X"})
    with pytest.raises(ValueError):
        kinds.check_params(kinds.kind_of("subsidy.paid"), {"amount": "100", "course": "x"})


def test_every_kind_renders_from_its_closed_parameters_without_an_id_or_a_disability(app):
    assert {"training.admitted", "subsidy.approved", "subsidy.paid",
            "competition.results_published"} <= set(kinds.KINDS)
    for locale in ("zh_Hans_CN", "en"):
        with app.test_request_context(headers={"Cookie": f"trainhub_lang={locale}"}):
            for key, spec in kinds.KINDS.items():
                params = kinds.check_params(spec, {name: SAMPLES[name] for name in spec.params})
                title, body = kinds.render(key, params)
                text = f"{title} {body}"
                assert title and body and "%(" not in text, key
                assert not ID_LIKE.search(text), key
                assert not any(word in text for word in DISABILITY_WORDS), (key, text)


# --- SMTP ------------------------------------------------------------------------------------

def test_an_email_notification_reaches_a_local_smtp_server(ctx, smtp, monkeypatch):
    port, inbox = smtp.plain
    for key, value in {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": port, "SMTP_SECURITY": "none",
                       "SMTP_FROM": SENDER, "PUBLIC_BASE_URL": "https://px.example.cn"}.items():
        monkeypatch.setitem(ctx.config, key, value)
    user = _trainee(email="trainee@example.cn")
    service.set_channels(user.id, email=True, sms=False, locale="zh_Hans_CN")
    service.notify([user.id], "subsidy.paid", {"amount": 150000, "course": "电子商务培训班"},
                   "/subsidies/mine")
    db.session.commit()
    (message,) = _messages(user)
    delivery.deliver(message.id)
    received = inbox.messages[-1]
    assert received["To"] == "trainee@example.cn"
    content = received.get_content()
    assert "电子商务培训班" in content and "https://px.example.cn/subsidies/mine" in content
    assert "1,500.00" in content and not ID_LIKE.search(content)
    db.session.refresh(message)
    assert (message.status, message.body) == ("sent", None)


def test_messages_given_up_after_some_days(ctx):
    user = _trainee(email="t@example.cn")
    service.set_channels(user.id, email=True, sms=False, locale="zh_Hans_CN")
    service.notify([user.id], _kind(), {"course": "x"}, "/training/mine")
    (message,) = _messages(user)
    assert message.expires_at - message.created_at == timedelta(days=3)


# --- the pages -------------------------------------------------------------------------------

def _account(app, email: str | None = None) -> tuple[str, int]:
    with app.app_context():
        user = _trainee(email=email)
        db.session.commit()
        return user.username, user.id


def _tell(app, user_id: int, count: int = 1, course: str = "课程") -> None:
    with app.app_context():
        for n in range(count):
            service.notify([user_id], _kind(), {"course": f"{course}{n}"}, "/training/mine",
                           now=utcnow() + timedelta(seconds=n))
        db.session.commit()


def test_the_header_counts_unread_in_the_links_text(app, client):
    username, user_id = _account(app)
    sign_in(client, username)
    page = client.get("/").get_data(as_text=True)
    assert re.search(r'href="/notifications"[^>]*>(通知|Notifications)</a>', page)
    _tell(app, user_id, 3)
    page = client.get("/").get_data(as_text=True)
    assert re.search(r'href="/notifications"[^>]*>(通知|Notifications) '
                     r'<span class="badge[^"]*">3<span class="visually-hidden">', page)


def test_the_header_reads_one_count_per_page(app, client, count_queries):
    username, user_id = _account(app)
    sign_in(client, username)
    _tell(app, user_id, 2)
    with count_queries() as statements:
        client.get("/account/notifications/settings")
    counts = [s for s in statements if "notifications" in s and "count" in s.lower()]
    assert len(counts) == 1


def test_the_centre_lists_newest_first_marks_unread_and_pages(app, client):
    username, user_id = _account(app)
    _tell(app, user_id, service.PAGE_SIZE + 1)
    sign_in(client, username)
    page = client.get("/notifications").get_data(as_text=True)
    newest = f"课程{service.PAGE_SIZE}"
    assert page.index(newest) < page.index(f"课程{service.PAGE_SIZE - 1}")
    assert len(re.findall(r">(未读|Unread)</span>", page)) == service.PAGE_SIZE
    assert 'href="/training/mine"' in page
    second = client.get("/notifications?page=2").get_data(as_text=True)
    assert "课程0" in second and newest not in second
    assert client.get("/notifications?page=9").status_code == 404


def test_marking_one_and_all_as_read(app, client):
    username, user_id = _account(app)
    other_name, other_id = _account(app)
    _tell(app, user_id, 2)
    _tell(app, other_id, 1)
    with app.app_context():
        mine = [n.id for n in db.session.scalars(select(Notification).where(
            Notification.user_id == user_id).order_by(Notification.id))]
        theirs = db.session.scalar(select(Notification.id).where(
            Notification.user_id == other_id))
    sign_in(client, username)
    assert client.post(f"/notifications/{mine[0]}/read").status_code == 400  # no CSRF token
    assert post_form(client, f"/notifications/{theirs}/read", {}).status_code == 404
    response = post_form(client, f"/notifications/{mine[0]}/read", {"next": "/notifications"})
    assert response.status_code == 302 and response.headers["Location"] == "/notifications"
    with app.app_context():
        assert service.unread_count(user_id) == 1 and service.unread_count(other_id) == 1
    assert post_form(client, "/notifications/read-all", {}).status_code == 302
    with app.app_context():
        assert service.unread_count(user_id) == 0 and service.unread_count(other_id) == 1


def test_channel_settings_need_the_address(app, client):
    username, user_id = _account(app)
    sign_in(client, username)
    assert client.get("/account/notifications/settings").status_code == 200
    response = post_form(client, "/account/notifications/settings", {"email": "y"})
    assert response.status_code == 400
    with app.app_context():
        assert service.preference_of(user_id) is None
        set_contact(db.session.get(User, user_id), "me@example.cn", None)
        db.session.commit()
    response = post_form(client, "/account/notifications/settings", {"email": "y"})
    assert response.status_code == 302
    with app.app_context():
        saved = service.preference_of(user_id)
        assert saved is not None and (saved.email, saved.sms) == (True, False)
