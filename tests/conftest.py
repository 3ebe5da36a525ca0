"""Shared fixtures: temporary workspaces on SQLite and on PostgreSQL.

Storage tests take the ``db_url`` fixture, which runs them once on SQLite (``None`` = the embedded
default) and once on a fresh PostgreSQL database. When no server is reachable the PostgreSQL run is
skipped, unless ``GENGBAO_REQUIRE_POSTGRES=1`` (set by ``.ci/run``), where it fails.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

SEEDS = Path(os.environ.get("GENGBAO_SEEDS", Path(__file__).resolve().parents[1].parent / "shared" / "seeds"))
PG_ADMIN_URL = os.environ.get("GENGBAO_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def seed_path(prefix: str) -> Path:
    """Path of a seed document by its number prefix ("000" … "004")."""
    matches = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if not matches:
        if os.environ.get("CI") or os.environ.get("GENGBAO_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"seed {prefix} not found under {SEEDS} (CI needs ../shared/seeds beside the clone)")
        pytest.skip(f"seed {prefix} not found under {SEEDS}")
    return matches[0]


def _pg_available() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, connect_timeout=3) as conn:
            conn.execute("select 1")
        return True
    except Exception:
        return False


_PG_OK: bool | None = None


def pg_or_skip() -> None:
    global _PG_OK
    if _PG_OK is None:
        _PG_OK = _pg_available()
    if not _PG_OK:
        if os.environ.get("GENGBAO_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL is required but not reachable at {PG_ADMIN_URL}")
        pytest.skip("PostgreSQL not reachable")


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database for one test, dropped afterwards."""
    pg_or_skip()
    import psycopg

    name = f"gb_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    yield f"{base}/{name}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest) -> Iterator[str | None]:
    """Run a storage test on both back ends: ``None`` means the embedded SQLite default."""
    if request.param == "sqlite":
        yield None
    else:
        yield request.getfixturevalue("pg_url")


@pytest.fixture(autouse=True)
def _no_env_db(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GENGBAO_DATABASE_URL", raising=False)
