"""TrainHub: vocational training and skills competitions for people with disabilities."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

from apiflask import APIFlask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from trainhub.config import load_config
from trainhub.extensions import babel, csrf, db, limiter, login_manager, migrate

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict[str, Any] | None = None) -> APIFlask:
    app = APIFlask(
        __name__,
        title="TrainHub API",
        version="v1",
        spec_path="/api/v1/openapi.json",
        docs_path=None,  # served by our own page: Swagger UI from npm, no inline script
        json_errors=False,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
    )
    app.config.update(load_config(Path(app.instance_path), config))
    _bound_integer_urls(app)
    _configure_openapi(app)
    _init_extensions(app)
    _register_domains(app)
    # The app's long-lived objects (modules, metadata, templates' code, the registry) are
    # never garbage: moved out of the collector's generations, they are not rescanned
    # every time a request allocates many short-lived ones (a 1,000-entry event's 38,000
    # marks; a batch's decisions), which otherwise costs as much as the work itself.
    gc.freeze()
    return app


def _bound_integer_urls(app: APIFlask) -> None:
    from trainhub.core.web import DatabaseIdConverter

    app.url_map.converters["int"] = DatabaseIdConverter


def _configure_openapi(app: APIFlask) -> None:
    app.config["SECURITY_SCHEMES"] = {
        "BearerAuth": {"type": "http", "scheme": "bearer",
                       "description": "An API token created under 账户 → API 令牌."}
    }
    app.config["INFO"] = {
        "description": "TrainHub JSON API. Every call acts with the token owner's role and "
                       "scope. Errors are JSON objects with `status` and `message`.",
    }
    from trainhub.core.api import ErrorOut

    app.config["HTTP_ERROR_SCHEMA"] = ErrorOut
    app.config["VALIDATION_ERROR_SCHEMA"] = ErrorOut
    app.config["AUTO_404_RESPONSE"] = True
    # Relative paths: the document is valid on every host, and Swagger UI shows no
    # unlabelled server selector.
    app.config["AUTO_SERVERS"] = False
    app.config["VALIDATION_ERROR_STATUS_CODE"] = 422
    app.spec_processor(_require_bodies)


def _require_bodies(spec: dict[Any, Any] | str) -> dict[Any, Any] | str:
    """APIFlask leaves `requestBody.required` out, which means a client may send no body;
    a body whose schema has required fields is required (without it the answer is 422)."""
    if isinstance(spec, str):
        return spec
    schemas = spec.get("components", {}).get("schemas", {})
    for item in spec.get("paths", {}).values():
        for operation in item.values():
            body = operation.get("requestBody") if isinstance(operation, dict) else None
            if not body:
                continue
            for media in body.get("content", {}).values():
                ref = media.get("schema", {}).get("$ref", "")
                schema = schemas.get(ref.rsplit("/", 1)[-1], media.get("schema", {}))
                if schema.get("required"):
                    body["required"] = True
    return spec


def _init_extensions(app: APIFlask) -> None:
    from trainhub.core import crypto, observability
    from trainhub.core.i18n import select_locale

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True,
                     compare_type=True)
    login_manager.init_app(app)
    login_manager.session_protection = None  # sessions are server-side records instead
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=select_locale,
                   default_translation_directories=str(ROOT / "trainhub" / "translations"))
    crypto.configure(*_ciphers(app.config))
    observability.init_app(app)  # request ids, JSON logs, /metrics: before any other hook


def _ciphers(config: dict[str, Any]) -> tuple[Any, bytes]:
    from trainhub.core.crypto import FieldCipher, key_from_text

    pairs = [p.split("=", 1) for p in str(config["FIELD_ENCRYPTION_KEYS"]).split(",") if p]
    keys = {name.strip(): key_from_text(text.strip()) for name, text in pairs}
    # The first key listed encrypts; the others still decrypt during a rotation.
    return FieldCipher(keys, current=pairs[0][0].strip()), key_from_text(config["BLIND_INDEX_KEY"])


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    import sqlite3

    if isinstance(dbapi_connection, sqlite3.Connection):
        # Let SQLAlchemy own BEGIN, so savepoints and rollbacks behave as on PostgreSQL.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_begin(conn: Any) -> None:
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN")


def _register_domains(app: APIFlask) -> None:
    from trainhub import cli
    from trainhub.bases import setup as bases_setup
    from trainhub.competitions import setup as competitions_setup
    from trainhub.core import (
        display,
        health,
        home,
        i18n,
        navigation,
        security,
        static_files,
        view_mode,
        web,
    )
    from trainhub.core.accounts import (
        second_factor_views,  # noqa: F401 - on accounts.bp
        signup_views,  # noqa: F401 - routes on accounts.bp
    )
    from trainhub.core.accounts import views as account_views
    from trainhub.core.admin import views as admin_views
    from trainhub.core.api import bp as api_bp
    from trainhub.core.audit import views as audit_views
    from trainhub.core.documents import views as document_views
    from trainhub.core.institutions import views as institution_views
    from trainhub.core.notifications import views as notification_views
    from trainhub.core.parameters import views as parameter_views
    from trainhub.core.people import views as people_views
    from trainhub.core.privacy import setup as privacy_setup
    from trainhub.reports import setup as reports_setup
    from trainhub.rewards import setup as rewards_setup
    from trainhub.subsidies import setup as subsidies_setup
    from trainhub.training import setup as training_setup

    i18n.init_app(app)
    display.init_app(app)
    view_mode.init_app(app)
    web.init_app(app)
    static_files.init_app(app)
    navigation.init_app(app)
    notification_views.init_app(app)
    for blueprint in (home.bp, health.bp, account_views.bp, people_views.bp, audit_views.bp,
                      admin_views.bp, document_views.bp, parameter_views.bp,
                      institution_views.bp):
        app.register_blueprint(blueprint)
    bases_setup.init_app(app)
    training_setup.init_app(app)
    subsidies_setup.init_app(app)
    competitions_setup.init_app(app)
    privacy_setup.init_app(app)
    rewards_setup.init_app(app)
    reports_setup.init_app(app)
    app.register_blueprint(api_bp)
    csrf.exempt(api_bp)  # token-authenticated only; cookies are ignored there
    cli.init_app(app)
    security.init_app(app)
