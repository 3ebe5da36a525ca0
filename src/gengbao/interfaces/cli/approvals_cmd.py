"""``gengbao approvals import|list``: approvals, facility filings and temporary-use permits."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from gengbao.api import import_approvals
from gengbao.domain.legality import ApprovalKind
from gengbao.interfaces.cli.common import (
    DbOption,
    JsonOption,
    console,
    handle_errors,
    open_ws,
    print_json,
)
from gengbao.services.monitoring.run import load_approval_table

approvals_app = typer.Typer(help="批文、设施农用地备案、临时用地批准：导入与查看", no_args_is_help=True)


@approvals_app.command("import")
def import_cmd(
    ws: Path = typer.Argument(..., help="工作空间"),
    path: Path = typer.Argument(..., help="批文图层：.gpkg / .shp / .gdb / .geojson"),
    kind: ApprovalKind | None = typer.Option(None, "--kind", help="conversion 农用地转用 | facility 设施农用地备案 | "
                                             "temporary 临时用地；不指定时按“类型”列"),
    layer: str | None = typer.Option(None, "--layer", help="GeoPackage / GDB 中的图层名"),
    crs: str | None = typer.Option(None, "--crs", help="图层无坐标系时指定，如 4490 或 4548"),
    db: str | None = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """导入批文（全部通过检查才导入）。"""
    with handle_errors(as_json):
        report = import_approvals(open_ws(ws, db), path, kind, layer=layer, crs=crs)
    if as_json:
        print_json(report.to_dict())
    else:
        console.print(f"[green]已导入[/] {report.imported} 条批文：" + "、".join(
            f"{ApprovalKind(k).label} {n} 条" for k, n in sorted((report.kinds or {}).items())))


@approvals_app.command("list")
def list_cmd(ws: Path = typer.Argument(...), db: str | None = DbOption, as_json: bool = JsonOption) -> None:
    """列出工作空间中的批文。"""
    with handle_errors(as_json):
        table = load_approval_table(open_ws(ws, db))
        rows = [{"id": a.id, "kind": a.kind.value, "issued": a.issued.isoformat(),
                 "valid_until": a.valid_until.isoformat() if a.valid_until else None,
                 "filed_area_m2": str(a.filed_area_m2) if a.filed_area_m2 is not None else None}
                for a in table.approvals]
        if as_json:
            print_json({"approvals": rows})
            return
        t = Table(title=f"批文 {len(rows)} 条")
        for col in ("编号", "类型", "批准日期", "有效期至", "备案面积 m²"):
            t.add_column(col)
        for r in rows:
            t.add_row(r["id"], ApprovalKind(r["kind"]).label, r["issued"], r["valid_until"] or "",  # type: ignore[arg-type]
                      r["filed_area_m2"] or "")
        console.print(t)


def register(app: typer.Typer) -> None:
    app.add_typer(approvals_app, name="approvals")
