"""Create, open and migrate workspaces: a folder plus a database (SQLite in the folder, or PostgreSQL).

``init_workspace`` and ``migrate_workspace`` bring the schema to the newest revision; ``open_workspace``
never changes the schema: a workspace whose schema is older than this version of gengbao is refused
with a message that names ``gengbao migrate``. Each returns a :class:`~gengbao.services.context.Context`
acting as the given actor (default: the local operator).
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from gengbao.adapters import layer_store, locks
from gengbao.adapters.db import monitoring_store, survey_store, user_store, workspace_store
from gengbao.adapters.db.engine import (
    make_engine,
    pending_migrations,
    session_factory,
    sqlite_url,
    upgrade,
    write_session_factory,
)
from gengbao.adapters.region_data import load_catalog
from gengbao.adapters.workspace_files import WorkspaceLayout, read_descriptor, write_descriptor
from gengbao.domain.access import LOCAL_OPERATOR, AccessDenied, Actor, Role
from gengbao.domain.errors import ConflictError, UsageError, WorkspaceError
from gengbao.domain.regions import RegionLevel
from gengbao.services.context import Context, Workspace
from gengbao.services.settings import Settings

__all__ = ["Context", "Workspace", "init_workspace", "migrate_workspace", "open_workspace"]


def _connect(layout: WorkspaceLayout, settings: Settings, region: str, *, existing: bool = True) -> Workspace:
    if existing and not settings.database_url and not layout.sqlite.is_file():
        raise WorkspaceError(
            f"工作空间 {layout.root} 的数据库文件 {layout.sqlite.name} 不存在（被删除或移走）。图层仍在，但没有数据库"
            "无法使用：请从备份恢复该文件；不会自动新建空数据库。", code="workspace.database_missing")
    url = settings.database_url or sqlite_url(layout.sqlite)
    engine = make_engine(url)
    return Workspace(layout, engine, session_factory(engine), write_session_factory(engine), region,
                     load_catalog())


def init_workspace(path: Path, region: str, db_url: str | None = None, *,
                   actor: Actor = LOCAL_OPERATOR, settings: Settings | None = None) -> Context:
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
    write_descriptor(layout, {"region": node.code, "database_url": db_url})
    settings = settings or Settings.load()
    if db_url:
        settings = settings.with_(database_url=db_url)
    ws = _connect(layout, settings, node.code, existing=False)
    upgrade(ws.engine)
    ctx = Context(ws, actor, settings)
    with ctx.transaction() as s:
        workspace_store.put_settings(s, {"region": node.code, "created_at": datetime.now(UTC).isoformat()})
        ctx.audit(s, "workspace.init", node.code, {"name": node.name})
    return ctx


def _load(path: Path, db_url: str | None, settings: Settings | None) -> tuple[WorkspaceLayout, Settings, str]:
    layout = WorkspaceLayout(Path(path))
    desc = read_descriptor(layout)
    base = settings or Settings.load(desc)
    if db_url:
        base = base.with_(database_url=db_url)
    return layout, base, str(desc["region"])


def open_workspace(path: Path, db_url: str | None = None, *, actor: Actor | None = None,
                   settings: Settings | None = None, act_as: str | None = None) -> Context:
    """Open an existing workspace for ``actor``; without one, for the user named by ``act_as`` (or the
    ``act_as`` setting), else for the local operator. Refuses a schema older than this gengbao."""
    layout, settings, region = _load(path, db_url, settings)
    if act_as is not None:
        settings = settings.with_(act_as=act_as)
    ws = _connect(layout, settings, region)
    pending = pending_migrations(ws.engine)
    if pending:
        raise WorkspaceError(
            f"工作空间 {layout.root} 的数据库结构比当前版本旧（缺少 {len(pending)} 个迁移）。"
            f"请先运行 gengbao migrate {layout.root}（升级前建议备份）。",
            code="workspace.outdated", pending=pending,
        )
    with ws.sessions() as s:
        stored = workspace_store.get_setting(s, "region")
    if stored is not None and stored != ws.region:
        raise ConflictError(
            f"数据库中的工作空间区域 {stored} 与 {layout.descriptor} 中的 {ws.region} 不一致。",
            code="workspace.db_mismatch",
        )
    ctx = Context(ws, LOCAL_OPERATOR, settings)
    ctx = Context(ws, LOCAL_OPERATOR, settings, notices=(*recover_layers(ws), *recover_runs(ctx)))
    return ctx.acting_as(actor if actor is not None else resolve_actor(ctx, settings.act_as))


def recover_runs(ctx: Context) -> list[str]:
    """Mark as failed every monitoring run recorded as running whose process is gone (its lock is free)."""
    layers = ctx.layout.layers
    if not os.access(ctx.layout.root, os.W_OK):
        return []
    with ctx.sessions() as s:
        running = monitoring_store.running_runs(s)
    dead = [run_id for run_id, token in running
            if not locks.is_held(layer_store.lock_path(layers, f"run-{token}"))]
    if not dead:
        return []
    with ctx.transaction() as s:
        for run_id in dead:
            monitoring_store.mark_failed(s, run_id)
            ctx.audit(s, "monitor.run_failed", f"monitor_run/{run_id}", {"reason": "进程已终止，运行未完成"})
    return [f"监测运行 {run_id} 的进程已终止，未完成的运行已标记为失败" for run_id in dead]


def recover_layers(ws: Workspace) -> list[str]:
    """Finish or undo what an interrupted import left in the layer store, and say what was done: a version
    the database recorded but never published is published; temporary folders and versions nobody recorded
    are removed. Skipped (silently) where the layer store cannot be written, e.g. a read-only copy."""
    layers = ws.layout.layers
    if not layers.is_dir() or not os.access(layers, os.W_OK):
        return []
    notices = []
    with ws.sessions() as s:
        recorded = survey_store.layer_paths(s)
    for kind, year, rel in recorded:
        version = ws.layout.root / rel
        if version.name.startswith("v-") and version.is_dir() and layer_store.dataset_path(layers, kind, year) != version:
            layer_store.publish(version)
            notices.append(f"已完成上次中断的导入：{year} 期 {kind} 图层（{rel}）")
    notices += [f"已清理中断的导入留下的临时数据：{p}" for p in layer_store.sweep(layers)]
    return notices


def resolve_actor(ctx: Context, name: str) -> Actor:
    """The actor a user name stands for: the local operator for an empty name or ``local``; on the command
    line of a workspace, ``user:role:region`` acts as that role in that region (one operator who enters the
    work of a county filler, then of a city reviewer …)."""
    if not name or name == LOCAL_OPERATOR.user_id:
        return LOCAL_OPERATOR
    if ":" in name:
        parts = name.split(":")
        if len(parts) != 3:
            raise UsageError(f"--as 应为 用户名，或 用户:角色:管辖区划，收到“{name}”。", code="usage.actor")
        try:
            role = Role(parts[1])
        except ValueError:
            raise UsageError(f"不认识的角色“{parts[1]}”。可用：{'、'.join(r.value for r in Role)}",
                             code="usage.role") from None
        return Actor(parts[0], role, parts[2])
    with ctx.sessions() as s:
        user = user_store.get_user(s, name)
    if user is not None:
        if user.disabled:
            raise AccessDenied(f"用户“{name}”已停用，不能以其身份操作", code="users.disabled", user=name)
        return Actor(user.name, Role(user.role), user.jurisdiction, user.display_name)
    raise UsageError(f"未知用户“{name}”：工作空间中没有这个用户（用 gengbao users add 添加）", code="user.unknown",
                     user=name)


def migrate_workspace(path: Path, db_url: str | None = None, *, actor: Actor = LOCAL_OPERATOR,
                      settings: Settings | None = None) -> tuple[Context, list[str]]:
    """Bring the workspace's schema to this version; returns the revisions applied."""
    layout, settings, region = _load(path, db_url, settings)
    ws = _connect(layout, settings, region)
    pending = pending_migrations(ws.engine)
    if pending:
        upgrade(ws.engine)
        ctx = Context(ws, actor, settings)
        with ctx.transaction() as s:
            ctx.audit(s, "workspace.migrate", region, {"revisions": pending})
    return open_workspace(path, db_url, actor=actor, settings=settings), pending
