"""A platform over the hand-built monitoring scenario (synthetic; 景德镇市 with villages in 昌江区 360202,
浮梁县 360222 and 乐平市 360281), on SQLite and on PostgreSQL, with one user per role inside 昌江区 and
one outside the workspace (南昌市东湖区 360102), each holding a bearer token."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from gengbao.domain.access import Role
from gengbao.interfaces.http.app import create_app
from gengbao.services import users
from gengbao.services.context import Context
from gengbao.services.monitoring.run import run_monitor
from gengbao.services.targets.use_cases import import_targets
from tests.conftest import PG_ADMIN_URL, pg_or_skip
from tests.monitoring import builder as b
from tests.monitoring.conftest import build_workspace

INSIDE, OUTSIDE = "360202", "360102"
OTHER_COUNTIES = ("360222", "360281")  # inside the workspace, outside 昌江区
PASSWORD = "correct-horse-9"
TARGETS = "行政区名称,耕地保护目标,永久基本农田\n昌江区,7.3041,5.0704\n浮梁县,31.9999,27.8362\n乐平市,80.4127,73.5215\n"


@dataclass
class Platform:
    ctx: Context
    root: Path
    db_url: str | None
    client: TestClient
    tokens: dict[str, str]  # user name → bearer token
    run_id: int

    def as_user(self, name: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[name]}"}


def user_name(role: Role, where: str) -> str:
    return f"{role.value}-{where}"


def build_platform(root: Path, db_url: str | None) -> Platform:
    ctx = build_workspace(root, b.hand_scenario(), db_url)
    csv = root / "targets.csv"
    csv.write_text(TARGETS, encoding="utf-8")
    import_targets(ctx, csv)
    run_id = run_monitor(ctx, 2021, 2022).run_id
    tokens: dict[str, str] = {}
    for role in Role:
        for where in (INSIDE, OUTSIDE):
            name = user_name(role, where)
            info = users.add_user(ctx, name, role, where, PASSWORD, f"{role.label}{where}")
            tokens[name] = users.create_token(ctx.acting_as(info.actor), "测试").token
    admin = users.add_user(ctx, "root", Role.ADMIN, "", PASSWORD, "管理员")
    tokens["root"] = users.create_token(ctx.acting_as(admin.actor), "测试").token
    client = TestClient(create_app(root, db_url), raise_server_exceptions=False)
    return Platform(ctx, root, db_url, client, tokens, run_id)


@pytest.fixture(scope="session")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    """One platform for the whole session (tests that change it use names and addresses of their own)."""
    p = build_platform(tmp_path_factory.mktemp("platform"), None)
    with p.client:
        yield p


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
def any_platform(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    """The platform on both back ends (the PostgreSQL database is dropped afterwards)."""
    if request.param == "sqlite":
        p = build_platform(tmp_path_factory.mktemp("platform-sqlite"), None)
        with p.client:
            yield p
        return
    pg_or_skip()
    import psycopg

    name = f"gb_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        p = build_platform(tmp_path_factory.mktemp("platform-pg"), f"{PG_ADMIN_URL.rsplit('/', 1)[0]}/{name}")
        with p.client:
            yield p
        p.ctx.engine.dispose()
        p.client.app.state.context.engine.dispose()  # type: ignore[attr-defined]
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(autouse=True)
def _no_env_db_module(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GENGBAO_DATABASE_URL", raising=False)


os.environ.setdefault("GENGBAO_WEB_DIST", "/nonexistent-web-dist")
