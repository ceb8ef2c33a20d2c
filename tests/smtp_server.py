"""Local SMTP servers for the tests of the SMTP mailer (aiosmtpd, each in its own thread on
a free port of 127.0.0.1): plain, STARTTLS with a login, and implicit TLS, the last two
with a certificate for 127.0.0.1 made here and trusted through SMTP_CA_FILE."""

from __future__ import annotations

import datetime
import ipaddress
import socket
import ssl
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from email import policy as email_policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

USER, PASSWORD = "trainhub", "smtp-secret"
REFUSED_RECIPIENT = "nobody@refused.example.cn"


@dataclass
class Inbox:
    """What a server received; `refuse` makes it answer 550 to a recipient."""

    messages: list[EmailMessage] = field(default_factory=list)

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          options: Any) -> str:
        if address == REFUSED_RECIPIENT:
            return "550 5.1.1 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content,  # type: ignore[arg-type]
                                                policy=email_policy.default))
        return "250 Message accepted"


@dataclass
class Servers:
    plain: tuple[int, Inbox]
    starttls: tuple[int, Inbox]
    ssl: tuple[int, Inbox]
    ca_file: str


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _authenticate(server: Any, session: Any, envelope: Any, mechanism: str,
                  data: Any) -> AuthResult:
    ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
        USER.encode(), PASSWORD.encode())
    return AuthResult(success=ok, handled=False)


def _certificate(folder: Path) -> tuple[str, str]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(hours=1))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return str(cert_path), str(key_path)


def _start(stack: ExitStack, **options: Any) -> tuple[int, Inbox]:
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, **options)
    controller.start()
    stack.callback(controller.stop)
    return port, inbox


@contextmanager
def running() -> Iterator[Servers]:
    with tempfile.TemporaryDirectory() as folder, ExitStack() as stack:
        cert, key = _certificate(Path(folder))
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert, key)
        yield Servers(
            plain=_start(stack),
            starttls=_start(stack, tls_context=context, require_starttls=True,
                            authenticator=_authenticate, auth_required=True),
            ssl=_start(stack, ssl_context=context, server_hostname="127.0.0.1"),
            ca_file=cert)
