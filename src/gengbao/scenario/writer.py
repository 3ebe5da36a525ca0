"""Put a generated scenario into a workspace: survey layers through the survey import (the same
validation a user's file gets), GeoPackages for QGIS and PNG previews, all marked synthetic.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import geopandas as gpd

from gengbao.api import Context, ImportReport, import_survey_parts
from gengbao.scenario import preview as previews
from gengbao.scenario.spool import Spool

if TYPE_CHECKING:
    from gengbao.scenario.county import CountyOutcome

SYNTHETIC_NOTE = "模拟数据（synthetic）：由 gengbao scenario 生成，非真实调查成果，仅供测试、演示与评估。"

Progress = Callable[[str], None]


def import_layer(ws: Context, parts: Iterable[gpd.GeoDataFrame], epoch: int, kind: str) -> ImportReport:
    """One epoch's layer, given county chunk by county chunk, checked and stored as one all-or-nothing import."""
    return import_survey_parts(ws, parts, epoch, kind, source=f"synthetic-{kind}-{epoch}（模拟数据）",
                               notes=(SYNTHETIC_NOTE,))


def write_gpkg(path: Path, layers: dict[str, gpd.GeoDataFrame]) -> Path:
    """One GeoPackage, every layer named ``synthetic_…`` and described as synthetic."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        path.unlink()
    for name, frame in layers.items():
        frame.to_file(path, layer=f"synthetic_{name}", driver="GPKG", engine="pyogrio",
                      layer_options={"IDENTIFIER": f"模拟 {name}", "DESCRIPTION": SYNTHETIC_NOTE})
    return path


def write_gpkgs(folder: Path, spool: Spool, results: list[CountyOutcome], epochs: list[int],
                truth: dict[str, gpd.GeoDataFrame]) -> list[Path]:
    """``synthetic_<county>.gpkg`` per county: DLTB of every epoch, PBF and the county's truth layers."""
    out = []
    for r in results:
        layers = {f"dltb_{e}": spool.county("parcels", e, r.code) for e in epochs}
        layers["pbf"] = spool.county("pbf", epochs[0], r.code)
        layers |= {k: v[v["county"] == r.code] for k, v in truth.items()}
        out.append(write_gpkg(folder / f"synthetic_{r.code}.gpkg", layers))
    return out


def write_previews(folder: Path, spool: Spool, results: list[CountyOutcome], epochs: list[int],
                   events: gpd.GeoDataFrame) -> list[Path]:
    """``<county>_<epoch>.png`` per county and epoch."""
    out = []
    for r in results:
        pbf = spool.county("pbf", epochs[0], r.code)
        for e in epochs:
            sel = events[(events["county"] == r.code) & (events["epoch"] == e)]
            out.append(previews.render(folder / f"{r.code}_{e}.png", f"{r.name} {e}", spool.county("parcels", e, r.code),
                                       pbf, sel, r.outline))
    return out
