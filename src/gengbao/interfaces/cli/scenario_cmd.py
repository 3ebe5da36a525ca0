"""``gengbao scenario make``: a synthetic workspace with ground truth."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from gengbao.domain.area_units import AreaUnit, convert
from gengbao.domain.errors import UsageError
from gengbao.interfaces.cli.common import JsonOption, console, handle_errors, print_json

scenario_app = typer.Typer(help="模拟数据：生成带真值的合成工作空间（测试、演示、性能评估）", no_args_is_help=True)


def _wan_mu(m2: float) -> str:
    return str(convert(m2, AreaUnit.M2, AreaUnit.WAN_MU, rounded=True))


def _ints(text: str, what: str) -> list[int]:
    try:
        return [int(x) for x in text.split(",") if x.strip()]
    except ValueError as exc:
        raise UsageError(f"{what}“{text}”应为逗号分隔的年份，如 2020,2021,2022,2023。", code="scenario.epochs") from exc


@scenario_app.command("make")
def make(
    region: str = typer.Option(..., "--region", help="市或县行政区划代码，可逗号分隔多个，如 3602 或 360281,360222"),
    parcels: int = typer.Option(..., "--parcels", min=1, help="图斑总数（约数；小数目时图斑更大，全县始终铺满）"),
    epochs: str = typer.Option("2020,2021,2022,2023", "--epochs", help="调查期（年份），首期为基期"),
    seed: int = typer.Option(1, "--seed", help="随机种子：相同参数生成逐字节相同的结果"),
    out: Path = typer.Option(..., "--out", help="新工作空间的文件夹（不能已存在工作空间）"),
    events: Path | None = typer.Option(None, "--events", help="事件配置 YAML（默认使用内置配置）"),
    targets: Path | None = typer.Option(None, "--targets", help="耕地和永久基本农田目标表（CSV/XLSX/通知文本）"),
    gpkg: bool = typer.Option(False, "--gpkg", help="另存 GeoPackage（QGIS 可直接打开）到 exports/"),
    preview: bool = typer.Option(False, "--preview", help="绘制各县各期预览图 PNG 到 exports/preview/"),
    workers: int | None = typer.Option(None, "--workers", min=1, help="并行进程数（默认 min(2, CPU 数)）"),
    as_json: bool = JsonOption,
) -> None:
    """生成模拟工作空间：真实县界与区划代码、合成图斑、多期事件及真值（全部标注为模拟数据）。"""
    from gengbao.scenario import make_scenario

    with handle_errors(as_json):
        years = _ints(epochs, "--epochs ")
        codes = [c.strip() for c in region.split(",") if c.strip()]
        if as_json:
            report = make_scenario(out, codes, parcels, years, seed, events=events, targets=targets, gpkg=gpkg,
                                   preview=preview, workers=workers)
        else:
            with console.status("生成中……") as status:
                report = make_scenario(out, codes, parcels, years, seed, events=events, targets=targets, gpkg=gpkg,
                                       preview=preview, workers=workers, progress=lambda m: status.update(m))
        if as_json:
            print_json({"ok": True, "synthetic": True, "workspace": str(report.workspace), "region": report.region,
                        "counties": report.counties, "epochs": report.epochs,
                        "summary": report.summary["counties"], "files": [str(f) for f in report.files]})
            return
        table = Table(title=f"模拟工作空间 {report.workspace}（synthetic）")
        for col in ("县", "基期图斑", "耕地（万亩）", "目标", "永农（万亩）", "目标", "事件"):
            table.add_column(col, justify="right" if col != "县" else "left")
        for code, c in report.summary["counties"].items():
            cal = c["calibration"]
            base = c["epochs"][str(report.epochs[0])]
            table.add_row(
                f"{c['name']}（{code}）", str(base["parcels"]),
                *(_wan_mu(cal[k]) for k in ("farmland_m2", "farmland_target_m2", "pbf_m2", "pbf_target_m2")),
                str(sum(t["count"] for t in c["events"].values())),
            )
        console.print(table)
        console.print(f"真值：{report.workspace / 'truth'}；共写出 {len(report.files)} 个文件。")


def register(app: typer.Typer) -> None:
    app.add_typer(scenario_app, name="scenario")
