"""``gengbao imagery import|list|change|abandonment``: satellite scenes, change candidates between two dates,
abandonment candidates in a growing season."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from gengbao.domain.area_units import AreaUnit, convert, round_area
from gengbao.interfaces.cli.common import DbOption, JsonOption, console, handle_errors, open_ws, print_json
from gengbao.sensing.bands import Band
from gengbao.services.imagery.abandonment import detect_abandonment
from gengbao.services.imagery.change import DEFAULT_MMU_M2, detect_change
from gengbao.services.imagery.scenes import import_scene, scenes

imagery_app = typer.Typer(help="卫星影像：导入、变化发现（卫片）、撂荒发现", no_args_is_help=True)


def _mu(m2: float) -> str:
    return str(round_area(convert(str(round(m2, 2)), AreaUnit.M2, AreaUnit.MU), AreaUnit.MU))


@imagery_app.command("import")
def import_cmd(
    ws: Path = typer.Argument(..., help="工作空间"),
    files: list[Path] = typer.Argument(..., help="多波段 GeoTIFF/COG（或 JPEG 2000）；也可每个波段一个文件（文件名含 B02 等）"),
    day: str = typer.Option(..., "--date", help="成像日期 YYYY-MM-DD"),
    sensor: str = typer.Option("sentinel2", "--sensor", help="传感器（决定缺省波段顺序与反射率定标）"),
    mask: Path | None = typer.Option(None, "--mask", help="云与阴影掩膜文件（非零 = 云或阴影）；缺省用光谱检测"),
    replace: bool = typer.Option(False, "--replace", help="替换同一日期已导入的影像"),
    db: str | None = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """导入一景影像：重投影到本县格网（10 米），存为分块压缩的 COG。"""
    with handle_errors(as_json):
        report = import_scene(open_ws(ws, db), files, day, sensor=sensor, mask=mask, replace=replace)
    if as_json:
        print_json(report.to_dict())
        return
    r = report.record
    console.print(f"[green]已导入[/] {r.date} 影像：波段 {'、'.join(Band(b).label for b in r.bands)}，"
                  f"{r.grid.width}×{r.grid.height} 像元（EPSG:{r.grid.epsg}，{r.grid.pixel:g} 米），"
                  f"云掩膜：{'文件' if r.mask else '光谱检测'}")


@imagery_app.command("list")
def list_cmd(ws: Path = typer.Argument(..., help="工作空间"), db: str | None = DbOption,
             as_json: bool = JsonOption) -> None:
    """列出已导入的影像。"""
    with handle_errors(as_json):
        rows = [r.to_dict() for r in scenes(open_ws(ws, db))]
    if as_json:
        print_json({"scenes": rows})
        return
    t = Table(title=f"影像 {len(rows)} 景")
    for col in ("日期", "传感器", "波段", "像元", "云掩膜"):
        t.add_column(col)
    for r in rows:
        g = r["grid"]
        t.add_row(r["date"], r["sensor"], ",".join(r["bands"]), f"{g['width']}×{g['height']}", r["mask"])
    console.print(t)


@imagery_app.command("change")
def change_cmd(
    ws: Path = typer.Argument(..., help="工作空间"),
    before: str = typer.Option(..., "--before", help="前时相影像日期（须为已导入影像的日期）"),
    after: str = typer.Option(..., "--after", help="后时相影像日期"),
    out: Path | None = typer.Option(None, "--out", help="输出目录（缺省：工作空间 exports/imagery）"),
    mmu: float = typer.Option(DEFAULT_MMU_M2, "--mmu", help="最小上图面积（平方米）"),
    preview: bool = typer.Option(False, "--preview", help="同时输出 PNG 快视图（真彩色、NDVI 前后、候选图斑轮廓）"),
    db: str | None = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """两时相变化发现：植被变为建设/裸土、耕地变为水面；云遮挡处标为“无法判定”。输出 GeoPackage + GeoParquet。"""
    with handle_errors(as_json):
        report = detect_change(open_ws(ws, db), before, after, out=out, mmu_m2=mmu, preview=preview)
    if as_json:
        print_json(report.to_dict())
        return
    c = report.counts
    console.print(f"{report.before} → {report.after}（对照 {report.epoch} 年地类图斑）：变化候选 {c['candidates']} 个，"
                  f"无法判定 {c['inconclusive']} 个（其中云或阴影遮挡 {c['obscured']} 个），不涉及耕地而略去 {c['off_farmland']} 个；"
                  f"涉及耕地 {_mu(report.farmland_m2)} 亩")
    for f in report.files:
        console.print(f"  {f}")


@imagery_app.command("abandonment")
def abandonment_cmd(
    ws: Path = typer.Argument(..., help="工作空间"),
    year: int = typer.Option(..., "--year", help="生长季所在年份（用该年 4 月至 10 月的影像）"),
    out: Path | None = typer.Option(None, "--out", help="输出目录（缺省：工作空间 exports/imagery）"),
    db: str | None = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """撂荒发现：逐块耕地统计生长季 NDVI，无返青者为疑似撂荒；连续两年且在永久基本农田上者单独标出。"""
    with handle_errors(as_json):
        report = detect_abandonment(open_ws(ws, db), year, out=out)
    if as_json:
        print_json(report.to_dict())
        return
    c = report.counts
    console.print(f"{report.year} 年生长季 {len(report.scenes)} 景影像（对照 {report.epoch} 年地类图斑）：疑似撂荒 "
                  f"{c['candidate']} 块 {_mu(report.candidate_m2)} 亩，正常耕种 {c['cultivated']} 块，观测不足 "
                  f"{c['undetermined']} 块；连续两年撂荒且在永久基本农田上 {c['two_years_on_pbf']} 块")
    for f in report.files:
        console.print(f"  {f}")


def register(app: typer.Typer) -> None:
    app.add_typer(imagery_app, name="imagery")
