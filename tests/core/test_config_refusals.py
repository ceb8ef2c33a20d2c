"""Configuration that cannot be wrong quietly (issue 14, item 3): an unknown environment
name, and a production configuration missing what production needs, refuse to start with
a message naming what is wrong. Pure load_config calls: no app, no database."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import TEST_CONFIG
from tests.production_config import production
from trainhub import config as config_module
from trainhub.config import ConfigError, load_config

ENVIRONMENT = ("TRAINHUB_ENV", "DATABASE_URL", "REDIS_URL", "PUBLIC_BASE_URL",
               "TRUSTED_PROXIES", "FLASK_DEBUG")


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize("name", ["prod", "Production", "testing", "dev", "staging", " "])
def test_an_unknown_environment_name_refuses_to_start(tmp_path: Path, monkeypatch, name):
    monkeypatch.setenv("TRAINHUB_ENV", name)
    with pytest.raises(ConfigError) as refused:
        load_config(tmp_path, {k: v for k, v in TEST_CONFIG.items() if k != "TRAINHUB_ENV"})
    assert repr(name) in str(refused.value)
    assert "development, test, production" in str(refused.value)


@pytest.mark.parametrize("name", ["development", "test"])
def test_the_known_names_start(tmp_path: Path, monkeypatch, name):
    monkeypatch.setenv("TRAINHUB_ENV", name)
    config = {k: v for k, v in TEST_CONFIG.items() if k != "TRAINHUB_ENV"}
    assert load_config(tmp_path, config)["TRAINHUB_ENV"] == name


def test_a_complete_production_configuration_starts(tmp_path: Path):
    loaded = load_config(tmp_path, production())
    assert loaded["TRAINHUB_ENV"] == "production" and loaded["TESTING"] is False
    assert loaded["RATELIMIT_STORAGE_URI"] == "redis://cache.internal:6379/0"
    assert loaded["RATELIMIT_ENABLED"] is True and loaded["TRUSTED_PROXIES"] == 0


@pytest.mark.parametrize(("changes", "named"), [
    ({"PUBLIC_BASE_URL": None}, "PUBLIC_BASE_URL"),
    ({"PUBLIC_BASE_URL": "http://px.example.cn"}, "PUBLIC_BASE_URL"),
    ({"REDIS_URL": None}, "REDIS_URL"),
    ({"RATELIMIT_STORAGE_URI": "memory://"}, "in-memory rate limits"),
    ({"RATELIMIT_ENABLED": False}, "rate limits switched off"),
    ({"SQLALCHEMY_DATABASE_URI": "sqlite:////srv/trainhub.sqlite3"}, "PostgreSQL"),
    ({"SECRET_KEY": "short"}, "SECRET_KEY"),
    ({"SECRET_KEY": None}, "SECRET_KEY"),
    ({"BLIND_INDEX_KEY": None}, "BLIND_INDEX_KEY"),
    ({"FIELD_ENCRYPTION_KEYS": None}, "FIELD_ENCRYPTION_KEYS"),
    ({"DEBUG": True}, "debug"),
    ({"TESTING": True}, "testing"),
], ids=lambda value: str(value))
def test_production_refuses_what_it_needs_missing(tmp_path: Path, changes, named):
    with pytest.raises(ConfigError, match=named):
        load_config(tmp_path, production(**changes))


def test_production_without_redis_in_the_environment_is_refused(tmp_path: Path, monkeypatch):
    # The shape of a real start: everything from the environment, no overrides.
    monkeypatch.setenv("TRAINHUB_ENV", "production")
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://trainhub@db.internal/trainhub")
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://px.example.cn")
    secrets = {k: v for k, v in TEST_CONFIG.items() if k in
               ("SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "BLIND_INDEX_KEY")}
    for name, value in secrets.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match="REDIS_URL"):
        load_config(tmp_path)
    monkeypatch.setenv("REDIS_URL", "redis://cache.internal:6379/0")
    assert load_config(tmp_path)["RATELIMIT_STORAGE_URI"] == "redis://cache.internal:6379/0"


@pytest.mark.parametrize("value", ["one", "-1", "1.5", "6", ""])
def test_trusted_proxies_is_a_small_whole_number(tmp_path: Path, monkeypatch, value):
    monkeypatch.setenv("TRUSTED_PROXIES", value)
    with pytest.raises(ConfigError, match="TRUSTED_PROXIES"):
        load_config(tmp_path, TEST_CONFIG)


def test_trusted_proxies_from_the_environment(tmp_path: Path, monkeypatch):
    assert load_config(tmp_path, TEST_CONFIG)["TRUSTED_PROXIES"] == 0
    monkeypatch.setenv("TRUSTED_PROXIES", "2")
    assert load_config(tmp_path, TEST_CONFIG)["TRUSTED_PROXIES"] == 2


def test_the_configuration_check_says_what_is_wrong_in_one_line(monkeypatch, capsys):
    monkeypatch.setenv("TRAINHUB_ENV", "prod")
    assert config_module.main() == 2
    error = capsys.readouterr().err.strip()
    assert error == ("TrainHub refuses to start: TRAINHUB_ENV='prod' is not one of "
                     "development, test, production")
