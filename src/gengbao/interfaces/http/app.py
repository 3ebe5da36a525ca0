"""The FastAPI application: ``create_app(workspace_path, db_url)`` opens the workspace once; every
request gets a :class:`Context` acting as its user (``auth.guard``). Public routes: login, health and
the API document; everything else needs a session or a bearer token. Built web files in ``web/dist``
(or ``$GENGBAO_WEB_DIST``) are served at ``/`` when present."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from gengbao.interfaces.http import errors
from gengbao.interfaces.http.jobs import Jobs
from gengbao.interfaces.http.limits import JSON_LIMIT, UPLOAD_LIMIT, BodyLimit
from gengbao.interfaces.http.ogc import features as ogc_features
from gengbao.interfaces.http.ogc import tiles as ogc_tiles
from gengbao.interfaces.http.ogc.source import LayerSource
from gengbao.interfaces.http.routers import (
    assessment,
    auth,
    cases,
    health,
    monitoring,
    survey,
    targets,
    tasks,
    users,
    workspace,
)
from gengbao.services.workspace import open_workspace

WEB_DIST = Path(os.environ.get("GENGBAO_WEB_DIST", Path(__file__).resolve().parents[4] / "web" / "dist"))


def create_app(workspace_path: Path | str, db_url: str | None = None, *, json_limit: int = JSON_LIMIT,
               upload_limit: int = UPLOAD_LIMIT, web_dist: Path | None = None) -> FastAPI:
    ctx = open_workspace(Path(workspace_path), db_url)
    jobs = Jobs()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        jobs.shutdown()

    app = FastAPI(title="耕保 gengbao 平台接口", version="0.1.0", openapi_url="/api/openapi.json",
                  docs_url="/api/docs", redoc_url=None, lifespan=lifespan,
                  description="耕地保护监管平台的 HTTP 接口与 OGC API Features。除登录、健康检查和本文档外均需登录"
                              "（会话 Cookie + X-CSRF-Token，或 Authorization: Bearer 令牌）。")
    app.state.context = ctx
    app.state.jobs = jobs
    app.state.token_cache = {}
    app.state.layers = LayerSource(ctx.layout.layers)
    app.state.tiles = ogc_tiles.TileCache()
    errors.install(app)
    for module in (health, auth, users, workspace, survey, targets, monitoring, tasks, assessment, cases):
        app.include_router(module.router)
    app.include_router(ogc_features.router)
    app.include_router(ogc_tiles.router)
    dist = web_dist or WEB_DIST
    if (dist / "index.html").is_file():
        app.mount("/", StaticFiles(directory=dist, html=True), name="web")
    app.add_middleware(BodyLimit, json_limit=json_limit, upload_limit=upload_limit)
    return app


def app_from_environment() -> FastAPI:
    """The factory ``gengbao serve`` hands to Uvicorn (each worker process opens the workspace once)."""
    return create_app(os.environ["GENGBAO_SERVE_WORKSPACE"], os.environ.get("GENGBAO_SERVE_DB") or None)
