"""The outbox's configuration (SMTP_*, SMS_GATEWAY) and what production refuses of it."""

from __future__ import annotations

import os
from typing import Any

SMTP_SECURITY = ("starttls", "ssl", "none")
LOCAL_HOSTS = {"127.0.0.1", "::1", "localhost"}


def from_environment(development: bool) -> dict[str, Any]:
    env = os.environ.get
    return {
        # E-mail (password reset links): an SMTP server reached with STARTTLS (default),
        # implicit TLS ("ssl", usually port 465) or plain ("none", a relay on this host).
        "SMTP_HOST": env("SMTP_HOST") or None,
        "SMTP_PORT": int(env("SMTP_PORT") or 587),
        "SMTP_USER": env("SMTP_USER") or "",
        "SMTP_PASSWORD": env("SMTP_PASSWORD") or "",
        "SMTP_FROM": env("SMTP_FROM") or "",
        "SMTP_SECURITY": (env("SMTP_SECURITY") or "starttls").strip().lower(),
        "SMTP_CA_FILE": env("SMTP_CA_FILE") or None,
        "SMTP_TIMEOUT": float(env("SMTP_TIMEOUT") or 10),
        # "trainhub.module:factory" of a real SMS provider, "log" (development: written to
        # the log) or empty (no SMS).
        "SMS_GATEWAY": env("SMS_GATEWAY", "log" if development else "") or "",
    }


def check(cfg: dict[str, Any], error: type[Exception]) -> None:
    """Refuse a configuration that cannot deliver what it says, and in production the
    stand-ins and credentials sent in clear."""
    security = cfg.get("SMTP_SECURITY") or "starttls"
    if security not in SMTP_SECURITY:
        raise error(f"SMTP_SECURITY={security!r} must be one of {', '.join(SMTP_SECURITY)}")
    if cfg.get("SMTP_HOST") and "@" not in str(cfg.get("SMTP_FROM") or ""):
        raise error("SMTP_FROM (the sender's address) must be set with SMTP_HOST")
    gateway = str(cfg.get("SMS_GATEWAY") or "")
    if gateway not in {"", "log"} and (
            not gateway.startswith("trainhub.") or ":" not in gateway):
        raise error(f"SMS_GATEWAY={gateway!r} must be 'trainhub.module:factory'")
    if cfg.get("TRAINHUB_ENV") != "production":
        return
    if gateway == "log":
        raise error("production refuses SMS_GATEWAY=log (a stand-in that sends nothing)")
    if (cfg.get("SMTP_HOST") and security == "none"
            and str(cfg["SMTP_HOST"]) not in LOCAL_HOSTS):
        raise error("production refuses SMTP_SECURITY=none to another host: "
                    "use starttls or ssl")
