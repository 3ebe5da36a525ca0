"""``gengbao serve WS``: the HTTP API, OGC API Features and the web UI (FastAPI on Uvicorn)."""

from __future__ import annotations

import os
from pathlib import Path

import typer

from gengbao.interfaces.cli.common import DbOption, console, handle_errors
from gengbao.services.workspace import open_workspace


def serve_cmd(
    ws: Path = typer.Argument(..., help="工作空间文件夹"),
    host: str = typer.Option("127.0.0.1", "--host", help="监听地址（默认仅本机）"),
    port: int = typer.Option(8000, "--port", help="端口"),
    workers: int = typer.Option(1, "--workers", min=1, max=64, help="工作进程数"),
    db: str | None = DbOption,
) -> None:
    """启动平台：HTTP 接口（/api）、OGC API Features（/ogc）和网页界面。Ctrl-C 停止。"""
    import uvicorn

    with handle_errors(False):
        open_workspace(ws, db)  # refuse a missing or outdated workspace before listening
    os.environ["GENGBAO_SERVE_WORKSPACE"] = str(Path(ws).resolve())
    if db:
        os.environ["GENGBAO_SERVE_DB"] = db
    console.print(f"耕保平台已启动：http://{host}:{port}/ （接口文档 /api/docs，Ctrl-C 停止）")
    uvicorn.run("gengbao.interfaces.http.app:app_from_environment", factory=True, host=host, port=port,
                workers=workers, log_level="warning")


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_cmd)
