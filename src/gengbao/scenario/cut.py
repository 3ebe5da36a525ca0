"""Cut a parcel in two by a straight line so that one side has a given share of its area.

Area shares are the same in lon/lat degrees as on the ground to well below 1e-4 inside a parcel, so
the cut is found by bisection on planar area in degrees; the pieces' real areas are computed
ellipsoidally afterwards. The two pieces tile the parcel (intersection and difference of one cut).
"""

from __future__ import annotations

import numpy as np
import shapely

from gengbao.scenario.frame import SEGMENT_DEG, as_polygonal

STEPS = 64
CUT_SEGMENT_DEG = SEGMENT_DEG / 4  # ≈ 25 m


def long_axis(geom: shapely.Geometry) -> float:
    """Angle (radians) of the longer side of the minimum rotated rectangle."""
    rect = shapely.get_coordinates(shapely.oriented_envelope(geom))
    if len(rect) < 4:
        return 0.0
    e1, e2 = rect[1] - rect[0], rect[2] - rect[1]
    e = e1 if np.hypot(*e1) >= np.hypot(*e2) else e2
    return float(np.arctan2(e[1], e[0]))


def _halfplanes(theta: float, ts: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """Half-planes {s ≤ t} (as big quadrilaterals) for each t in ``ts``, along direction ``theta``."""
    d = np.array([np.cos(theta), np.sin(theta)])
    n = np.array([-d[1], d[0]])
    x0, y0, x1, y1 = bounds
    centre = np.array([(x0 + x1) / 2, (y0 + y1) / 2])
    big = 4.0 * max(x1 - x0, y1 - y0, 1e-9)
    base = centre[None, :] + np.outer(ts - centre @ d, d)
    corners = np.stack([base + n * big, base - n * big, base - n * big - d * big, base + n * big - d * big,
                        base + n * big], axis=1)
    return shapely.polygons(corners)


def area_below(geom: shapely.Geometry, theta: float, ts: np.ndarray) -> np.ndarray:
    """Area of ``geom`` on the side s ≤ t of each line s = t (s along ``theta``), by Green's theorem.

    Each ring edge is clipped to s ≤ t and contributes ∫ s dn (n across ``theta``); the pieces of the
    line s = t that close the clipped rings contribute t × (−Σ dn). Rings are oriented so that
    exteriors count positive and holes negative. Vectorised over edges and lines.
    """
    rings = shapely.get_rings(shapely.get_parts(shapely.orient_polygons(geom, exterior_cw=False)))
    xy, idx = shapely.get_coordinates(rings, return_index=True)
    same = idx[1:] == idx[:-1]
    c, sn = np.cos(theta), np.sin(theta)
    s = xy[:, 0] * c + xy[:, 1] * sn
    n = -xy[:, 0] * sn + xy[:, 1] * c
    s0, s1, n0, n1 = s[:-1][same], s[1:][same], n[:-1][same], n[1:][same]
    t = np.asarray(ts, dtype=np.float64)[:, None]
    ds = s1 - s0
    with np.errstate(divide="ignore", invalid="ignore"):
        u = np.where(ds != 0, (t - s0) / ds, 0.0)
    cross_n = n0 + u * (n1 - n0)
    in0, in1 = s0 <= t, s1 <= t
    sa, na = np.where(in0, s0, t), np.where(in0, n0, cross_n)
    sb, nb = np.where(in1, s1, t), np.where(in1, n1, cross_n)
    keep = in0 | in1
    dn = np.where(keep, nb - na, 0.0)
    integral = np.where(keep, 0.5 * (sa + sb) * dn, 0.0)
    return integral.sum(axis=1) - t[:, 0] * dn.sum(axis=1)


def split_share(geom: shapely.Geometry, share: float, theta: float | None = None
                ) -> tuple[shapely.Geometry, shapely.Geometry]:
    """→ (part, rest) with area(part) ≈ share × area(geom), cut across the long axis by default.

    The cut line is found on the exact area function (``area_below``): bracketed between vertices,
    then refined on a fine grid and interpolated; one overlay then makes the two pieces.
    """
    share = float(np.clip(share, 0.0, 1.0))
    theta = long_axis(geom) if theta is None else theta
    s = np.unique(shapely.get_coordinates(geom) @ np.array([np.cos(theta), np.sin(theta)]))
    want = share * shapely.area(geom)
    areas = area_below(geom, theta, s)
    j = int(np.clip(np.searchsorted(areas, want), 1, len(s) - 1))
    for _ in range(2):
        ts = np.linspace(s[j - 1], s[j], STEPS)
        areas = area_below(geom, theta, ts)
        j = int(np.clip(np.searchsorted(areas, want), 1, STEPS - 1))
        s = ts
    lo, hi = float(areas[j - 1]), float(areas[j])
    t = s[j - 1] + (s[j] - s[j - 1]) * ((want - lo) / (hi - lo) if hi > lo else 0.5)
    h = _halfplanes(theta, np.array([t]), np.array(shapely.bounds(geom)))[0]
    # Short edges along the cut, shared by both pieces: areas are geodesic, and a long straight lon/lat
    # edge that one neighbour later splits would differ from it by ~0.5 m² per 400 m (see frame.py).
    h = shapely.segmentize(h, CUT_SEGMENT_DEG)
    return as_polygonal(shapely.intersection(geom, h)), as_polygonal(shapely.difference(geom, h))
