"""PostgreSQL connections come from Django's psycopg pool, never kept per thread (ADR 0009)."""

import importlib
import sys
from typing import Any

import pytest


def _base_settings_with(monkeypatch: pytest.MonkeyPatch, **environment: str) -> Any:
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    sys.modules.pop("openvet.config.settings.base", None)
    try:
        return importlib.import_module("openvet.config.settings.base")
    finally:
        sys.modules.pop("openvet.config.settings.base", None)


def test_postgresql_uses_the_pool_and_no_persistent_connections(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    base = _base_settings_with(
        monkeypatch,
        DATABASE_URL="postgres://openvet@127.0.0.1:5432/openvet",
        DATABASE_POOL_MAX_SIZE="7",
    )
    database = base.DATABASES["default"]
    assert database["CONN_MAX_AGE"] == 0
    assert database["OPTIONS"]["pool"] == {"min_size": 2, "max_size": 7, "timeout": 10}


def test_sqlite_has_no_pool(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    base = _base_settings_with(monkeypatch)
    assert "pool" not in base.DATABASES["default"]["OPTIONS"]
