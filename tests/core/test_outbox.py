"""The outbox (issue 15, item 2): the SMTP mailer against local SMTP servers (plain,
STARTTLS with a login, implicit TLS), delivery states, retries and their end, the text
erased once delivered, and what production refuses of the messaging configuration."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from tests import smtp_server
from tests.production_config import production
from trainhub.config import ConfigError, load_config
from trainhub.core import jobs
from trainhub.core.audit.models import AuditEntry
from trainhub.core.outbox import delivery, senders
from trainhub.core.outbox.models import Channel, OutboxMessage
from trainhub.core.timeutil import utcnow
from trainhub.extensions import db

SENDER = "TrainHub <noreply@px.example.cn>"


@pytest.fixture(scope="session")
def smtp() -> Iterator[smtp_server.Servers]:
    with smtp_server.running() as servers:
        yield servers


def _mailer(port: int, **options: object) -> senders.SmtpMailer:
    return senders.SmtpMailer(host="127.0.0.1", port=port, sender=SENDER, timeout=5,
                              **options)  # type: ignore[arg-type]


def test_plain_smtp_delivers_a_chinese_message(smtp):
    port, inbox = smtp.plain
    _mailer(port, security="none").send_mail("trainee@example.cn", "重置密码", "请打开链接。")
    received = inbox.messages[-1]
    assert received["To"] == "trainee@example.cn" and received["Subject"] == "重置密码"
    assert received.get_content().strip() == "请打开链接。"


def test_starttls_with_a_login_and_implicit_tls(smtp):
    port, inbox = smtp.starttls
    _mailer(port, user=smtp_server.USER, password=smtp_server.PASSWORD,
            ca_file=smtp.ca_file).send_mail("a@example.cn", "s", "starttls body")
    assert inbox.messages[-1].get_content().strip() == "starttls body"
    port, inbox = smtp.ssl
    _mailer(port, security="ssl", ca_file=smtp.ca_file).send_mail("b@example.cn", "s", "tls")
    assert inbox.messages[-1]["To"] == "b@example.cn"


def test_an_untrusted_certificate_or_a_wrong_login_is_not_sent(smtp):
    port, inbox = smtp.starttls
    before = len(inbox.messages)
    with pytest.raises(senders.DeliveryError) as untrusted:  # no CA file: the system's CAs
        _mailer(port, user=smtp_server.USER, password=smtp_server.PASSWORD).send_mail(
            "a@example.cn", "s", "x")
    assert not untrusted.value.permanent
    with pytest.raises(senders.DeliveryError):
        _mailer(port, user=smtp_server.USER, password="wrong", ca_file=smtp.ca_file).send_mail(
            "a@example.cn", "s", "x")
    assert len(inbox.messages) == before


def _message(**values: object) -> int:
    message = delivery.add(Channel.EMAIL, str(values.pop("to", "t@example.cn")), "secret link",
                           purpose="password_reset", user_id=None,
                           expires_at=utcnow() + timedelta(minutes=30), subject="s")
    for key, value in values.items():
        setattr(message, key, value)
    db.session.commit()
    return message.id


def _use(app, monkeypatch, port: int) -> None:
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", port)
    monkeypatch.setitem(app.config, "SMTP_SECURITY", "none")
    monkeypatch.setitem(app.config, "SMTP_FROM", SENDER)


def _audit(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def test_a_delivered_message_is_sent_audited_and_its_text_erased(ctx, smtp, monkeypatch):
    _use(ctx, monkeypatch, smtp.plain[0])
    message_id = _message()
    delivery.deliver(message_id)
    message = db.session.get(OutboxMessage, message_id)
    assert (message.status, message.attempts, message.body) == ("sent", 1, None)
    assert smtp.plain[1].messages[-1].get_content().strip() == "secret link"
    sent = _audit("message.sent")[-1]
    assert sent.object_id == str(message_id) and sent.details["channel"] == "email"
    delivery.deliver(message_id)  # delivered once only
    assert db.session.get(OutboxMessage, message_id).attempts == 1


def test_a_failure_is_retried_later_then_given_up(ctx, monkeypatch):
    _use(ctx, monkeypatch, smtp_server.free_port())  # nothing listens there
    message_id = _message()
    delivery.deliver(message_id)
    message = db.session.get(OutboxMessage, message_id)
    assert (message.status, message.attempts) == ("pending", 1)
    assert message.next_attempt_at > utcnow() + timedelta(seconds=20)
    assert delivery.deliver_due() == 0  # not due yet
    for attempt in range(2, delivery.MAX_ATTEMPTS + 1):
        message.next_attempt_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
        assert delivery.deliver_due() == 1
        assert db.session.get(OutboxMessage, message_id).attempts == attempt
    assert (message.status, message.body) == ("failed", None)
    assert _audit("message.failed")[-1].details["reason"] == "too_many_attempts"


def test_a_refused_address_fails_at_once(ctx, smtp, monkeypatch):
    _use(ctx, monkeypatch, smtp.plain[0])
    message_id = _message(to=smtp_server.REFUSED_RECIPIENT)
    delivery.deliver(message_id)
    message = db.session.get(OutboxMessage, message_id)
    assert (message.status, message.attempts) == ("failed", 1)
    assert _audit("message.failed")[-1].details["reason"] == "address_refused"


def test_an_expired_message_is_never_sent_late(ctx, smtp, monkeypatch):
    _use(ctx, monkeypatch, smtp.plain[0])
    before = len(smtp.plain[1].messages)
    message_id = _message(expires_at=utcnow() - timedelta(seconds=1))
    delivery.deliver(message_id)
    assert db.session.get(OutboxMessage, message_id).status == "failed"
    assert len(smtp.plain[1].messages) == before
    assert _audit("message.failed")[-1].details["reason"] == "message_expired"


def test_with_redis_the_message_goes_to_a_worker(app, monkeypatch):
    queued = []
    monkeypatch.setattr(jobs, "is_async", lambda: True)
    monkeypatch.setattr(jobs, "enqueue", lambda target, *ids, **kw: queued.append((target, ids)))
    with app.test_request_context():
        delivery.schedule(42, None)  # type: ignore[arg-type]
    assert queued == [(delivery.JOB, (42,))]


def test_the_sms_stand_in_writes_a_masked_number(caplog):
    senders.LoggingSmsGateway().send_sms("13800001234", "link")
    assert "138****1234" in caplog.text and "13800001234" not in caplog.text


@pytest.mark.parametrize(("changes", "named"), [
    ({"SMS_GATEWAY": "log"}, "SMS_GATEWAY=log"),
    ({"SMTP_HOST": "mail.example.cn", "SMTP_FROM": "a@b.cn", "SMTP_SECURITY": "none"},
     "SMTP_SECURITY=none"),
    ({"SMTP_SECURITY": "tls"}, "SMTP_SECURITY"),
    ({"SMTP_HOST": "mail.example.cn"}, "SMTP_FROM"),
    ({"SMS_GATEWAY": "os:system"}, "SMS_GATEWAY"),
], ids=lambda value: str(value))
def test_production_refuses_stand_ins_and_clear_credentials(tmp_path: Path, changes, named):
    with pytest.raises(ConfigError, match=named):
        load_config(tmp_path, production(**changes))


def test_production_may_relay_in_clear_on_its_own_host(tmp_path: Path):
    loaded = load_config(tmp_path, production(SMTP_HOST="127.0.0.1", SMTP_SECURITY="none",
                                              SMTP_FROM="noreply@px.example.cn"))
    assert senders.channels(loaded) == [Channel.EMAIL]
    assert senders.channels(load_config(tmp_path, production())) == []
