"""``gengbao tasks …`` (task lists: import, list, units, report, status, export) and ``gengbao assess``."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer
from rich.table import Table

from gengbao.domain.errors import UsageError
from gengbao.interfaces.cli import tasks_view
from gengbao.interfaces.cli.common import DbOption, JsonOption, console, handle_errors, open_ws, print_json
from gengbao.services.assessment import assess as assess_service
from gengbao.services.tasks import export as tasks_export
from gengbao.services.tasks import importing as tasks
from gengbao.services.tasks import listing as tasks_listing
from gengbao.services.tasks import organisations as tasks_units
from gengbao.services.tasks import progress as tasks_progress

tasks_app = typer.Typer(help="责任任务清单：导入、单位、进度、状态、导出", no_args_is_help=True)
WsArg = typer.Argument(..., help="工作空间文件夹")
DocOption = typer.Option(None, "--document", "-d", help="任务清单（导入时的 key，默认为文件名）")


def _date(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{option} 应为日期 YYYY-MM-DD，实际为“{text}”", code="usage.date") from None


@tasks_app.command("import")
def import_cmd(
    ws: Path = WsArg,
    path: Path = typer.Argument(
        ..., help="任务清单文件：.txt（分工表、逐行单元格、段落、分节编号）、.xlsx 或 .docx"
    ),
    key: str | None = typer.Option(
        None, "--key", help="清单标识（默认：文件名去掉扩展名）；再次导入同一标识即更新"
    ),
    region: str | None = typer.Option(
        None, "--region", help="发文区划代码（默认：从标题识别，否则为工作空间范围）"
    ),
    db: str | None = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """导入任务清单；格式自动识别，重复导入只更新并说明变化。"""
    with handle_errors(as_json):
        result = tasks.import_tasks(open_ws(ws, db), path, key=key, region=region)
        if as_json:
            print_json(result.to_dict())
        else:
            tasks_view.show_import(result)


@tasks_app.command("list")
def list_cmd(
    ws: Path = WsArg, document: str | None = DocOption, db: str | None = DbOption, as_json: bool = JsonOption
) -> None:
    """列出已导入的举措。"""
    with handle_errors(as_json):
        data = [d.to_dict() for d in tasks_listing.list_documents(open_ws(ws, db), document)]
        if as_json:
            print_json({"ok": True, "documents": data})
        else:
            tasks_view.show_measures(data)


@tasks_app.command("units")
def units_cmd(ws: Path = WsArg, db: str | None = DbOption, as_json: bool = JsonOption) -> None:
    """列出单位名录（本工作空间范围内的部门与别名）。"""
    with handle_errors(as_json):
        units = tasks_units.list_units(open_ws(ws, db))
        if as_json:
            print_json({"ok": True, "units": [u.to_dict() for u in units]})
            return
        table = Table("区划", "单位", "类型", "别名")
        for u in units:
            table.add_row(u.region, u.name, u.kind.value, "、".join(u.aliases))
        console.print(table)


@tasks_app.command("unit-add")
def unit_add_cmd(
    ws: Path = WsArg,
    name: str = typer.Argument(..., help="单位规范名称"),
    alias: list[str] = typer.Option([], "--alias", help="别名（可重复）"),
    region: str | None = typer.Option(None, "--region", help="单位所属区划代码（默认：工作空间范围）"),
    kind: str = typer.Option("department", "--kind", help="department | other | collective"),
    db: str | None = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """向单位名录添加单位或别名。"""
    with handle_errors(as_json):
        unit = tasks_units.add_unit(
            open_ws(ws, db), name, region=region, kind=kind, aliases=tuple(alias)
        )
        if as_json:
            print_json({"ok": True, "unit": unit.to_dict()})
        else:
            console.print(f"已登记单位 {unit.name}（{unit.region}），别名：{'、'.join(unit.aliases) or '无'}")


@tasks_app.command("report")
def report_cmd(
    ws: Path = WsArg,
    measure: int = typer.Option(..., "--measure", "-m", help="举措编号"),
    unit: str = typer.Option(..., "--unit", "-u", help="报送单位（名录中的任一名称）"),
    document: str | None = DocOption,
    period: str | None = typer.Option(
        None, "--period", help="报告期：2024-03、2024-Q1、2024-H1、2024（默认按报送周期取报告日期所在期）"
    ),
    on: str | None = typer.Option(None, "--date", help="报告日期 YYYY-MM-DD（默认今天）"),
    percent: int | None = typer.Option(None, "--percent", help="完成百分比 0–100（100 即完成）"),
    milestone: str = typer.Option("", "--milestone", help="节点，如“方案已印发”"),
    done: bool = typer.Option(False, "--done", help="标记已完成"),
    text: str = typer.Option("", "--text", help="进展说明"),
    attach: list[Path] = typer.Option([], "--attach", help="附件（可重复），存入证据库"),
    db: str | None = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """记录一个单位对一条举措的进度报告。"""
    with handle_errors(as_json):
        r = tasks_progress.record_report(
            open_ws(ws, db),
            number=measure,
            unit=unit,
            document=document,
            period=period,
            reported_on=_date(on, "--date"),
            percent=percent,
            milestone=milestone,
            done=done,
            text=text,
            attachments=attach,
        )
        data = {
            "ok": True,
            "id": r.id,
            "document": r.document,
            "number": r.number,
            "unit": r.unit,
            "period": r.period.label,
            "reported_on": r.reported_on.isoformat(),
            "percent": r.percent,
            "milestone": r.milestone,
            "done": r.done,
            "attachments": r.attachments,
        }
        if as_json:
            print_json(data)
        else:
            console.print(
                f"已记录：{r.document} 第 {r.number} 条，{r.unit}，{r.period.label}"
                + ("，已完成" if r.done else "")
            )


@tasks_app.command("status")
def status_cmd(
    ws: Path = WsArg,
    unit: str | None = typer.Option(None, "--unit", "-u", help="只看一个单位"),
    as_of: str | None = typer.Option(None, "--as-of", help="截至日期 YYYY-MM-DD（默认今天）"),
    cadence: str | None = typer.Option(
        None,
        "--cadence",
        help="报送周期 monthly | quarterly | half_yearly | yearly（默认：工作空间设置，每月）",
    ),
    document: str | None = DocOption,
    db: str | None = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """各举措、各责任单位的进度状态：未开始 / 推进中 / 已完成 / 逾期 / 上期未报送。"""
    with handle_errors(as_json):
        res = tasks_progress.task_status(
            open_ws(ws, db),
            unit=unit,
            as_of=_date(as_of, "--as-of"),
            cadence=cadence,
            document=document,
        )
        if as_json:
            print_json(
                {
                    "ok": True,
                    "as_of": res.as_of.isoformat(),
                    "cadence": res.cadence.value,
                    "counts": res.counts(),
                    "rows": [tasks_progress.status_json(r) for r in res.rows],
                }
            )
        else:
            tasks_view.show_status(res)


@tasks_app.command("cadence")
def cadence_cmd(
    ws: Path = WsArg,
    value: str | None = typer.Argument(None, help="新的报送周期"),
    db: str | None = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """查看或设置进度报送周期（默认每月）。"""
    with handle_errors(as_json):
        w = open_ws(ws, db)
        c = tasks_progress.set_cadence(w, value) if value is not None else tasks_progress.current_cadence(w)
        if as_json:
            print_json({"ok": True, "cadence": c.value})
        else:
            console.print(f"报送周期：{c.label}（{c.value}）")


@tasks_app.command("export")
def export_cmd(
    ws: Path = WsArg,
    out: Path = typer.Option(..., "--out", "-o", help="输出 .xlsx 文件"),
    status: bool = typer.Option(False, "--status", help="导出进度状态表（否则导出责任清单）"),
    as_of: str | None = typer.Option(None, "--as-of", help="状态截至日期 YYYY-MM-DD"),
    document: str | None = DocOption,
    db: str | None = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """按原文件的列顺序导出责任清单或进度状态表（.xlsx）。"""
    with handle_errors(as_json):
        if out.suffix.lower() != ".xlsx":
            raise UsageError(f"--out 应为 .xlsx 文件，实际为“{out}”", code="usage.out_suffix")
        r = tasks_export.export_tasks(
            open_ws(ws, db), out, status=status, as_of=_date(as_of, "--as-of"), document=document
        )
        if as_json:
            print_json({"ok": True, "out": str(r.path), "sheets": r.sheets, "rows": r.rows})
        else:
            console.print(f"已导出 {r.rows} 行到 {r.path}")


def assess_cmd(
    ws: Path = WsArg,
    year: int = typer.Option(..., "--year", help="考核年度"),
    profile: Path | None = typer.Option(None, "--profile", help="考核方案 YAML（默认：内置方案）"),
    level: str | None = typer.Option(
        None, "--level", help="考核层级 county | township | city（默认：方案中的 level）"
    ),
    db: str | None = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """按考核方案计算各县（区）年度得分，逐项说明依据。"""
    with handle_errors(as_json):
        a = assess_service.assess(open_ws(ws, db), year, profile=profile, level=level)
        if as_json:
            print_json(tasks_view.assessment_json(a))
        else:
            tasks_view.show_assessment(a)


def register(app: typer.Typer) -> None:
    app.add_typer(tasks_app, name="tasks")
    app.command("assess")(assess_cmd)
