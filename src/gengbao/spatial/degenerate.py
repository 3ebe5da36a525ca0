"""Rings and parts of no area: dropped, not judged.

A polygon part or hole whose area is below ``MIN_RING_DEG2`` (about 1 cm² at China's latitudes, far below
the 0.01 m² survey precision) is a drawing artefact. Such a sliver is harmless inside a MultiPolygon, but
a Shapefile cannot tell a part from a hole except by winding, so after a round trip through one it comes
back as a hole outside its shell and makes the parcel invalid. Dropping them keeps every area to the
last 0.01 m² and lets a workspace's own export be imported again.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import shapely

MIN_RING_DEG2 = 1e-14  # degrees²: ~1.2e-4 m² at 30°N


def _ring_area(ring: shapely.LinearRing) -> float:
    return float(shapely.area(shapely.Polygon(ring)))


def _clean_polygon(p: shapely.Polygon) -> shapely.Polygon | None:
    if _ring_area(p.exterior) < MIN_RING_DEG2:
        return None
    holes = [r for r in p.interiors if _ring_area(r) >= MIN_RING_DEG2]
    return p if len(holes) == len(p.interiors) else shapely.Polygon(p.exterior, holes)


def drop_degenerate(geoms: npt.NDArray[np.object_]) -> tuple[npt.NDArray[np.object_], npt.NDArray[np.bool_]]:
    """(geometries without degenerate parts and holes, which ones changed). Only polygons with holes and
    multipolygons are looked at; a geometry made only of degenerate parts is left as it is (the checks
    report it)."""
    types = shapely.get_type_id(geoms)
    polygonal = np.isin(types, (3, 6))
    suspect = polygonal & ((types == 6) | (shapely.get_num_interior_rings(geoms) > 0))
    out = geoms.copy()
    changed = np.zeros(len(geoms), dtype=bool)
    for i in np.flatnonzero(suspect):
        parts = [c for c in (_clean_polygon(p) for p in shapely.get_parts(geoms[i])) if c is not None]
        if not parts:
            continue
        total_rings = sum(1 + len(p.interiors) for p in shapely.get_parts(geoms[i]))
        if sum(1 + len(p.interiors) for p in parts) == total_rings:
            continue
        out[i] = parts[0] if len(parts) == 1 and types[i] == 3 else shapely.multipolygons(parts) if len(parts) > 1 else parts[0]
        changed[i] = True
    return out, changed
