"""Open a scene for import: which file and band holds blue, green, red, NIR (and SWIR), and how DN scale to
reflectance. Nothing is read but metadata; bad input raises a clear error before anything is stored."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import rasterio
from rasterio.errors import RasterioError

from gengbao.domain.errors import CrsError, InputError
from gengbao.sensing.bands import Band, Sensor, missing_bands, resolve_order


@dataclass(frozen=True, slots=True)
class BandSource:
    band: Band
    path: Path
    index: int  # 1-based band index in the file
    scale: float
    offset: float
    nodata: float | None
    scaling: str  # "metadata" | "sensor default"


@dataclass(frozen=True, slots=True)
class SceneSource:
    bands: tuple[BandSource, ...]
    crs_wkt: str
    bounds: tuple[float, float, float, float]  # in the scene's CRS
    pixel: float

    def get(self, band: Band) -> BandSource | None:
        return next((b for b in self.bands if b.band is band), None)

    @property
    def band_names(self) -> tuple[str, ...]:
        return tuple(b.band.value for b in self.bands)


def _scaling(ds: rasterio.DatasetReader, i: int, sensor: Sensor) -> tuple[float, float, str]:
    scale, offset = float(ds.scales[i - 1] or 1.0), float(ds.offsets[i - 1] or 0.0)
    if (scale, offset) != (1.0, 0.0):
        return scale, offset, "metadata"
    if ds.dtypes[i - 1].startswith("float"):
        return 1.0, 0.0, "reflectance (float)"
    return sensor.scale, sensor.offset, "sensor default"


def _open(path: Path) -> rasterio.DatasetReader:
    if not path.is_file():
        raise InputError(f"影像文件 {path} 不存在。", code="imagery.not_found", path=str(path))
    try:
        return rasterio.open(path)
    except RasterioError as exc:
        raise InputError(f"无法读取影像 {path.name}：{exc}。请确认是完整的 GeoTIFF/COG 或 JPEG 2000 文件。",
                         code="imagery.unreadable", path=str(path)) from exc


def open_source(paths: Sequence[Path], sensor: Sensor) -> SceneSource:
    """The scene's bands from one multi-band file or several files (band named by description or file name)."""
    found: dict[Band, BandSource] = {}
    crs_wkt, bounds, pixel = "", (0.0, 0.0, 0.0, 0.0), 0.0
    for path in (Path(p) for p in paths):
        with _open(path) as ds:
            if ds.crs is None:
                raise CrsError(f"影像 {path.name} 没有坐标参考系，无法与工作空间配准。请为影像指定坐标系（如用 gdal_edit.py -a_srs）后再导入。",
                               code="imagery.no_crs", path=str(path))
            if len(paths) == 1:
                order = resolve_order(list(ds.descriptions), sensor)
            else:
                named = sensor.band_of(path.stem)
                order = (named,) if ds.count == 1 else resolve_order(list(ds.descriptions), sensor)
            for i, band in enumerate(order, start=1):
                if band is None or band in found:
                    continue
                scale, offset, how = _scaling(ds, i, sensor)
                found[band] = BandSource(band, path, i, scale, offset, ds.nodata, how)
            if not crs_wkt or ds.res[0] < pixel:
                crs_wkt, bounds, pixel = ds.crs.to_wkt(), tuple(ds.bounds), float(ds.res[0])  # type: ignore[assignment]
    missing = missing_bands(list(found))
    if missing:
        names = "、".join(f"{b.label}（{b.value}）" for b in missing)
        raise InputError(f"影像 {', '.join(Path(p).name for p in paths)} 缺少波段：{names}。至少需要蓝、绿、红、近红外四个波段"
                         f"（{sensor.name}: B02、B03、B04、B08，按此顺序或在波段描述/文件名中注明）。",
                         code="imagery.bands_missing", missing=[b.value for b in missing])
    ordered = tuple(found[b] for b in (*sensor.default_order,) if b in found)
    return SceneSource(ordered, crs_wkt, bounds, pixel)
