"""Benchmark: vectorised ellipsoidal area vs pyproj's per-polygon geodesic area, on the same parcels.

    .venv/bin/python bench/area.py [--n 100000] [--seed 1]

Generates parcel-sized polygons across China (fields 100–15,000 m², a quarter of them with a hole;
forest/water parcels up to 2 km² with many vertices; road/river strips 2–9 km long and 5–30 m wide),
times ``gengbao.spatial.area.ellipsoidal_area`` on the whole array (best of three) and the loop of
``Geod(ellps="GRS80").geometry_area_perimeter`` over it, and prints polygons/s, the speed ratio and
the largest absolute difference in m².
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import shapely
from pyproj import Geod

from gengbao.spatial.area import ellipsoidal_area

R_MEAN = 6371008.8


def _unit_stars(rng: np.random.Generator, k: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Irregular star-shaped rings of radius ≤ 1 with k[i] vertices, and their planar areas.

    Vertices sit at radius 0.65–1 with angular gaps ≤ 1.5·2π/k, so with k ≥ 4 a ring contains the disc of
    radius 0.25 around its centre.
    """
    ring = np.repeat(np.arange(len(k)), k)
    j = np.arange(len(ring)) - np.repeat(np.cumsum(k) - k, k)
    angle = 2 * np.pi * (j + rng.uniform(0, 0.5, len(ring))) / k[ring]
    radius = rng.uniform(0.65, 1.0, len(ring))
    x, y = radius * np.cos(angle), radius * np.sin(angle)
    nxt = np.arange(1, len(ring) + 1)
    nxt[np.cumsum(k) - 1] = np.cumsum(k) - k  # wrap to the ring's first vertex
    planar = np.abs(np.bincount(ring, weights=x * y[nxt] - y * x[nxt], minlength=len(k))) / 2
    return np.column_stack([x, y]), planar


def _strips(rng: np.random.Generator, n: int) -> np.ndarray:
    """Rectangles 2–9 km long and 5–30 m wide at any bearing, in metres, four vertices each."""
    length, width, theta = rng.uniform(2000, 9000, n), rng.uniform(5, 30, n), rng.uniform(0, np.pi, n)
    t = np.column_stack([np.cos(theta), np.sin(theta)])
    nrm = np.column_stack([-t[:, 1], t[:, 0]])
    corners = [(-0.5, -0.5), (0.5, -0.5), (0.5, 0.5), (-0.5, 0.5)]
    pts = [a * length[:, None] * t + b * width[:, None] * nrm for a, b in corners]
    return np.stack(pts, axis=1).reshape(-1, 2)


def _lonlat(xy: np.ndarray, lon0: np.ndarray, lat0: np.ndarray) -> np.ndarray:
    lat = lat0 + np.degrees(xy[:, 1] / R_MEAN)
    lon = lon0 + np.degrees(xy[:, 0] / (R_MEAN * np.cos(np.radians(lat0))))
    return np.column_stack([lon, lat])


def make_parcels(n: int, seed: int) -> np.ndarray:
    """``n`` valid polygons in EPSG:4490 lon/lat across China (lon 74–134, lat 18–53), built vectorised."""
    rng = np.random.default_rng(seed)
    kind = rng.choice(3, size=n, p=[0.65, 0.15, 0.20])  # field, forest, strip
    k = np.where(kind == 0, rng.integers(4, 16, n), np.where(kind == 1, rng.integers(12, 120, n), 4))
    target = np.where(kind == 0, rng.uniform(100, 15000, n), rng.uniform(1e5, 2e6, n))
    lon0, lat0 = rng.uniform(74, 134, n), rng.uniform(18, 53, n)

    star = kind != 2
    shells = np.empty((int(k.sum()), 2))
    unit, planar = _unit_stars(rng, k[star])
    scale = np.zeros(n)
    scale[star] = np.sqrt(target[star] / planar)
    vertex_star = np.repeat(star, k)
    shells[vertex_star] = unit * np.repeat(scale[star], k[star])[:, None]
    shells[~vertex_star] = _strips(rng, int((~star).sum()))
    owner = np.repeat(np.arange(n), k)
    shell_rings = shapely.linearrings(_lonlat(shells, lon0[owner], lat0[owner]), indices=owner)

    with_hole = np.flatnonzero((kind == 0) & (rng.random(n) < 0.25))
    hole_k = rng.integers(3, 7, len(with_hole))
    unit, _ = _unit_stars(rng, hole_k)
    local = np.repeat(np.arange(len(with_hole)), hole_k)
    parcel = with_hole[local]
    holes = unit * (0.2 * scale[parcel])[:, None]  # inside the shell's inner disc of radius 0.25·scale
    hole_rings = shapely.linearrings(_lonlat(holes, lon0[parcel], lat0[parcel]), indices=local)

    rings = np.concatenate([shell_rings, hole_rings])
    ring_parcel = np.concatenate([np.arange(n), with_hole])
    order = np.argsort(ring_parcel, kind="stable")  # per parcel: shell first, then its hole
    polygons = shapely.polygons(rings[order], indices=ring_parcel[order])
    result: np.ndarray = shapely.orient_polygons(polygons)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="number of polygons (default 100000)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    started = time.perf_counter()
    geoms = make_parcels(args.n, args.seed)
    vertices = int(shapely.get_num_coordinates(geoms).sum())
    holes = int((shapely.get_num_interior_rings(geoms) > 0).sum())
    print(
        f"{len(geoms):,} polygons ({holes:,} with a hole), {vertices:,} vertices, "
        f"generated in {time.perf_counter() - started:.1f} s; all valid: {bool(shapely.is_valid(geoms).all())}"
    )

    ours_s = np.inf
    for _ in range(3):
        started = time.perf_counter()
        ours = ellipsoidal_area(geoms)
        ours_s = min(ours_s, time.perf_counter() - started)

    geod = Geod(ellps="GRS80")
    started = time.perf_counter()
    reference = np.array([abs(geod.geometry_area_perimeter(g)[0]) for g in geoms])
    pyproj_s = time.perf_counter() - started

    diff = np.abs(ours - reference)
    print(f"gengbao ellipsoidal_area (vectorised): {ours_s:8.3f} s  {len(geoms) / ours_s:12,.0f} polygons/s")
    print(
        f"pyproj Geod.geometry_area_perimeter:   {pyproj_s:8.3f} s  {len(geoms) / pyproj_s:12,.0f} polygons/s"
    )
    print(f"speed ratio: {pyproj_s / ours_s:.1f}x")
    print(f"max |difference|: {diff.max():.2e} m²   (99th percentile {np.quantile(diff, 0.99):.2e} m²)")
    print(f"area range: {reference.min():,.1f} – {reference.max():,.1f} m²")


if __name__ == "__main__":
    main()
