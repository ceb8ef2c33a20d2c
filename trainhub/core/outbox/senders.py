"""What delivers a message: an SMTP mailer, an SMS gateway (any class with `send_sms`), and
logging stand-ins of both for development. Production refuses the stand-ins
(outbox.settings.check_production)."""

from __future__ import annotations

import importlib
import logging
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Any, Protocol

from trainhub.core.idnumbers import mask_phone
from trainhub.core.outbox.models import Channel

log = logging.getLogger(__name__)


class DeliveryError(Exception):
    """The message did not go out. `permanent`: trying again will not help (the address
    was refused); otherwise it is tried again later."""

    def __init__(self, reason: str, permanent: bool = False) -> None:
        super().__init__(reason)
        self.permanent = permanent


class Mailer(Protocol):
    def send_mail(self, to: str, subject: str, body: str) -> None: ...


class SmsGateway(Protocol):
    """An SMS provider's client. A real one is named by SMS_GATEWAY
    ("trainhub.module:factory", called with the app's config) and raises DeliveryError."""

    def send_sms(self, to: str, text: str) -> None: ...


class LoggingSmsGateway:
    """Development only: writes the text to the log instead of sending it."""

    def send_sms(self, to: str, text: str) -> None:
        log.warning("SMS not sent (logging stand-in) to %s: %s", mask_phone(to), text)


class LoggingMailer:
    """Development only, when no SMTP_HOST is set: writes the mail to the log."""

    def send_mail(self, to: str, subject: str, body: str) -> None:
        log.warning("Mail not sent (no SMTP_HOST) to %s: %s\n%s", to, subject, body)


@dataclass(frozen=True)
class SmtpMailer:
    host: str
    port: int
    sender: str
    user: str = ""
    password: str = ""
    security: str = "starttls"  # "starttls", "ssl" or "none" (a relay on this host)
    ca_file: str | None = None  # a private CA of the mail relay, if it has one
    timeout: float = 10.0

    def send_mail(self, to: str, subject: str, body: str) -> None:
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = self.sender, to, subject
        message["Message-ID"] = make_msgid(domain=self.sender.rpartition("@")[2] or None)
        message.set_content(body)
        try:
            with self._connect() as smtp:
                if self.user:
                    smtp.login(self.user, self.password)
                smtp.send_message(message)
        except smtplib.SMTPResponseException as error:
            # 5xx: the server will not take it (unknown address, refused sender)
            raise DeliveryError(f"SMTP {error.smtp_code}", error.smtp_code >= 500) from None
        except smtplib.SMTPRecipientsRefused:
            raise DeliveryError("SMTP recipient refused", permanent=True) from None
        except (smtplib.SMTPException, OSError) as error:  # unreachable, TLS, timeout
            raise DeliveryError(type(error).__name__) from None

    def _context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=self.ca_file)

    def _connect(self) -> smtplib.SMTP:
        if self.security == "ssl":
            return smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout,
                                    context=self._context())
        smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        if self.security == "starttls":
            try:
                smtp.starttls(context=self._context())
            except BaseException:
                smtp.close()
                raise
        return smtp


def mailer(config: Mapping[str, Any]) -> Mailer | None:
    """The configured mailer; None when e-mail cannot be sent here."""
    if config.get("SMTP_HOST"):
        return SmtpMailer(
            host=str(config["SMTP_HOST"]), port=int(config.get("SMTP_PORT") or 587),
            sender=str(config.get("SMTP_FROM") or ""), user=str(config.get("SMTP_USER") or ""),
            password=str(config.get("SMTP_PASSWORD") or ""),
            security=str(config.get("SMTP_SECURITY") or "starttls"),
            ca_file=config.get("SMTP_CA_FILE") or None,
            timeout=float(config.get("SMTP_TIMEOUT") or 10))
    if config.get("TRAINHUB_ENV") in {"development", "test"}:
        return LoggingMailer()
    return None


def sms_gateway(config: Mapping[str, Any]) -> SmsGateway | None:
    """The configured SMS gateway; None when SMS cannot be sent here."""
    name = str(config.get("SMS_GATEWAY") or "")
    if not name:
        return None
    if name == "log":
        return LoggingSmsGateway()
    module, _, factory = name.partition(":")
    return getattr(importlib.import_module(module), factory)(config)


def channels(config: Mapping[str, Any]) -> list[Channel]:
    """The channels this installation can deliver on, e-mail first."""
    found = []
    if mailer(config) is not None:
        found.append(Channel.EMAIL)
    if config.get("SMS_GATEWAY"):
        found.append(Channel.SMS)
    return found
