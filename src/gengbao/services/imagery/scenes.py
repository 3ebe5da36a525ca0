"""``import_scene``: a scene (one multi-band file or one file per band) onto the county grid in the store."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from gengbao.adapters import layer_store
from gengbao.adapters.file_digest import sha256_of
from gengbao.adapters.monitor_io import epochs_of
from gengbao.adapters.raster.grid import scene_grid
from gengbao.adapters.raster.store import SceneRecord, list_scenes, write_scene
from gengbao.domain.errors import NotFoundError, UsageError
from gengbao.sensing.bands import SENSORS
from gengbao.services.context import Context
from gengbao.services.imagery.bands import scene_source
from gengbao.spatial.crs import county_gk_epsg

IMAGERY = "imagery"
PIXEL_M = 10.0


@dataclass(frozen=True, slots=True)
class SceneImport:
    record: SceneRecord

    def to_dict(self) -> dict[str, Any]:
        return {"imported": True, **self.record.to_dict()}


def store_root(ws: Context) -> Path:
    return ws.root / IMAGERY


def latest_parcels(ws: Context, at_most: int | None = None) -> int:
    years = [e for e in epochs_of(ws.layout.layers, "parcels") if at_most is None or e <= at_most]
    if not years:
        raise NotFoundError("工作空间中还没有地类图斑：影像按县域格网存放，请先导入地类图斑（gengbao survey import）。",
                            code="imagery.no_survey")
    return years[-1]


def workspace_extent(ws: Context) -> tuple[float, float, float, float]:
    """Lon/lat extent of the latest parcel layer (from its covering bbox column: no geometry decoded)."""
    epoch = latest_parcels(ws)
    t = layer_store.read_table(ws.layout.layers, "parcels", epoch, ["bbox"])
    b = np.array([[r["xmin"], r["ymin"], r["xmax"], r["ymax"]] for r in t["bbox"]], dtype=np.float64)
    return float(b[:, 0].min()), float(b[:, 1].min()), float(b[:, 2].max()), float(b[:, 3].max())


def parse_day(value: str) -> str:
    try:
        return date.fromisoformat(value.strip()).isoformat()
    except ValueError as exc:
        raise UsageError(f"日期“{value}”格式不正确，应为 YYYY-MM-DD（如 2024-06-30）。", code="imagery.date_invalid") from exc


def import_scene(ws: Context, paths: Sequence[Path], day: str, *, sensor: str = "sentinel2",
                 mask: Path | None = None, replace: bool = False) -> SceneImport:
    if sensor not in SENSORS:
        raise UsageError(f"不支持的传感器“{sensor}”（可用：{'、'.join(SENSORS)}）。", code="imagery.sensor_unknown")
    if not paths:
        raise UsageError("请给出至少一个影像文件。", code="imagery.no_files")
    day = parse_day(day)
    spec = SENSORS[sensor]
    source = scene_source(paths, spec)
    extent = workspace_extent(ws)
    epsg = county_gk_epsg((extent[0] + extent[2]) / 2)
    grid = scene_grid(source.crs_wkt, source.bounds, extent, epsg, PIXEL_M, ", ".join(Path(p).name for p in paths))
    meta = {"sources": [{"file": Path(p).name, "sha256": sha256_of(Path(p))} for p in paths],
            "scaling": {b.band: {"scale": b.scale, "offset": b.offset, "from": b.scaling} for b in source.bands},
            "mask_file": Path(mask).name if mask else None}
    return SceneImport(write_scene(store_root(ws), day, source, grid, sensor, mask, meta, replace=replace))


def scenes(ws: Context) -> list[SceneRecord]:
    return list_scenes(store_root(ws))
