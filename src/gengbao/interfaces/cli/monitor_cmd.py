"""``gengbao monitor run``: change patches between two epochs (or delivered patches), classified and
prejudged, with region summaries. Registers ``gengbao approvals`` as well."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import typer
from rich.table import Table

from gengbao.api import MonitorReport, read_delivered_patches, run_monitoring
from gengbao.domain.area_units import AreaUnit, convert, round_area
from gengbao.domain.change import ChangeType
from gengbao.domain.errors import UsageError
from gengbao.domain.legality import Legality
from gengbao.domain.monitoring import KEY_RATIO_DENOMINATOR
from gengbao.interfaces.cli import approvals_cmd
from gengbao.interfaces.cli.common import DbOption, JsonOption, console, handle_errors, open_ws, print_json

monitor_app = typer.Typer(help="变化监测：两期比对或下发图斑，地类变化分类与合法性预判", no_args_is_help=True)


def _mu(m2: object) -> str:
    return str(round_area(convert(str(m2), AreaUnit.M2, AreaUnit.MU), AreaUnit.MU))


def _render(report: MonitorReport, by: str) -> None:
    title = (f"{report.from_epoch}→{report.to_epoch} 年变化图斑" if report.mode == "diff"
             else f"下发图斑（前地类取 {report.from_epoch} 年）")
    t = Table(title=f"{title}：按{'县' if by == 'county' else '乡镇'}汇总（面积单位：亩；合成数据时仅供演示）")
    for col in ("代码", "名称", "图斑", "新增建设占耕", "违法占耕", "违法占永农", "违法占耕比例", "非粮化", "永农种非粮",
                "撂荒", "临时用地到期未复垦", "流入耕地", "占生态红线"):
        t.add_column(col, justify="left" if col == "名称" else "right")
    for r in (r for r in report.regions if r.level == by):
        ratio = "—" if r.key_ratio is None else f"{r.key_ratio * 100:.2f}%"
        t.add_row(r.region, r.name, str(r.patches), _mu(r.new_construction_farmland_m2),
                  _mu(r.illegal_construction_farmland_m2), _mu(r.illegal_pbf_m2), ratio, _mu(r.non_grain_outflow_m2),
                  _mu(r.non_grain_crop_pbf_m2), _mu(r.abandonment_m2), _mu(r.temporary_expired_m2), _mu(r.inflow_m2),
                  _mu(r.redline_m2))
    console.print(t)
    counts = report.patches.groupby(["change_type", "legality"]).size() if len(report.patches) else {}
    lines = [f"{ChangeType(c).label}·{Legality(lg).label} {n}" for (c, lg), n in dict(counts).items()]
    console.print("图斑分类：" + ("；".join(lines) if lines else "无变化图斑"))
    console.print(f"违法占耕比例的分母：{KEY_RATIO_DENOMINATOR}")
    console.print(f"碎屑（小于最小面积，已剔除）：{report.slivers} 个，共 {report.sliver_area_m2:.2f} m²")
    spent = "，".join(f"{k} {v:.2f}s" for k, v in report.timings.items())
    console.print(f"运行 {report.run_id}：{len(report.patches)} 个图斑部分；耗时 {spent}")
    for w in report.warnings:
        console.print(f"[yellow]注意[/] {w}")
    for o in report.outputs[1:]:
        console.print(f"已写出 {o}")


@monitor_app.command("run")
def run_cmd(
    ws: Path = typer.Argument(..., help="工作空间"),
    from_epoch: int | None = typer.Option(None, "--from", help="前一期（年份）"),
    to_epoch: int | None = typer.Option(None, "--to", help="后一期（年份）"),
    patches: Path | None = typer.Option(None, "--patches", help="下发图斑文件（代替两期比对）"),
    layer: str | None = typer.Option(None, "--layer", help="下发图斑文件中的图层名"),
    out: Path | None = typer.Option(None, "--out", help="输出目录：patches.gpkg 与 regions.csv"),
    cluster: str | None = typer.Option(None, "--cluster", help="本机并行：local:N（N 个工作进程）"),
    scheduler: str | None = typer.Option(None, "--scheduler", help="已有 Dask 调度器地址，如 tcp://host:8786"),
    min_area: float = typer.Option(1.0, "--min-area", help="碎屑面积阈值（m²），小于它的变化视为边界重绘碎屑"),
    by: str = typer.Option("county", "--by", help="表格汇总层级：county | township"),
    db: str | None = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """两期比对（--from/--to）或处理下发图斑（--patches），输出变化图斑与区域汇总。"""
    with handle_errors(as_json):
        if by not in ("county", "township"):
            raise UsageError(f"--by 须为 county 或 township，而不是“{by}”", code="usage.choice", value=by)
        w = open_ws(ws, db)
        delivered = read_delivered_patches(patches, layer, w) if patches is not None else None
        if cluster is not None and scheduler is not None:
            raise UsageError("--cluster 与 --scheduler 只能用一个", code="usage.exclusive")
        run = partial(run_monitoring, w, from_epoch, to_epoch, delivered=delivered,
                      delivered_source=patches.name if patches else "", out_dir=out, cluster=cluster,
                      scheduler=scheduler, min_area_m2=min_area)
        if as_json:
            print_json(run().to_dict())
            return
        with console.status("监测中……") as status:
            report = run(progress=lambda m: status.update(m))
        _render(report, by)


def register(app: typer.Typer) -> None:
    app.add_typer(monitor_app, name="monitor")
    approvals_cmd.register(app)
