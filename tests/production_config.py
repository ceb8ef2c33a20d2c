"""A complete production configuration for tests of what production refuses or does."""

from __future__ import annotations

from typing import Any

from tests.conftest import TEST_CONFIG


def production(**changes: Any) -> dict[str, Any]:
    """load_config/create_app overrides of a production install; `changes` applied, a
    None value removing the key."""
    complete = dict(TEST_CONFIG, TRAINHUB_ENV="production",
                    SQLALCHEMY_DATABASE_URI="postgresql+psycopg://trainhub@db.internal/trainhub",
                    REDIS_URL="redis://cache.internal:6379/0",
                    PUBLIC_BASE_URL="https://px.example.cn")
    complete.update(changes)
    return {key: value for key, value in complete.items() if value is not None}
