"""Helpers shared by CLI commands: consoles, JSON output, error handling."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape

from gengbao.domain.errors import GengbaoError
from gengbao.domain.findings import Finding
from gengbao.interfaces.cli.errors import exit_code_for, render_error

console = Console()
err_console = Console(stderr=True)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, default=str, indent=None) + "\n")


@contextmanager
def handle_errors(as_json: bool) -> Iterator[None]:
    """Turn a GengbaoError into a rendered message and the documented exit code."""
    try:
        yield
    except GengbaoError as exc:
        render_error(exc, as_json=as_json, console=err_console if not as_json else console)
        raise typer.Exit(exit_code_for(exc)) from exc


SHOWN = 30


def render_findings(items: list[Finding], title: str, style: str, total: int | None = None) -> None:
    """Print up to ``SHOWN`` findings to stderr and say how many more there are (``total`` when the
    list itself was capped)."""
    for f in items[:SHOWN]:
        err_console.print(f"[{style}]{title}[/] {escape(f'[{f.code}]')} {escape(f.message)}")
    more = (len(items) if total is None else total) - min(len(items), SHOWN)
    if more > 0:
        err_console.print(f"[{style}]……另有 {more} 条{title}未显示（用 --json 查看全部）[/]")


JsonOption = typer.Option(False, "--json", help="以 JSON 输出（供程序读取）")
DbOption = typer.Option(None, "--db", help="数据库 URL（默认：工作空间内的 SQLite；或环境变量 GENGBAO_DATABASE_URL）")

Command = Callable[..., Any]
