"""Shared parts of ``gengbao cases`` and ``gengbao evidence``: the acting user, dates, rendering."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import typer
from rich.markup import escape
from rich.table import Table

from gengbao.domain.errors import UsageError
from gengbao.domain.findings import Finding
from gengbao.interfaces.cli.common import console, handle_errors, open_ws, print_json, render_findings
from gengbao.services.cases.views import CaseView
from gengbao.services.context import Context

AsOption = typer.Option(None, "--as", help="以何身份操作：用户:角色:管辖区划，如 wang:county_filler:360281"
                                           "（角色：county_filler、county_reviewer、city_reviewer、province_reviewer、"
                                           "township、field_chief、viewer、admin；默认本机管理员，或设置 GENGBAO_AS）")
DateOption = typer.Option(None, "--date", help="业务日期 YYYY-MM-DD（默认今天），用于补录以前完成的工作")
VersionOption = typer.Option(None, "--version", help="查看时的案件版本号；案件在此后被他人修改则拒绝（防止覆盖）")


def context(ws: Path, db: str | None, as_: str | None) -> Context:
    """The workspace acting as ``--as`` given after the command, else as the global ``gengbao --as``."""
    return open_ws(ws, db, act_as=as_)


def day(text: str | None, option: str = "--date") -> date:
    if text is None:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{option} 应为日期 YYYY-MM-DD，实际为“{text}”", code="usage.date") from None


def run(as_json: bool, call: Callable[[], Any], render: Callable[[Any], None]) -> None:
    with handle_errors(as_json):
        result = call()
        if as_json:
            print_json(result if isinstance(result, dict | list) else result.to_dict())
        else:
            render(result)


def findings(items: list[Finding] | tuple[Finding, ...]) -> None:
    errors = [f for f in items if str(f.severity) == "error"]
    warnings = [f for f in items if str(f.severity) != "error"]
    render_findings(errors, "问题", "red")
    render_findings(warnings, "提示", "yellow")


def case_table(cases: list[CaseView] | tuple[CaseView, ...], title: str) -> None:
    t = Table(title=title)
    for col in ("案件编号", "状态", "来源", "坐落", "认定", "面积 m²", "占耕地 m²", "版本"):
        t.add_column(col)
    for c in cases:
        t.add_row(c.number, c.state.label, c.source.label, c.region,
                  c.category.label if c.category else (c.prejudged or "—"), str(c.areas["area_m2"]),
                  str(c.areas["farmland_m2"]), str(c.version))
    console.print(t)


def case_detail(c: CaseView) -> None:
    case_table([c], f"案件 {c.number}")
    if c.parent or c.children:
        console.print(f"上级案件：{c.parent or '—'}；子图斑：{'、'.join(c.children) or '—'}")
    if c.judgement:
        j = c.judgement
        console.print(f"认定：{j['category_label']}·{j['subtype_label']}；项目 {escape(j['project'] or '—')}；"
                      f"主体 {escape(j['builder'] or '—')}；建设时间 {j['build_date'] or '—'}")
    if c.note:
        console.print(f"退回/异议理由：{escape(c.note)}")
    if c.plan_way:
        console.print(f"整改：{c.plan_way.label}，期限 {c.deadline}；进度 {c.progress.to_dict() if c.progress else '—'}")
    console.print(f"线索 {len(c.clues)} 条；照片 {len(c.evidence)} 张")
    findings(c.findings)
