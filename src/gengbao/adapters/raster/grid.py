"""The county grid scenes are stored on: the county's 3° Gauss-Krüger CRS (no zone prefix), square pixels
(10 m) aligned to multiples of the pixel size, over the part of the workspace a scene covers."""

from __future__ import annotations

import math
from dataclasses import dataclass

from affine import Affine
from rasterio.crs import CRS
from rasterio.warp import transform_bounds

from gengbao.domain.errors import InputError

Bounds = tuple[float, float, float, float]


@dataclass(frozen=True, slots=True)
class Grid:
    epsg: int
    x0: float
    y0: float  # top edge
    pixel: float
    width: int
    height: int

    @property
    def transform(self) -> Affine:
        return Affine(self.pixel, 0.0, self.x0, 0.0, -self.pixel, self.y0)

    @property
    def crs(self) -> CRS:
        return CRS.from_epsg(self.epsg)

    @property
    def bounds(self) -> Bounds:
        return (self.x0, self.y0 - self.height * self.pixel, self.x0 + self.width * self.pixel, self.y0)

    def lonlat_bounds(self) -> Bounds:
        b = transform_bounds(self.crs, CRS.from_epsg(4490), *self.bounds, densify_pts=21)
        return (float(b[0]), float(b[1]), float(b[2]), float(b[3]))

    def to_dict(self) -> dict[str, float | int]:
        return {"epsg": self.epsg, "x0": self.x0, "y0": self.y0, "pixel": self.pixel, "width": self.width,
                "height": self.height}


def snapped(epsg: int, bounds: Bounds, pixel: float) -> Grid:
    x0 = math.floor(bounds[0] / pixel) * pixel
    y1 = math.ceil(bounds[3] / pixel) * pixel
    width = int(math.ceil((bounds[2] - x0) / pixel - 1e-9))
    height = int(math.ceil((y1 - bounds[1]) / pixel - 1e-9))
    return Grid(epsg, x0, y1, pixel, max(width, 0), max(height, 0))


def scene_grid(scene_crs_wkt: str, scene_bounds: Bounds, extent_lonlat: Bounds, epsg: int, pixel: float,
               source: str) -> Grid:
    """The grid over the overlap of a scene with the workspace extent (EPSG:4490 lon/lat); an error if none."""
    dst = CRS.from_epsg(epsg)
    sb = transform_bounds(CRS.from_wkt(scene_crs_wkt), dst, *scene_bounds, densify_pts=21)
    wb = transform_bounds(CRS.from_epsg(4490), dst, *extent_lonlat, densify_pts=21)
    lo_x, lo_y, hi_x, hi_y = max(sb[0], wb[0]), max(sb[1], wb[1]), min(sb[2], wb[2]), min(sb[3], wb[3])
    if not (hi_x - lo_x >= pixel and hi_y - lo_y >= pixel) or not all(map(math.isfinite, sb)):
        raise InputError(f"影像 {source} 与工作空间范围不重叠（影像范围 {tuple(round(v) for v in sb)}，工作空间范围 "
                         f"{tuple(round(v) for v in wb)}，EPSG:{epsg}）：请确认影像覆盖本县。",
                         code="imagery.no_overlap")
    return snapped(epsg, (lo_x, lo_y, hi_x, hi_y), pixel)
