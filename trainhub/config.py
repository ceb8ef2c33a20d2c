"""Settings from the environment.

TRAINHUB_ENV is one of ENVIRONMENTS and nothing else: a typo ("prod") must not start a
server that quietly skips every production check. Development generates its secrets once
and keeps them under instance/; every other environment must be given them and refuses to
start without. Production also refuses what only suits one machine or a demo (SQLite,
in-memory rate limits, a missing public address).

`config.main()` checks the environment's configuration and says what is wrong in one line
(`make serve` runs it before anything else).
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

ENVIRONMENTS = ("development", "test", "production")
# More proxies than this in front of the app is a misconfiguration, not a topology.
MAX_TRUSTED_PROXIES = 5


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
    env = _environment(overrides)
    development = env in {"development", "test"}

    cfg: dict[str, Any] = {
        "TRAINHUB_ENV": env,
        "DEBUG": _bool(os.environ.get("FLASK_DEBUG"), default=False),
        "TESTING": env == "test",
        "SQLALCHEMY_DATABASE_URI": os.environ.get(
            "DATABASE_URL", f"sqlite:///{instance_path / 'trainhub.sqlite3'}"
        ),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "REDIS_URL": os.environ.get("REDIS_URL") or None,
        # Uploaded files (default: instance/uploads); backups copy and restore this folder.
        "UPLOAD_FOLDER": os.environ.get("UPLOAD_FOLDER") or None,
        # Or where every stored file goes instead (trainhub/core/storage): file:///path, or
        # s3://bucket/prefix on S3-compatible storage (MinIO, Aliyun OSS, Huawei OBS).
        "STORAGE_URL": os.environ.get("STORAGE_URL") or None,
        "S3_ENDPOINT_URL": os.environ.get("S3_ENDPOINT_URL") or None,
        "S3_REGION": os.environ.get("S3_REGION") or None,
        "S3_ADDRESSING_STYLE": os.environ.get("S3_ADDRESSING_STYLE") or "auto",
        "S3_ACCESS_KEY_ID": os.environ.get("S3_ACCESS_KEY_ID") or None,
        "S3_SECRET_ACCESS_KEY": os.environ.get("S3_SECRET_ACCESS_KEY") or None,
        "S3_OBJECT_ACL": os.environ.get("S3_OBJECT_ACL", "private"),
        # How many reverse proxies (nginx, a load balancer) stand in front of the app and
        # set X-Forwarded-*: 0 ignores those headers, which any client can send.
        "TRUSTED_PROXIES": os.environ.get("TRUSTED_PROXIES", "0"),
        # The address printed on certificates (their QR codes), e.g. https://px.jxdpf.gov.cn
        "PUBLIC_BASE_URL": os.environ.get("PUBLIC_BASE_URL") or None,
        # The contact line of the public front door: 12385 is the national service hotline
        # of the disabled persons' federations; set the province's own number and address.
        "PUBLIC_CONTACT_HOTLINE": os.environ.get("PUBLIC_CONTACT_HOTLINE") or "12385",
        "PUBLIC_CONTACT_ADDRESS": os.environ.get("PUBLIC_CONTACT_ADDRESS")
        or "江西省残疾人联合会（江西省南昌市）",
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
        "RATELIMIT_ENABLED": env != "test",
        "RATELIMIT_HEADERS_ENABLED": True,
        # Redis down: each process counts in its own memory meanwhile, so signing in and
        # every other limited page keep working, still limited (per process), until Redis
        # answers again; only what needs Redis itself (queued jobs) stops.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "LOGIN_RATE_LIMIT": "20 per minute",
        # Registration and activation (trainee accounts): every POST per address, and
        # separately the failed identity checks per address, shared by both pages.
        "REGISTRATION_RATE_LIMIT": "10 per minute",
        "IDENTITY_CLAIM_FAILURE_LIMIT": "10 per hour",
        # Staff and officers entering someone's ID number (enrolment, registration of a
        # contestant): per account, all such pages and API endpoints together.
        "ID_LOOKUP_RATE_LIMIT": "10 per minute;100 per day",
        # Documents handed out (PDFs rendered on request, stored evidence files): per
        # account, every page and API operation together (trainhub/core/downloads.py).
        "DOWNLOAD_RATE_LIMIT": "30 per minute;500 per day",
        # Failed identity checks against one person (registration) or one activation code
        # before further attempts on it are refused; counted in the audit log, so the
        # count holds across workers and restarts.
        "IDENTITY_CLAIM_MAX_FAILURES": 5,
        "IDENTITY_CLAIM_FAILURE_WINDOW": timedelta(hours=24),
        # A security credential's lifetime, like the lock-out above: configuration, not a
        # dated business parameter.
        "ACTIVATION_CODE_LIFETIME": timedelta(days=14),
        # Self-service password reset: a link lasts 30 minutes; at most this many messages
        # per account per hour; requests per address and per account name (Flask-Limiter);
        # every answer takes at least this long, whether or not the account exists.
        "PASSWORD_RESET_LIFETIME": timedelta(minutes=30),
        "PASSWORD_RESET_MAX_PER_HOUR": 3,
        "PASSWORD_RESET_RATE_LIMIT": "5 per minute;20 per hour",
        "PASSWORD_RESET_ACCOUNT_RATE_LIMIT": "5 per hour",
        "PASSWORD_RESET_ANSWER_SECONDS": 0.0 if env == "test" else 0.5,
    }
    cfg.update(_messaging(development))
    if not development:
        # __Host- cookies are only sent over HTTPS, to this host, for every path.
        cfg["SESSION_COOKIE_NAME"] = "__Host-trainhub_session"
    cfg.update(overrides)
    cfg.setdefault("RATELIMIT_STORAGE_URI", cfg["REDIS_URL"] or "memory://")
    cfg["TRUSTED_PROXIES"] = _trusted_proxies(cfg["TRUSTED_PROXIES"])
    _check_storage(cfg)
    _check_messaging(cfg)
    _fill_secrets(cfg, instance_path, development)
    _check_production(cfg)
    return cfg


def _environment(overrides: dict[str, Any]) -> str:
    env = overrides.get("TRAINHUB_ENV") or os.environ.get("TRAINHUB_ENV", "development")
    if env not in ENVIRONMENTS:
        raise ConfigError(f"TRAINHUB_ENV={env!r} is not one of {', '.join(ENVIRONMENTS)}")
    return str(env)


def _trusted_proxies(value: object) -> int:
    text = str(value).strip()
    if not text.isdigit() or int(text) > MAX_TRUSTED_PROXIES:
        raise ConfigError(f"TRUSTED_PROXIES={value!r} must be the number of proxies in front "
                          f"of the app, 0 to {MAX_TRUSTED_PROXIES}")
    return int(text)


def _check_storage(cfg: dict[str, Any]) -> None:
    from trainhub.core.storage.url import StorageURLError, check_addressing_style, parse

    try:
        if cfg.get("STORAGE_URL"):
            parse(str(cfg["STORAGE_URL"]))
        check_addressing_style(str(cfg.get("S3_ADDRESSING_STYLE") or "auto"))
    except StorageURLError as error:
        raise ConfigError(str(error)) from None


def _messaging(development: bool) -> dict[str, Any]:
    from trainhub.core.outbox import settings

    return settings.from_environment(development)


def _check_messaging(cfg: dict[str, Any]) -> None:
    # SMTP and the SMS gateway: production refuses the logging stand-in (issue 15, item 2).
    from trainhub.core.outbox import settings

    settings.check(cfg, ConfigError)


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
    if cfg.get("DEBUG") or cfg.get("TESTING"):
        raise ConfigError("production refuses to start with debug or testing on")
    if len(str(cfg.get("SECRET_KEY") or "")) < 32:
        raise ConfigError("production needs a SECRET_KEY of at least 32 characters")
    if not str(cfg.get("PUBLIC_BASE_URL") or "").startswith("https://"):
        raise ConfigError("production needs PUBLIC_BASE_URL (https://…), printed on certificates")
    if not str(cfg.get("SQLALCHEMY_DATABASE_URI") or "").startswith("postgresql"):
        raise ConfigError("production needs DATABASE_URL pointing at PostgreSQL "
                          "(postgresql+psycopg://…); SQLite is for development")
    _check_production_limits(cfg)


def _check_production_limits(cfg: dict[str, Any]) -> None:
    # Counted in memory, each worker process (and host) keeps its own counts: the login
    # limit would be multiplied by the number of workers, and reset by every restart.
    if not cfg.get("REDIS_URL"):
        raise ConfigError("production needs REDIS_URL (redis://…): rate limits and jobs")
    if str(cfg.get("RATELIMIT_STORAGE_URI") or "").startswith("memory"):
        raise ConfigError("production refuses in-memory rate limits: "
                          "RATELIMIT_STORAGE_URI must be Redis")
    if not cfg.get("RATELIMIT_ENABLED"):
        raise ConfigError("production refuses to start with rate limits switched off")


def main() -> int:
    """Check the configuration the environment gives; one line, exit status 2 if refused."""
    import sys

    instance = Path(__file__).resolve().parent.parent / "instance"
    try:
        cfg = load_config(instance)
    except ConfigError as error:
        print(f"TrainHub refuses to start: {error}", file=sys.stderr)
        return 2
    print(f"TrainHub configuration ok ({cfg['TRAINHUB_ENV']})")
    return 0
