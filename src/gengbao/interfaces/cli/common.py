"""Helpers shared by CLI commands: consoles, JSON output, error handling."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape

from gengbao.api import Context, open_workspace
from gengbao.domain.findings import Finding
from gengbao.interfaces.cli.errors import as_gengbao_error, exit_code_for, render_error
from gengbao.interfaces.cli.usage import ClickException
from gengbao.interfaces.schemas import error_envelope, to_json_data

console = Console()
err_console = Console(stderr=True)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(to_json_data(data), ensure_ascii=False, indent=None) + "\n")


@contextmanager
def handle_errors(as_json: bool) -> Iterator[None]:
    """The boundary of every command: any exception becomes a coded error, rendered for people (stderr)
    or as the JSON envelope (stdout), and the documented exit code. No traceback reaches a user."""
    try:
        yield
    except (typer.Exit, typer.Abort, ClickException):
        raise
    except KeyboardInterrupt:
        err_console.print("[yellow]已中断[/]")
        raise typer.Exit(130) from None
    except Exception as raw:
        exc = as_gengbao_error(raw)
        if as_json:
            print_json(error_envelope(exc))
        else:
            render_error(exc, console=err_console)
        raise typer.Exit(exit_code_for(exc)) from raw


SHOWN = 30


def render_findings(items: list[Finding], title: str, style: str, total: int | None = None) -> None:
    """Print up to ``SHOWN`` findings to stderr and say how many more there are (``total`` when the
    list itself was capped)."""
    for f in items[:SHOWN]:
        err_console.print(f"[{style}]{title}[/] {escape(f'[{f.code}]')} {escape(f.message)}")
    more = (len(items) if total is None else total) - min(len(items), SHOWN)
    if more > 0:
        err_console.print(f"[{style}]……另有 {more} 条{title}未显示（用 --json 查看全部）[/]")


ACT_AS: ContextVar[str | None] = ContextVar("gengbao_act_as", default=None)


def open_ws(path: Path, db: str | None = None, act_as: str | None = None) -> Context:
    """Open a workspace acting as ``act_as`` (a command's own ``--as``), else as the user chosen with the
    global ``--as`` option, the GENGBAO_AS setting, or the local operator."""
    ctx = open_workspace(path, db, act_as=act_as or ACT_AS.get())
    for notice in ctx.notices:
        err_console.print(f"[yellow]注意[/] {escape(notice)}")
    return ctx


JsonOption = typer.Option(False, "--json", help="以 JSON 输出（供程序读取）")
DbOption = typer.Option(None, "--db", help="数据库 URL（默认：工作空间内的 SQLite；或环境变量 GENGBAO_DATABASE_URL）")

Command = Callable[..., Any]
