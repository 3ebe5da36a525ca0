"""``gengbao balance check``: a county's yearly 进出平衡 plan against the rules and the year's actual flows."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import typer

from gengbao.domain.area_units import to_decimal
from gengbao.domain.errors import ValidationFailed
from gengbao.domain.findings import Severity
from gengbao.interfaces.cli.common import JsonOption, console, handle_errors, print_json, render_findings
from gengbao.services import balances as service

balance_app = typer.Typer(help="耕地进出平衡：核对年度方案（以进定出、先进后出、进大于出）并与实际比对", no_args_is_help=True)


@balance_app.command("check")
def check_cmd(
    plan: Path = typer.Argument(..., help="年度进出平衡方案：.xlsx、.csv 或 .gpkg（面积单位平方米，表头注明“亩”则按亩）"),
    county: str = typer.Option(..., "--county", help="县级行政区划代码"),
    year: int = typer.Option(..., "--year", help="方案年度"),
    layer: str | None = typer.Option(None, "--layer", help="工作表或图层名（默认第一个）"),
    actual_out: str | None = typer.Option(None, "--actual-out", help="当年实际转出面积（平方米，来自监测）"),
    actual_in: str | None = typer.Option(None, "--actual-in", help="当年实际转入面积（平方米）"),
    actual_pbf_out: str = typer.Option("0", "--actual-pbf-out", help="当年永久基本农田实际转出面积（平方米）"),
    xlsx: Path | None = typer.Option(None, "--xlsx", help="写出进出平衡表 .xlsx"),
    as_json: bool = JsonOption,
) -> None:
    """核对进出平衡方案；有错误时退出码为 3。"""
    with handle_errors(as_json):
        report = service.check_plan_file(
            plan, county, year, layer, None if actual_out is None else to_decimal(actual_out),
            None if actual_in is None else to_decimal(actual_in), Decimal(to_decimal(actual_pbf_out)))
        written = service.export_report(report, xlsx) if xlsx is not None else None
        if not report.ok and not as_json:
            items = list(report.check.findings) + list(report.comparison.findings if report.comparison else ())
            render_findings([f for f in items if f.severity is Severity.ERROR], "错误", "red")
            raise ValidationFailed(f"{report.file}：进出平衡检查未通过", code="balance.rejected", report=report.to_dict())
    if as_json:
        print_json({**report.to_dict(), "xlsx": None if written is None else str(written)})
        if not report.ok:
            raise typer.Exit(3)
        return
    d = report.check.to_dict()
    console.print(f"{county} {year} 年进出平衡方案 {report.file}：转出 {d['outflow_m2']} 平方米（{d['outflow_mu']} 亩），"
                  f"转入 {d['inflow_m2']} 平方米（{d['inflow_mu']} 亩），检查通过。")
    render_findings([f for f in report.check.findings if f.severity is not Severity.ERROR], "提示", "yellow")
    if written is not None:
        console.print(f"已写出 {written}")


def register(app: typer.Typer) -> None:
    app.add_typer(balance_app, name="balance")
