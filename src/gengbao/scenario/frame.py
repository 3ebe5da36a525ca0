"""A county's planar working frame and ellipsoidal areas.

Geometry is generated in local metres (an affine map of lon/lat centred on the county), then taken
back to EPSG:4490 lon/lat. Areas written as TBMJ are always ellipsoidal, computed on the final lon/lat
geometry.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from pyproj import Geod

GEOGRAPHIC = "EPSG:4490"
_GEOD = Geod(ellps="GRS80")
_A = 6378137.0
_E2 = (1 / 298.257222101) * (2 - 1 / 298.257222101)
SMALL = 8


@dataclass(frozen=True)
class PlanarFrame:
    """Local equirectangular metres around (lon0, lat0): x = (lon − lon0)·kx, y = (lat − lat0)·ky.

    The map is affine, so straight edges stay straight both ways and two parcels that share an edge
    still share it after the trip back to lon/lat (a transverse Mercator frame bends long edges by
    centimetres, enough to open slivers of tens of m² along a kilometre of highway). Scale is exact
    at lat0 (meridian and parallel radii of CGCS2000) and off by tan φ0·Δφ elsewhere (< 1 % in a county):
    planar figures steer the generator only; every written area is ellipsoidal.
    """

    lon0: float
    lat0: float

    @property
    def scale(self) -> tuple[float, float]:
        phi = np.radians(self.lat0)
        w = np.sqrt(1 - _E2 * np.sin(phi) ** 2)
        n = _A / w  # prime vertical radius
        m = _A * (1 - _E2) / w**3  # meridian radius
        return float(np.radians(1) * n * np.cos(phi)), float(np.radians(1) * m)

    def to_planar(self, geoms: np.ndarray | shapely.Geometry) -> np.ndarray:
        kx, ky = self.scale
        origin = np.array([self.lon0, self.lat0])
        return shapely.transform(geoms, lambda xy: (xy - origin) * [kx, ky])

    def to_lonlat(self, geoms: np.ndarray | shapely.Geometry, densify: bool = True) -> np.ndarray:
        """Back to lon/lat; edges longer than ``SEGMENT_M`` are split first (see ``densify_lonlat``)."""
        kx, ky = self.scale
        origin = np.array([self.lon0, self.lat0])
        if densify:
            geoms = shapely.segmentize(geoms, SEGMENT_M)
        return shapely.transform(geoms, lambda xy: xy / [kx, ky] + origin)


def frame_for(geom: shapely.Geometry) -> PlanarFrame:
    c = shapely.centroid(geom)
    return PlanarFrame(round(float(c.x), 4), round(float(c.y), 4))


SEGMENT_M = 100.0  # longest edge written (m)
SEGMENT_DEG = 0.001


def densify_lonlat(geom: shapely.Geometry) -> shapely.Geometry:
    """Edges of at most ~100 m. Areas are ellipsoidal with geodesic edges, and a geodesic parts from
    the straight lon/lat line by ~0.3 m over 5 km: a long county edge and the short parcel edges along
    it would disagree by ~1e-4 of the area. With short edges everywhere the parts add up to the whole."""
    return shapely.segmentize(geom, SEGMENT_DEG)


def polygon_parts(geoms: np.ndarray | shapely.Geometry) -> tuple[np.ndarray, np.ndarray]:
    """Every polygon with area inside ``geoms`` (collections flattened to any depth), and its index."""
    parts, index = shapely.get_parts(geoms, return_index=True)
    while True:
        nested = np.isin(shapely.get_type_id(parts), (4, 5, 6, 7))
        if not nested.any():
            break
        inner, at = shapely.get_parts(parts[nested], return_index=True)
        parts = np.concatenate([parts[~nested], inner])
        index = np.concatenate([index[~nested], index[nested][at]])
        order = np.argsort(index, kind="stable")
        parts, index = parts[order], index[order]
    ok = (shapely.get_type_id(parts) == 3) & (shapely.area(parts) > 0)
    return parts[ok], index[ok]


def as_polygonal(g: shapely.Geometry) -> shapely.Geometry:
    """A Polygon or MultiPolygon of the polygons in ``g`` (empty Polygon if none)."""
    parts, _ = polygon_parts(g)
    if len(parts) == 0:
        return shapely.Polygon()
    return parts[0] if len(parts) == 1 else shapely.MultiPolygon(list(parts))


def make_valid_polygons(geoms: np.ndarray) -> np.ndarray:
    """Repair the rare polygon that the trip to lon/lat made invalid (a ring that grazed itself now
    crosses itself): make_valid, keeping every polygonal part."""
    geoms = np.asarray(geoms, dtype=object).copy()
    for i in np.flatnonzero(~shapely.is_valid(geoms)):
        geoms[i] = as_polygonal(shapely.make_valid(geoms[i]))
    return geoms


def ellipsoidal_area(geoms: np.ndarray) -> np.ndarray:
    """Areas (m²) on CGCS2000 of lon/lat polygons: the project's vectorised function when present.

    For a handful of polygons (event cuts) pyproj's geodesic area is faster than the vectorised
    function's set-up; the two agree to 3e-4 m² (see ``gengbao.spatial.area``).
    """
    geoms = np.asarray(geoms, dtype=object)
    if len(geoms) <= SMALL:
        return np.array([geodesic_area(g) for g in geoms], dtype=np.float64)
    try:
        from gengbao.spatial.area import ellipsoidal_area as project_area
    except ImportError:  # pragma: no cover - fallback until gengbao.spatial.area lands
        return np.array([abs(_GEOD.geometry_area_perimeter(g)[0]) for g in geoms], dtype=np.float64)
    return np.asarray(project_area(geoms), dtype=np.float64)


def geodesic_area(geom: shapely.Geometry) -> float:
    """Reference area (m²) by pyproj's geodesic algorithm: used to cross-check in tests."""
    return float(abs(_GEOD.geometry_area_perimeter(geom)[0]))


def packed(geoms: np.ndarray | shapely.Geometry) -> np.ndarray | bytes:
    """Geometries as WKB, the way the working parcel table holds them: about a third of the memory of
    geometry objects (a county of millions of parcels is held whole while its events are played)."""
    out = shapely.to_wkb(geoms)
    return out if isinstance(out, bytes) else np.asarray(out, dtype=object)


def unpacked(value: bytes | shapely.Geometry) -> shapely.Geometry:
    """A geometry from the working table (WKB), or the geometry itself where it is one already."""
    return shapely.from_wkb(value) if isinstance(value, bytes) else value


def round_half_up(values: np.ndarray) -> np.ndarray:
    """Round to 0.01 half up (as survey areas are stored)."""
    v = np.asarray(values, dtype=np.float64)
    return np.floor(v * 100.0 + 0.5 + 1e-9) / 100.0
