"""Create and open workspaces: a folder plus a database (SQLite in the folder, or PostgreSQL)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from gengbao.adapters.db.engine import make_engine, session_factory, sqlite_url, upgrade
from gengbao.adapters.db.models import Setting
from gengbao.adapters.region_data import load_catalog
from gengbao.adapters.workspace_files import WorkspaceLayout, read_descriptor, write_descriptor
from gengbao.domain.errors import ConflictError, UsageError
from gengbao.domain.regions import RegionCatalog, RegionLevel
from gengbao.services import audit

ENV_DB = "GENGBAO_DATABASE_URL"


@dataclass(frozen=True, slots=True)
class Workspace:
    layout: WorkspaceLayout
    engine: Engine
    sessions: sessionmaker[Session]
    region: str
    catalog: RegionCatalog

    @property
    def root(self) -> Path:
        return self.layout.root

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        with self.sessions.begin() as session:
            yield session


def _resolve_url(layout: WorkspaceLayout, db_url: str | None, stored: str | None) -> str:
    return db_url or os.environ.get(ENV_DB) or stored or sqlite_url(layout.sqlite)


def init_workspace(path: Path, region: str, db_url: str | None = None) -> Workspace:
    """Create a workspace covering ``region`` (a city or county code, 4/6 digits or 12-digit form)."""
    catalog = load_catalog()
    code = catalog.normalise_code(region)
    node = catalog.get(code)
    if node.level not in (RegionLevel.CITY, RegionLevel.COUNTY):
        raise UsageError(
            f"工作空间的范围须为市或县级行政区，{node.code}（{node.name}）是{node.level.label}。",
            code="workspace.region_level",
        )
    layout = WorkspaceLayout(Path(path))
    if layout.descriptor.exists():
        raise ConflictError(f"“{path}”已是工作空间，不能重复初始化。", code="workspace.exists")
    layout.make_dirs()
    explicit = db_url or os.environ.get(ENV_DB)
    write_descriptor(layout, {"region": node.code, "database_url": db_url})
    url = _resolve_url(layout, explicit, None)
    engine = make_engine(url)
    upgrade(engine)
    ws = Workspace(layout, engine, session_factory(engine), node.code, catalog)
    with ws.transaction() as s:
        s.merge(Setting(key="region", value=node.code))
        s.merge(Setting(key="created_at", value=datetime.now(UTC).isoformat()))
        audit.append(s, "system", "workspace.init", node.code, {"name": node.name})
    return ws


def open_workspace(path: Path, db_url: str | None = None) -> Workspace:
    layout = WorkspaceLayout(Path(path))
    desc = read_descriptor(layout)
    url = _resolve_url(layout, db_url, desc.get("database_url"))
    engine = make_engine(url)
    upgrade(engine)
    catalog = load_catalog()
    ws = Workspace(layout, engine, session_factory(engine), str(desc["region"]), catalog)
    with ws.sessions() as s:
        stored = s.scalar(select(Setting.value).where(Setting.key == "region"))
    if stored is not None and stored != ws.region:
        raise ConflictError(
            f"数据库中的工作空间区域 {stored} 与 {layout.descriptor} 中的 {ws.region} 不一致。",
            code="workspace.db_mismatch",
        )
    return ws
