"""Ellipsoidal area of lon/lat polygons on the CGCS2000 ellipsoid, vectorised over whole arrays.

Reference: the area of the polygon whose edges are geodesics on the ellipsoid (a = 6378137,
f = 1/298.257222101), as ``pyproj.Geod(ellps="GRS80").geometry_area_perimeter`` computes it.

Method, per ring:
1. Map the ellipsoid conformally onto Gauss's sphere for the ring's centre latitude φ0 (the first
   step of the oblique stereographic projection): radius R = √(M0·N0), longitudes scaled by α, and
   isometric latitudes by α plus a constant. Gauss chose α, R and the constant so that the scale
   factor k is 1 at φ0 with vanishing first and second derivatives: k = 1 + O(e²·Δφ³).
2. Area on the ellipsoid = ∬ k⁻² dA on the sphere, so the area error is O(e²·Δφ³) relative. Because
   the map is conformal, a geodesic's image has geodesic curvature ∂ₙ ln k = O(e²·Δφ²/R): edges map
   to great circles to within the same order.
3. The spherical polygon with great-circle edges has an exact area: the sum over edges of the
   signed solid angle of the triangle (centre, Pᵢ, Pᵢ₊₁), tan(Ω/2) = c·(a×b) / (1 + a·b + b·c + c·a)
   (Van Oosterom & Strackee), in a frame whose pole is the ring centre so the small triple products
   keep full relative precision.

Measured against pyproj on 10⁴ parcels across China (100 m² fields to 2 km² forests, 9 km road
strips, holes, multipolygons): max |difference| 2.7e-4 m², which is pyproj's own noise floor (its
result jumps by ~1e-4 m² under 0.1 m translations; ours varies smoothly, to 1e-7 m² for a field).
Against the exact formula for a cell bounded by parallels (densified), 1 km and 10 km cells agree to
3e-5 m². The method's own error grows with size (k − 1 ≈ −0.002·Δφ³): ~1e-4 m² for a polygon 20 km
across, 0.3 m² (5e-11) for one 100 km across. A local Lambert azimuthal equal-area projection on the
authalic sphere with the shoelace formula is off by up to 0.08 m² on km² polygons, even with the
spherical edge-curvature correction: the authalic map is not conformal, so images of geodesics curve
at first order (O(e²/R)) and long edges accumulate the error. Speed: about 200,000 parcels/s on one core
(pyproj's per-polygon loop: ~15,000/s); see ``bench/area.py``.

Rings must not cross the antimeridian or enclose a pole (never the case in China).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import shapely

from gengbao.domain.errors import CrsError, InputError

A = 6378137.0
F = 1 / 298.257222101
E2 = F * (2 - F)
E = float(np.sqrt(E2))

Floats = npt.NDArray[np.float64]
_POLYGON, _MULTIPOLYGON = 3, 6


def ellipsoidal_area(geoms: npt.ArrayLike) -> Floats:
    """Area in m² of each Polygon/MultiPolygon in EPSG:4490 lon/lat degrees (holes subtracted).

    Empty geometries give 0, missing ones (None) NaN. The result has the shape of ``geoms``.
    """
    arr = np.asarray(geoms, dtype=object)
    flat = arr.ravel()
    result = np.zeros(flat.shape, dtype=np.float64)
    missing = shapely.is_missing(flat)
    result[missing] = np.nan
    type_ids = shapely.get_type_id(flat)
    empty = shapely.is_empty(flat)
    polygonal = (type_ids == _POLYGON) | (type_ids == _MULTIPOLYGON)
    wrong = ~missing & ~empty & ~polygonal
    if wrong.any():
        i = int(np.flatnonzero(wrong)[0])
        raise InputError(
            f"只能计算面（Polygon/MultiPolygon）的面积，第 {i} 个几何是 {flat[i].geom_type}",
            code="area.geometry_type",
            index=i,
            geom_type=flat[i].geom_type,
        )
    todo = polygonal & ~empty
    if todo.any():
        result[todo] = _polygon_areas(flat[todo])
    return result.reshape(arr.shape)


def _polygon_areas(polys: npt.NDArray[np.object_]) -> Floats:
    # Most parcels are single polygons without holes: one ring each, whose coordinates
    # ``get_coordinates`` gives in order without building ring objects (``to_ragged_array`` does).
    simple = (shapely.get_type_id(polys) == _POLYGON) & (shapely.get_num_interior_rings(polys) == 0)
    if not simple.all():
        result = np.empty(len(polys), dtype=np.float64)
        result[simple] = _polygon_areas(polys[simple]) if simple.any() else 0.0
        result[~simple] = _ragged_areas(polys[~simple])
        return result
    counts = shapely.get_num_coordinates(polys).astype(np.intp)
    coords = shapely.get_coordinates(polys)
    lon, lat = coords[:, 0], coords[:, 1]
    _check_lonlat(lon, lat)
    starts = np.cumsum(counts) - counts
    return np.abs(_ring_areas(np.radians(lon), np.radians(lat), starts, counts))


def _ragged_areas(polys: npt.NDArray[np.object_]) -> Floats:
    kind, coords, offsets = shapely.to_ragged_array(polys, include_z=False)
    if kind == shapely.GeometryType.POLYGON:
        ring_off, poly_off = offsets
        geom_off = np.arange(len(polys) + 1)
    else:
        ring_off, poly_off, geom_off = offsets
    lon, lat = coords[:, 0], coords[:, 1]
    _check_lonlat(lon, lat)

    counts = np.diff(ring_off)
    ring_area = np.zeros(len(counts))
    nonempty = counts > 0
    if nonempty.any():
        ring_area[nonempty] = _ring_areas(
            np.radians(lon), np.radians(lat), ring_off[:-1][nonempty], counts[nonempty]
        )

    # exterior (first ring of each polygon) counts +, holes −, whatever the ring orientation
    sign = -np.ones(len(counts))
    sign[poly_off[:-1][np.diff(poly_off) > 0]] = 1.0
    poly_of_ring = np.repeat(np.arange(len(poly_off) - 1), np.diff(poly_off))
    geom_of_poly = np.repeat(np.arange(len(geom_off) - 1), np.diff(geom_off))
    signed = sign * np.abs(ring_area)
    totals = np.bincount(geom_of_poly[poly_of_ring], weights=signed, minlength=len(geom_off) - 1)
    return np.asarray(totals, dtype=np.float64)


def _ring_areas(
    lam: Floats, phi: Floats, starts: npt.NDArray[np.intp], counts: npt.NDArray[np.intp]
) -> Floats:
    """Signed area of closed rings (first vertex repeated last) given as runs of ``lam``/``phi`` radians."""
    lam0 = (np.minimum.reduceat(lam, starts) + np.maximum.reduceat(lam, starts)) / 2
    phi0 = (np.minimum.reduceat(phi, starts) + np.maximum.reduceat(phi, starts)) / 2
    sin0 = np.sin(phi0)
    radius = A * np.sqrt(1 - E2) / (1 - E2 * sin0**2)  # √(M0·N0)
    alpha = np.sqrt(1 + E2 * np.cos(phi0) ** 4 / (1 - E2))
    sin_chi0 = sin0 / alpha
    cos_chi0 = np.sqrt(1 - sin_chi0**2)
    shift = np.arctanh(sin_chi0) - alpha * _isometric(sin0)

    ring = np.repeat(np.arange(len(starts)), counts)  # rings are contiguous runs: empty ones have no vertices
    grow = np.exp(alpha[ring] * _isometric(np.sin(phi)) + shift[ring])  # e^ψ on the sphere
    cosh2 = grow + 1 / grow
    sin_chi, cos_chi = (grow - 1 / grow) / cosh2, 2 / cosh2  # tanh ψ, sech ψ
    big_lambda = alpha[ring] * (lam - lam0[ring])
    cos_l = np.cos(big_lambda)
    x = cos_chi * np.sin(big_lambda)
    y = sin_chi * cos_chi0[ring] - cos_chi * sin_chi0[ring] * cos_l
    z = sin_chi * sin_chi0[ring] + cos_chi * cos_chi0[ring] * cos_l

    x1, y1, z1, x2, y2, z2 = x[:-1], y[:-1], z[:-1], x[1:], y[1:], z[1:]
    solid = 2 * np.arctan2(x1 * y2 - y1 * x2, 1 + z1 + z2 + x1 * x2 + y1 * y2 + z1 * z2)
    solid[np.cumsum(counts)[:-1] - 1] = 0.0  # last vertex of a ring → first vertex of the next: no edge
    total = np.bincount(ring[:-1], weights=solid, minlength=len(starts))
    result: Floats = total * radius**2
    return result


def _isometric(sin_phi: Floats) -> Floats:
    """Isometric latitude ψ on the ellipsoid from sin φ."""
    # artanh(x) = ½·ln((1 + x)/(1 − x)); two logs are cheaper than two artanh calls
    result: Floats = 0.5 * (
        np.log((1 + sin_phi) / (1 - sin_phi)) - E * np.log((1 + E * sin_phi) / (1 - E * sin_phi))
    )
    return result


def _check_lonlat(lon: Floats, lat: Floats) -> None:
    bad = ~(np.isfinite(lon) & np.isfinite(lat) & (np.abs(lat) <= 90) & (np.abs(lon) <= 360))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise CrsError(
            f"面积计算需要 CGCS2000 经纬度坐标（EPSG:4490），但有坐标 ({lon[i]}, {lat[i]}) 不是经纬度。"
            "请先用 to_cgcs2000 把投影坐标转换为经纬度",
            code="crs.not_geographic",
        )


def round_m2(areas: npt.ArrayLike) -> Floats:
    """Round m² to 2 decimals half-up, as TBMJ is stored; ties are judged on the decimal value (1.005 → 1.01)."""
    a = np.asarray(areas, dtype=np.float64)
    magnitude = np.abs(a)
    cents = np.floor(magnitude * 100 + 0.5)
    mills = np.rint(magnitude * 1000)
    tie = (mills % 10 == 5) & (mills / 1000 == magnitude)  # the float is the nearest double to x.xx5
    cents = np.where(tie, (mills + 5) // 10, cents)
    result: Floats = np.sign(a) * cents / 100
    return result
