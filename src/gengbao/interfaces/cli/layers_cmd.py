"""``gengbao layers import|list``: reference polygon layers used by monitoring — 生态保护红线 (redline)
and 村庄建设边界 (village_boundary)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from gengbao.api import import_reference_layer
from gengbao.interfaces.cli.common import (
    DbOption,
    JsonOption,
    console,
    handle_errors,
    open_ws,
    print_json,
    render_findings,
)
from gengbao.services.survey.reference import ReferenceKind, reference_layers

layers_app = typer.Typer(help="参考图层（生态保护红线、村庄建设边界）：导入与查看", no_args_is_help=True)


@layers_app.command("import")
def import_cmd(
    ws: Path = typer.Argument(..., help="工作空间"),
    path: Path = typer.Argument(..., help="面图层：.shp / .gpkg / .gdb / .geojson"),
    kind: ReferenceKind = typer.Option(..., "--kind", help="redline 生态保护红线 | village_boundary 村庄建设边界"),
    epoch: int | None = typer.Option(None, "--epoch", help="起用年份（缺省：工作空间最早一期地类图斑的年份）"),
    layer: str | None = typer.Option(None, "--layer", help="GeoPackage / GDB 中的图层名"),
    crs: str | None = typer.Option(None, "--crs", help="图层无坐标系或坐标系有误时指定，如 4490 或 4548"),
    replace: bool = typer.Option(False, "--replace", help="替换同一年份已有的同类图层"),
    db: str | None = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """导入参考图层（全部通过检查才导入），按县分区存入图层库。"""
    with handle_errors(as_json):
        report = import_reference_layer(open_ws(ws, db), path, kind, epoch, layer=layer, crs=crs,
                                       replace=replace)
    if as_json:
        print_json(report.to_dict())
        return
    render_findings(report.warnings, "注意", "yellow")
    console.print(f"[green]已导入[/] {kind.label}（{report.epoch} 年起用）{report.imported} 个要素，"
                  f"涉及 {'、'.join(report.counties or [])}")


@layers_app.command("list")
def list_cmd(ws: Path = typer.Argument(..., help="工作空间"), db: str | None = DbOption,
             as_json: bool = JsonOption) -> None:
    """列出工作空间中的参考图层。"""
    with handle_errors(as_json):
        rows = reference_layers(open_ws(ws, db))
    if as_json:
        print_json({"layers": rows})
        return
    t = Table(title=f"参考图层 {len(rows)} 个")
    for col in ("类型", "名称", "起用年份", "县"):
        t.add_column(col)
    for r in rows:
        t.add_row(r["kind"], r["label"], str(r["epoch"]), "、".join(r["counties"]))
    console.print(t)


def register(app: typer.Typer) -> None:
    app.add_typer(layers_app, name="layers")
