"""``gengbao targets import|show|check``: region farmland targets (耕地保护目标)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from gengbao.domain.findings import Severity
from gengbao.domain.targets import UNIT
from gengbao.interfaces.cli.common import DbOption, JsonOption, console, handle_errors, open_ws, print_json
from gengbao.services.targets import use_cases as service

targets_app = typer.Typer(help="耕地保护目标：导入目标表、核对上下级合计与缺口恢复任务", no_args_is_help=True)

_SEVERITY = {Severity.ERROR: "[red]错误[/]", Severity.WARNING: "[yellow]提示[/]", Severity.INFO: "信息"}


def _fmt(value: object) -> str:
    return "" if value is None else str(value)


@targets_app.command("import")
def import_cmd(
    ws: Path = typer.Argument(..., help="工作空间文件夹"),
    path: Path = typer.Argument(..., help="目标表：.csv（UTF-8）、.xlsx，或含附件2/附件3 的通知文本 .txt"),
    db: str | None = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """导入行政区耕地保护目标表（单位：万亩）；重复导入时更新并列出变化。"""
    with handle_errors(as_json):
        w = open_ws(ws, db)
        result = service.import_targets(w, path)
    if as_json:
        print_json({"ok": True, **result.to_dict()})
        return
    c = result.counts
    tables = "；".join(f"{t.label or t.source} {t.title or ''}（{t.rows} 行）".replace(" （", "（")
                      for t in result.tables)
    console.print(f"已导入 [bold]{result.file}[/]：{len(result.tables)} 张表（{tables}）。")
    console.print(f"共 {len(result.changes)} 个数值：新增 {c['added']}，变更 {c['changed']}，"
                  f"删除 {c['removed']}，未变 {c['unchanged']}。")
    if not result.changed:
        console.print("与已存数据相同，没有变化。")
        return
    table = Table(title=f"导入变化（单位：{UNIT}）")
    for col in ("代码", "行政区", "指标", "原值", "新值", "变化"):
        table.add_column(col, justify="right" if col in ("原值", "新值") else "left")
    for ch in result.changed:
        table.add_row(ch.region, ch.name, ch.key.label, _fmt(ch.old), _fmt(ch.new), ch.kind.label)
    console.print(table)


@targets_app.command("show")
def show_cmd(ws: Path = typer.Argument(..., help="工作空间文件夹"), db: str | None = DbOption,
             as_json: bool = JsonOption) -> None:
    """列出已导入的耕地保护目标。"""
    with handle_errors(as_json):
        w = open_ws(ws, db)
        rows = service.list_targets(w)
    if as_json:
        print_json({"ok": True, "unit": UNIT, "targets": [r.to_dict() for r in rows]})
        return
    if not rows:
        console.print("尚未导入耕地保护目标。")
        return
    table = Table(title=f"耕地保护目标（单位：{UNIT}）")
    for col in ("代码", "行政区", "指标", "数值", "来源"):
        table.add_column(col, justify="right" if col == "数值" else "left")
    for r in rows:
        table.add_row(r.region, r.name, r.key.label, str(r.value), f"{r.source} 第 {r.row} 行")
    console.print(table)


@targets_app.command("check")
def check_cmd(
    ws: Path = typer.Argument(..., help="工作空间文件夹"),
    epoch: int | None = typer.Option(None, "--epoch", help="与该年度调查统计比对（如 2023）"),
    db: str | None = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """核对目标：上级与下级之和、缺口与年度恢复任务；给出 --epoch 时与调查统计比对。发现问题不算失败。"""
    with handle_errors(as_json):
        w = open_ws(ws, db)
        report = service.check_targets(w, epoch)
    if as_json:
        print_json({"ok": True, **report.to_dict()})
        return
    scope = f"，对照 {epoch} 年度调查" if epoch is not None else ""
    console.print(f"核对 {report.regions} 个行政区的 {report.values} 个目标数值{scope}。")
    if not report.findings:
        console.print("[green]未发现问题。[/]")
        return
    table = Table(title=f"耕地保护目标核对结果（单位：{UNIT}）")
    for col in ("级别", "代码", "行政区", "检查项", "应为", "实为", "说明"):
        table.add_column(col, justify="right" if col in ("应为", "实为") else "left",
                         overflow="fold")
    for f in report.findings:
        table.add_row(_SEVERITY[f.severity], f.region, f.name, f.label, _fmt(f.expected), _fmt(f.actual),
                      f.message)
    console.print(table)
    n = report.counts
    console.print(f"发现 {len(report.findings)} 项：错误 {n['error']}，提示 {n['warning']}。"
                  "各项的稳定代码见 --json 输出的 code 字段。")


def register(app: typer.Typer) -> None:
    app.add_typer(targets_app, name="targets")

