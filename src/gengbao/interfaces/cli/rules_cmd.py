"""``gengbao rules validate|evaluate``: accountability rule profiles and their outcomes."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from gengbao.domain.errors import RuleError
from gengbao.interfaces.cli.common import (
    DbOption,
    JsonOption,
    console,
    handle_errors,
    open_ws,
    print_json,
    render_findings,
)
from gengbao.services import rules as service

rules_app = typer.Typer(help="警示约谈问责规则：校验规则方案、按年度评价各县", no_args_is_help=True)
ProfileOpt = typer.Option(None, "--profile", help="规则方案 YAML（默认：内置景德镇方案；也可写内置文件名）")


@rules_app.command("validate")
def validate_cmd(profile: str | None = typer.Argument(None, help="规则方案 YAML 文件或内置文件名（默认：内置景德镇方案）"),
                 as_json: bool = JsonOption) -> None:
    """校验规则方案：列出每一处拼写错误、缺失的阈值和类型错误。"""
    with handle_errors(as_json):
        report = service.validate_profile_file(profile)
        if not report.ok and not as_json:
            render_findings(list(report.findings), "错误", "red")
            raise RuleError(f"规则方案 {report.origin} 有 {len(report.findings)} 处问题", code="rules.profile.invalid")
    if as_json:
        print_json(report.to_dict())
        if not report.ok:
            raise typer.Exit(8)
        return
    p = report.profile
    assert p is not None
    console.print(f"规则方案 {report.origin} 有效：{p.name}（{p.id} 版本 {p.version}，条款 {len(p.clauses)} 条）")


@rules_app.command("evaluate")
def evaluate_cmd(
    ws: Path = typer.Argument(..., help="工作空间文件夹"),
    year: int = typer.Option(..., "--year", help="评价年度（事实为上一年度调查时点到本年度时点的变化）"),
    facts: Path | None = typer.Option(None, "--facts", help="事实文件 YAML（各县各年度违法占地、比例、约谈决定、案件）"),
    profile: str | None = ProfileOpt,
    xlsx: Path | None = typer.Option(None, "--xlsx", help="同时写出结果表 .xlsx（含条款内容）"),
    db: str | None = DbOption, as_json: bool = JsonOption,
) -> None:
    """按规则方案评价每个县该年度的警示、约谈、问责、一票否决和指标冻结，并说明依据。"""
    with handle_errors(as_json):
        w = open_ws(ws, db)
        report = service.evaluate_rules(w, year, facts, profile)
        written = service.export_outcomes(report, xlsx) if xlsx is not None else None
    if as_json:
        print_json({**report.to_dict(), "xlsx": None if written is None else str(written)})
        return
    table = Table(title=f"{year} 年规则评价（{report.profile.name}）")
    for col in ("县", "处理结果", "条款", "理由", "案件", "事实来源"):
        table.add_column(col)
    for r in report.results:
        for o in r.in_year(year):
            table.add_row(o.county, o.consequence.label, o.clause.title, o.reason, "、".join(o.cases), o.source.label)
    console.print(table)
    referred = [c for r in report.results for c in r.cases if c.year == year and c.referral]
    for c in referred:
        console.print(f"案件 {c.case_id}（{c.county}）涉嫌犯罪，应移送：{c.referral_reason}")
    if written is not None:
        console.print(f"已写出 {written}")


def register(app: typer.Typer) -> None:
    app.add_typer(rules_app, name="rules")
