"""The workspace's scene store: ``WS/imagery/<date>/scene.tif`` (tiled, DEFLATE-compressed COG on the county
grid: uint16 with reflectance = DN × 1e-4 − 0.1 in its scale/offset metadata, 0 = no data), an optional
``mask.tif`` (uint8, 1 = cloud or shadow, from a mask file given at import) and ``scene.json``.

A scene is written in windows into a hidden temporary folder and renamed into place, so a failed import
(truncated file, read error) leaves nothing behind.
"""

from __future__ import annotations

import json
import shutil
import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import rasterio
import rasterio.shutil
from rasterio.enums import Resampling
from rasterio.errors import RasterioError
from rasterio.vrt import WarpedVRT
from rasterio.windows import Window

from gengbao.adapters.raster.grid import Grid
from gengbao.adapters.raster.source import SceneSource
from gengbao.domain.errors import ConflictError, InputError, NotFoundError

STORE_SCALE, STORE_OFFSET = 1e-4, -0.1
BLOCK_ROWS = 1024
META, SCENE, MASK = "scene.json", "scene.tif", "mask.tif"


@dataclass(frozen=True, slots=True)
class SceneRecord:
    date: str
    folder: Path
    grid: Grid
    bands: tuple[str, ...]
    sensor: str
    mask: bool
    meta: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {"date": self.date, "sensor": self.sensor, "bands": list(self.bands),
                "grid": self.grid.to_dict(), "mask": "file" if self.mask else "spectral", "path": str(self.folder),
                **{k: v for k, v in self.meta.items() if k in ("sources", "scaling")}}


def row_blocks(height: int, rows: int = BLOCK_ROWS) -> Iterator[tuple[int, int]]:
    for r in range(0, height, rows):
        yield r, min(rows, height - r)


def _vrt(ds: rasterio.DatasetReader, grid: Grid, resampling: Resampling) -> WarpedVRT:
    return WarpedVRT(ds, crs=grid.crs, transform=grid.transform, width=grid.width, height=grid.height,
                     resampling=resampling, src_nodata=ds.nodata, nodata=ds.nodata)


def _resampling(ds: rasterio.DatasetReader, grid: Grid) -> Resampling:
    """Nearest within the same CRS (a 20 m SWIR band on the 10 m grid keeps its values, as Sentinel-2 tools do);
    bilinear when the scene is reprojected."""
    return Resampling.nearest if ds.crs == grid.crs else Resampling.bilinear


def encode(reflectance: np.ndarray) -> np.ndarray:
    dn = np.rint((reflectance - STORE_OFFSET) / STORE_SCALE)
    out: np.ndarray = np.clip(np.nan_to_num(dn, nan=0.0), 1, 65535).astype(np.uint16)
    out[np.isnan(reflectance)] = 0
    return out


def _write(tmp: Path, source: SceneSource, grid: Grid, mask: Path | None) -> None:
    profile = {"driver": "GTiff", "width": grid.width, "height": grid.height, "count": len(source.bands),
               "dtype": "uint16", "crs": grid.crs, "transform": grid.transform, "nodata": 0, "tiled": True,
               "blockxsize": 512, "blockysize": 512, "compress": "deflate", "predictor": 2, "BIGTIFF": "IF_SAFER"}
    with ExitStack() as stack, rasterio.open(tmp / "raw.tif", "w", **profile) as out:
        vrts = {}
        for b in source.bands:
            if b.path not in vrts:
                ds = stack.enter_context(rasterio.open(b.path))
                vrts[b.path] = stack.enter_context(_vrt(ds, grid, _resampling(ds, grid)))
        out.descriptions = tuple(b.band for b in source.bands)
        for r, h in row_blocks(grid.height):
            win = Window(0, r, grid.width, h)
            for k, b in enumerate(source.bands, start=1):
                dn = vrts[b.path].read(b.index, window=win).astype(np.float32)
                refl = dn * np.float32(b.scale) + np.float32(b.offset)
                if b.nodata is not None:
                    refl[dn == b.nodata] = np.nan
                out.write(encode(refl), k, window=win)
        out.scales = (STORE_SCALE,) * len(source.bands)
        out.offsets = (STORE_OFFSET,) * len(source.bands)
    rasterio.shutil.copy(tmp / "raw.tif", tmp / SCENE, driver="COG", compress="DEFLATE", predictor="2",
                         blocksize=512, overviews="AUTO", resampling="average")
    (tmp / "raw.tif").unlink()
    if mask is not None:
        _write_mask(tmp, mask, grid)


def _write_mask(tmp: Path, mask: Path, grid: Grid) -> None:
    profile = {"driver": "GTiff", "width": grid.width, "height": grid.height, "count": 1, "dtype": "uint8",
               "crs": grid.crs, "transform": grid.transform, "tiled": True, "blockxsize": 512, "blockysize": 512,
               "compress": "deflate"}
    with rasterio.open(mask) as ds, WarpedVRT(ds, crs=grid.crs, transform=grid.transform, width=grid.width,
                                               height=grid.height, resampling=Resampling.nearest) as vrt, \
            rasterio.open(tmp / MASK, "w", **profile) as out:
        for r, h in row_blocks(grid.height):
            win = Window(0, r, grid.width, h)
            out.write((vrt.read(1, window=win) > 0).astype(np.uint8), 1, window=win)


def write_scene(root: Path, date: str, source: SceneSource, grid: Grid, sensor: str, mask: Path | None,
                meta: dict[str, Any], *, replace: bool = False) -> SceneRecord:
    final = root / date
    if final.exists() and not replace:
        raise ConflictError(f"工作空间已有 {date} 的影像；如需替换请加 --replace。", code="imagery.exists", date=date)
    root.mkdir(parents=True, exist_ok=True)
    tmp = root / f".tmp-{date}-{uuid.uuid4().hex[:8]}"
    tmp.mkdir()
    try:
        try:
            _write(tmp, source, grid, mask)
        except RasterioError as exc:
            raise InputError(f"读取影像时出错（文件可能不完整或已损坏）：{exc}。未导入任何内容。",
                             code="imagery.read_failed") from exc
        record = SceneRecord(date, final, grid, tuple(b.band for b in source.bands), sensor, mask is not None, meta)
        (tmp / META).write_text(json.dumps({**record.to_dict(), "meta": meta}, ensure_ascii=False, indent=2),
                                encoding="utf-8")
        if final.exists():
            old = root / f".old-{date}-{uuid.uuid4().hex[:8]}"
            final.rename(old)
            tmp.rename(final)
            shutil.rmtree(old, ignore_errors=True)
        else:
            tmp.rename(final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return record


def _record(folder: Path) -> SceneRecord:
    d = json.loads((folder / META).read_text(encoding="utf-8"))
    g = d["grid"]
    grid = Grid(int(g["epsg"]), float(g["x0"]), float(g["y0"]), float(g["pixel"]), int(g["width"]), int(g["height"]))
    return SceneRecord(d["date"], folder, grid, tuple(str(b) for b in d["bands"]), d["sensor"], d["mask"] == "file",
                       d.get("meta", {}))


def list_scenes(root: Path) -> list[SceneRecord]:
    if not root.is_dir():
        return []
    return [_record(p) for p in sorted(root.iterdir()) if p.is_dir() and not p.name.startswith(".")
            and (p / META).is_file()]


def get_scene(root: Path, date: str) -> SceneRecord:
    folder = root / date
    if not (folder / META).is_file():
        have = "、".join(r.date for r in list_scenes(root)) or "无"
        raise NotFoundError(f"工作空间中没有 {date} 的影像（已导入：{have}）。请先用 gengbao imagery import 导入。",
                            code="imagery.scene_not_found", date=date)
    return _record(folder)
