"""Open scene files for import: metadata only (bands, descriptions, CRS, extent, scale/offset). Which band
holds which colour is decided by the caller (``gengbao.sensing.bands``); this module only reads."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import rasterio
from rasterio.errors import RasterioError

from gengbao.domain.errors import CrsError, InputError


@dataclass(frozen=True, slots=True)
class FileInfo:
    path: Path
    count: int
    descriptions: tuple[str | None, ...]
    crs_wkt: str
    bounds: tuple[float, float, float, float]
    pixel: float
    scales: tuple[float, ...]
    offsets: tuple[float, ...]
    dtypes: tuple[str, ...]
    nodata: float | None


@dataclass(frozen=True, slots=True)
class BandSource:
    band: str  # a ``gengbao.sensing.bands.Band`` value
    path: Path
    index: int  # 1-based band index in the file
    scale: float
    offset: float
    nodata: float | None
    scaling: str  # where scale/offset came from


@dataclass(frozen=True, slots=True)
class SceneSource:
    bands: tuple[BandSource, ...]
    crs_wkt: str
    bounds: tuple[float, float, float, float]  # in the scene's CRS
    pixel: float


def inspect(path: Path) -> FileInfo:
    path = Path(path)
    if not path.is_file():
        raise InputError(f"影像文件 {path} 不存在。", code="imagery.not_found", path=str(path))
    try:
        ds = rasterio.open(path)
    except RasterioError as exc:
        raise InputError(f"无法读取影像 {path.name}：{exc}。请确认是完整的 GeoTIFF/COG 或 JPEG 2000 文件。",
                         code="imagery.unreadable", path=str(path)) from exc
    with ds:
        if ds.crs is None:
            raise CrsError(f"影像 {path.name} 没有坐标参考系，无法与工作空间配准。请为影像指定坐标系（如用 gdal_edit.py "
                           f"-a_srs EPSG:4548）后再导入。", code="imagery.no_crs", path=str(path))
        b = ds.bounds
        return FileInfo(path, ds.count, tuple(ds.descriptions), ds.crs.to_wkt(),
                        (float(b.left), float(b.bottom), float(b.right), float(b.top)), float(ds.res[0]),
                        tuple(float(s or 1.0) for s in ds.scales), tuple(float(o or 0.0) for o in ds.offsets),
                        tuple(ds.dtypes), ds.nodata)
