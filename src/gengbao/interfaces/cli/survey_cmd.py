"""``gengbao survey import|export|stats``."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from gengbao.api import ImportReport, import_survey, survey_statistics
from gengbao.domain.area_units import AreaUnit, convert, round_area
from gengbao.domain.survey import LayerKind
from gengbao.interfaces.cli.common import (
    DbOption,
    JsonOption,
    console,
    handle_errors,
    open_ws,
    print_json,
    render_findings,
)
from gengbao.services.survey.export import export_layer
from gengbao.services.survey.stats import total

survey_app = typer.Typer(help="调查图层：导入、导出、统计", no_args_is_help=True)


def _render_report(report: ImportReport) -> None:
    for title, items, style in (("错误", report.errors, "red"), ("警告", report.warnings, "yellow")):
        render_findings(items, title, style, sum((report.counts or {}).get(c, 0) for c in {f.code for f in items}))


@survey_app.command("import")
def import_cmd(
    ws: Path = typer.Argument(..., help="工作空间"),
    path: Path = typer.Argument(..., help="图层文件：.gpkg / .shp / .gdb / .geojson"),
    epoch: int = typer.Option(..., "--epoch", help="调查期（年份）"),
    layer: str | None = typer.Option(None, "--layer", help="GeoPackage / GDB 中的图层名"),
    kind: LayerKind = typer.Option(LayerKind.PARCELS, "--kind", help="parcels 地类图斑 或 pbf 永久基本农田"),
    crs: str | None = typer.Option(None, "--crs", help="图层无坐标系时指定，如 4490 或 4548"),
    repair: bool = typer.Option(False, "--repair", help="自动修复无效几何（每个修复记一条警告）"),
    replace: bool = typer.Option(False, "--replace", help="替换已导入的同期图层"),
    db: str | None = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """导入调查图层（全部通过检查才导入）。"""
    with handle_errors(as_json):
        w = open_ws(ws, db)
        if as_json:
            report = import_survey(w, path, epoch, kind, layer=layer, crs=crs, repair=repair, replace=replace)
        else:
            with console.status("导入中……") as status:
                report = import_survey(w, path, epoch, kind, layer=layer, crs=crs, repair=repair,
                                            replace=replace, progress=lambda m: status.update(m))
    if as_json:
        print_json(report.to_dict())
    else:
        _render_report(report)
        console.print(f"[green]已导入[/] {report.imported} 个要素（{epoch} 期 {kind.label}），"
                      f"涉及县级行政区：{'、'.join(report.counties or [])}")


@survey_app.command("export")
def export_cmd(
    ws: Path = typer.Argument(...),
    epoch: int = typer.Option(..., "--epoch"),
    out: Path = typer.Option(..., "--out", help="输出文件 .gpkg / .shp / .geojson"),
    kind: LayerKind = typer.Option(LayerKind.PARCELS, "--kind"),
    db: str | None = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """导出调查图层（供 QGIS / ArcGIS 打开）。"""
    with handle_errors(as_json):
        n = export_layer(open_ws(ws, db), epoch, out, kind)
        if as_json:
            print_json({"ok": True, "exported": n, "out": str(out)})
        else:
            console.print(f"已导出 {n} 个要素到 {out}")


@survey_app.command("stats")
def stats_cmd(
    ws: Path = typer.Argument(...),
    epoch: int = typer.Option(..., "--epoch"),
    by: str = typer.Option("county", "--by", help="county | township | village"),
    db: str | None = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """按行政区统计耕地面积（地类 0101–0103 的图斑地类面积之和）与永久基本农田面积。"""
    with handle_errors(as_json):
        rows = survey_statistics(open_ws(ws, db), epoch, by)
        if as_json:
            print_json({"epoch": epoch, "by": by, "rows": [r.to_dict() for r in rows]})
            return
        t = Table(title=f"{epoch} 期耕地与永久基本农田面积（合成数据时仅供演示）")
        for col in ("代码", "名称", "耕地 m²", "耕地 亩", "耕地 万亩", "永农 m²", "永农 万亩"):
            t.add_column(col, justify="right" if col not in ("名称",) else "left")
        farm_total, pbf_total = total(rows)
        for code, name, f, p in [*((r.region, r.name, r.farmland_m2, r.pbf_m2) for r in rows),
                                 ("", "合计", farm_total, pbf_total)]:
            t.add_row(code, name, f"{f:,.2f}", str(round_area(convert(f, AreaUnit.M2, AreaUnit.MU), AreaUnit.MU)),
                      str(round_area(convert(f, AreaUnit.M2, AreaUnit.WAN_MU), AreaUnit.WAN_MU)), f"{p:,.2f}",
                      str(round_area(convert(p, AreaUnit.M2, AreaUnit.WAN_MU), AreaUnit.WAN_MU)))
        console.print(t)


def register(app: typer.Typer) -> None:
    app.add_typer(survey_app, name="survey")
