"""Settings from the environment.

Development generates its secrets once and keeps them under instance/; every other
environment must be given them and refuses to start without.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any


class ConfigError(RuntimeError):
    """Raised when the configuration is unsafe or incomplete."""


def _instance_secret(instance_path: Path, name: str) -> str:
    path = instance_path / name
    if path.exists():
        return path.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    value = secrets.token_hex(32)
    path.write_text(value)
    path.chmod(0o600)
    return value


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def load_config(instance_path: Path, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Build the configuration mapping for one app instance."""
    overrides = dict(overrides or {})
    env = overrides.get("TRAINHUB_ENV") or os.environ.get("TRAINHUB_ENV", "development")
    development = env in {"development", "testing"}

    cfg: dict[str, Any] = {
        "TRAINHUB_ENV": env,
        "DEBUG": _bool(os.environ.get("FLASK_DEBUG"), default=False),
        "TESTING": env == "testing",
        "SQLALCHEMY_DATABASE_URI": os.environ.get(
            "DATABASE_URL", f"sqlite:///{instance_path / 'trainhub.sqlite3'}"
        ),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "REDIS_URL": os.environ.get("REDIS_URL") or None,
        # The address printed on certificates (their QR codes), e.g. https://px.jxdpf.gov.cn
        "PUBLIC_BASE_URL": os.environ.get("PUBLIC_BASE_URL") or None,
        "SECRET_KEY": os.environ.get("SECRET_KEY"),
        "FIELD_ENCRYPTION_KEYS": os.environ.get("FIELD_ENCRYPTION_KEYS"),
        "BLIND_INDEX_KEY": os.environ.get("BLIND_INDEX_KEY"),
        # Sessions: server-side records carry the real expiry; the cookie only names one.
        "SESSION_COOKIE_NAME": "trainhub_session",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": not development,
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=12),
        "SESSION_IDLE_TIMEOUT": timedelta(minutes=30),
        "SESSION_ABSOLUTE_TIMEOUT": timedelta(hours=12),
        "REMEMBER_COOKIE_DURATION": timedelta(seconds=0),
        "LOGIN_MAX_FAILURES": 5,
        "LOGIN_LOCK_DURATION": timedelta(minutes=30),
        "PASSWORD_MAX_AGE": timedelta(days=90),
        # argon2id cost; tests lower it because a real check takes ~0.1 s.
        "ARGON2_TIME_COST": 3,
        "ARGON2_MEMORY_COST": 65536,
        "MAX_CONTENT_LENGTH": 20 * 1024 * 1024,
        "WTF_CSRF_TIME_LIMIT": 3600 * 12,
        "BABEL_DEFAULT_LOCALE": "zh_Hans_CN",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Shanghai",
        "SUPPORTED_LOCALES": ("zh_Hans_CN", "en"),
        "JSON_AS_ASCII": False,
        "HSTS": not development,
        "RATELIMIT_ENABLED": env != "testing",
        "RATELIMIT_HEADERS_ENABLED": True,
        "LOGIN_RATE_LIMIT": "20 per minute",
        # Registration and activation (trainee accounts): every POST per address, and
        # separately the failed identity checks per address, shared by both pages.
        "REGISTRATION_RATE_LIMIT": "10 per minute",
        "IDENTITY_CLAIM_FAILURE_LIMIT": "10 per hour",
        # Staff and officers entering someone's ID number (enrolment, registration of a
        # contestant): per account, all such pages and API endpoints together.
        "ID_LOOKUP_RATE_LIMIT": "10 per minute;100 per day",
        # Failed identity checks against one person (registration) or one activation code
        # before further attempts on it are refused; counted in the audit log, so the
        # count holds across workers and restarts.
        "IDENTITY_CLAIM_MAX_FAILURES": 5,
        "IDENTITY_CLAIM_FAILURE_WINDOW": timedelta(hours=24),
        # A security credential's lifetime, like the lock-out above: configuration, not a
        # dated business parameter.
        "ACTIVATION_CODE_LIFETIME": timedelta(days=14),
    }
    cfg["RATELIMIT_STORAGE_URI"] = cfg["REDIS_URL"] or "memory://"
    if not development:
        # __Host- cookies are only sent over HTTPS, to this host, for every path.
        cfg["SESSION_COOKIE_NAME"] = "__Host-trainhub_session"
    cfg.update(overrides)
    _fill_secrets(cfg, instance_path, development)
    _check_production(cfg)
    return cfg


def _fill_secrets(cfg: dict[str, Any], instance_path: Path, development: bool) -> None:
    names = {
        "SECRET_KEY": "secret_key",
        "FIELD_ENCRYPTION_KEYS": "field_encryption_key",
        "BLIND_INDEX_KEY": "blind_index_key",
    }
    for key, filename in names.items():
        if cfg.get(key):
            continue
        if not development:
            raise ConfigError(f"{key} must be set outside development")
        value = _instance_secret(instance_path, filename)
        cfg[key] = f"k1={value}" if key == "FIELD_ENCRYPTION_KEYS" else value


def _check_production(cfg: dict[str, Any]) -> None:
    if cfg["TRAINHUB_ENV"] != "production":
        return
    if cfg.get("DEBUG"):
        raise ConfigError("production refuses to start with debug on")
    if len(str(cfg.get("SECRET_KEY") or "")) < 32:
        raise ConfigError("production needs a SECRET_KEY of at least 32 characters")
    if not str(cfg.get("PUBLIC_BASE_URL") or "").startswith("https://"):
        raise ConfigError("production needs PUBLIC_BASE_URL (https://…), printed on certificates")
