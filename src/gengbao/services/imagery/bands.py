"""Which file and band of a scene holds which colour, and how its DN scale to reflectance."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from gengbao.adapters.raster.source import BandSource, FileInfo, SceneSource, inspect
from gengbao.domain.errors import InputError
from gengbao.sensing.bands import Band, Sensor, missing_bands, resolve_order


def _scaling(info: FileInfo, i: int, sensor: Sensor) -> tuple[float, float, str]:
    scale, offset = info.scales[i - 1], info.offsets[i - 1]
    if (scale, offset) != (1.0, 0.0):
        return scale, offset, "metadata"
    if info.dtypes[i - 1].startswith("float"):
        return 1.0, 0.0, "reflectance (float)"
    return sensor.scale, sensor.offset, "sensor default"


def scene_source(paths: Sequence[Path], sensor: Sensor) -> SceneSource:
    """One multi-band file (bands by description, else the sensor's order) or one file per band (by file name)."""
    infos = [inspect(Path(p)) for p in paths]
    found: dict[Band, BandSource] = {}
    for info in infos:
        if len(infos) > 1 and info.count == 1:
            order: tuple[Band | None, ...] = (sensor.band_of(info.descriptions[0]) or sensor.band_of(info.path.stem),)
        else:
            order = resolve_order(list(info.descriptions), sensor)
        for i, band in enumerate(order, start=1):
            if band is None or band in found:
                continue
            scale, offset, how = _scaling(info, i, sensor)
            found[band] = BandSource(band.value, info.path, i, scale, offset, info.nodata, how)
    missing = missing_bands(list(found))
    if missing:
        names = "、".join(f"{b.label}（{b.value}）" for b in missing)
        raise InputError(f"影像 {', '.join(Path(p).name for p in paths)} 缺少波段：{names}。至少需要蓝、绿、红、近红外四个波段"
                         f"（{sensor.name}：B02、B03、B04、B08，按此顺序，或在波段描述/文件名中注明）。",
                         code="imagery.bands_missing", missing=[b.value for b in missing])
    finest = min(infos, key=lambda x: x.pixel)
    return SceneSource(tuple(found[b] for b in sensor.default_order if b in found), finest.crs_wkt, finest.bounds,
                       finest.pixel)
