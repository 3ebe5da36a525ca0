"""``gengbao users add|list|disable``: platform users with a role and a jurisdiction."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from gengbao.domain.access import Role
from gengbao.interfaces.cli.common import DbOption, JsonOption, console, handle_errors, print_json
from gengbao.services import users as service
from gengbao.services.workspace import open_workspace

users_app = typer.Typer(help="平台用户：添加、列出、停用（角色与管辖区域）", no_args_is_help=True)
_ROLES = "、".join(f"{r.value}（{r.label}）" for r in Role)


@users_app.command("add")
def add_cmd(
    ws: Path = typer.Argument(..., help="工作空间文件夹"),
    name: str = typer.Argument(..., help="用户名（字母、数字、下划线、点、短横线）"),
    role: str = typer.Option(..., "--role", help=f"角色：{_ROLES}"),
    jurisdiction: str = typer.Option("", "--jurisdiction", "-j", help="管辖区域的行政区划代码（空 = 全国，仅管理员）"),
    display_name: str = typer.Option("", "--display-name", help="显示名称（中文姓名）"),
    password: str = typer.Option(..., "--password", prompt="密码", hide_input=True, confirmation_prompt=True,
                                 help="密码（至少 8 位；省略时交互输入）"),
    db: str | None = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """添加用户。"""
    with handle_errors(as_json):
        user = service.add_user(open_workspace(ws, db), name, role, jurisdiction, password, display_name)
    if as_json:
        print_json({"ok": True, "user": user.to_dict()})
        return
    console.print(f"已添加用户 [bold]{user.name}[/]（{user.display_name}，{user.role.label}，"
                  f"管辖区域 {user.jurisdiction or '全国'}）。")


@users_app.command("list")
def list_cmd(ws: Path = typer.Argument(..., help="工作空间文件夹"), db: str | None = DbOption,
             as_json: bool = JsonOption) -> None:
    """列出用户。"""
    with handle_errors(as_json):
        users = service.list_users(open_workspace(ws, db))
    if as_json:
        print_json({"ok": True, "users": [u.to_dict() for u in users]})
        return
    table = Table(title=f"用户（{len(users)} 个）")
    for col in ("用户名", "显示名称", "角色", "管辖区域", "状态"):
        table.add_column(col)
    for u in users:
        table.add_row(u.name, u.display_name, u.role.label, u.jurisdiction or "全国", "已停用" if u.disabled else "正常")
    console.print(table)


@users_app.command("disable")
def disable_cmd(ws: Path = typer.Argument(..., help="工作空间文件夹"), name: str = typer.Argument(..., help="用户名"),
                db: str | None = DbOption, as_json: bool = JsonOption) -> None:
    """停用用户并注销其全部会话与令牌。"""
    with handle_errors(as_json):
        user = service.disable_user(open_workspace(ws, db), name)
    if as_json:
        print_json({"ok": True, "user": user.to_dict()})
        return
    console.print(f"已停用用户 [bold]{user.name}[/]，其会话与令牌均已失效。")


def register(app: typer.Typer) -> None:
    app.add_typer(users_app, name="users")
