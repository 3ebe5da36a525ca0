"""``gengbao init`` and ``gengbao audit verify``."""

from __future__ import annotations

from pathlib import Path

import typer

from gengbao.api import init_workspace, migrate_workspace, verify_audit
from gengbao.interfaces.cli.common import DbOption, JsonOption, console, handle_errors, open_ws, print_json

audit_app = typer.Typer(help="审计记录", no_args_is_help=True)


def init(
    ws: Path = typer.Argument(..., help="工作空间文件夹"),
    region: str = typer.Option(..., "--region", help="工作空间覆盖的市或县行政区划代码，如 360200"),
    db: str | None = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """创建工作空间。"""
    with handle_errors(as_json):
        w = init_workspace(ws, region, db)
        node = w.catalog.get(w.region)
        if as_json:
            print_json({"ok": True, "workspace": str(ws), "region": w.region, "name": node.name})
        else:
            console.print(f"已创建工作空间 [bold]{ws}[/]，范围：{node.name}（{w.region}）")


@audit_app.command("verify")
def audit_verify(ws: Path = typer.Argument(...), db: str | None = DbOption, as_json: bool = JsonOption) -> None:
    """校验审计记录链是否完整、未被篡改。"""
    with handle_errors(as_json):
        check = verify_audit(open_ws(ws, db))
        if as_json:
            print_json(check)
        elif check.findings:
            for f in check.findings:
                console.print(f"[red]{f.code}[/] {f.message}")
        else:
            console.print(f"审计记录 {check.records} 条，链路完整。")
        if not check.ok:
            raise typer.Exit(1)


def migrate(
    ws: Path = typer.Argument(..., help="工作空间文件夹"),
    db: str | None = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """把工作空间的数据库结构升级到当前版本（升级前建议备份）。"""
    with handle_errors(as_json):
        _ctx, applied = migrate_workspace(ws, db)
        if as_json:
            print_json({"ok": True, "workspace": str(ws), "applied": applied})
        elif applied:
            console.print(f"已升级 {ws}：应用了 {len(applied)} 个迁移（{'、'.join(applied)}）")
        else:
            console.print(f"{ws} 已是最新结构，无需升级")


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.command("migrate")(migrate)
    app.add_typer(audit_app, name="audit")
