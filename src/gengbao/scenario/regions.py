"""Townships and villages with their real codes and names, as synthetic polygons inside a county.

Seeds are placed in the county (planar frame), cells are Voronoi polygons clipped to the county, and a
few Lloyd steps even them out. Urban townships (街道, development zones) cluster around the county
seat; urban communities (居委会) cluster around their township seat.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

from gengbao.domain.regions import Region, RegionCatalog, RegionLevel

LLOYD_STEPS = 3


@dataclass(frozen=True)
class Township:
    code: str
    name: str
    urban: bool
    seat: np.ndarray  # (2,) planar x, y
    geometry: shapely.Geometry


@dataclass(frozen=True)
class Village:
    code: str
    name: str
    township: int
    community: bool
    seat: np.ndarray
    hamlets: np.ndarray  # (k, 2) centres of settlements
    geometry: shapely.Geometry


def is_urban_township(code: str) -> bool:
    """街道 (001–099) and development zones, farms etc. (400–599) count as urban."""
    n = int(code[6:9])
    return n < 100 or n >= 400


def is_community(code: str) -> bool:
    """居委会 (001–199) as opposed to 村委会 (200–399)."""
    return int(code[9:12]) < 200


def random_points(rng: np.random.Generator, geom: shapely.Geometry, n: int) -> np.ndarray:
    """``n`` uniform random points inside ``geom`` (rejection sampling, vectorised)."""
    if n <= 0:
        return np.empty((0, 2))
    x0, y0, x1, y1 = shapely.bounds(geom)
    shapely.prepare(geom)
    out: list[np.ndarray] = []
    have = 0
    while have < n:
        k = max(64, 4 * (n - have))
        pts = np.column_stack([rng.uniform(x0, x1, k), rng.uniform(y0, y1, k)])
        pts = pts[shapely.contains_xy(geom, pts[:, 0], pts[:, 1])]
        out.append(pts)
        have += len(pts)
    return np.vstack(out)[:n]


def points_near(rng: np.random.Generator, geom: shapely.Geometry, centre: np.ndarray, radius: float,
                n: int) -> np.ndarray:
    """``n`` random points inside ``geom`` within ``radius`` of ``centre`` (widening if needed)."""
    out = np.empty((0, 2))
    r = radius
    while len(out) < n:
        disc = shapely.intersection(geom, shapely.Point(centre).buffer(r, 16))
        if not shapely.is_empty(disc) and shapely.area(disc) > 0:
            out = random_points(rng, disc, n)
        r *= 1.6
    return out


def voronoi_cells(seeds: np.ndarray, clip: shapely.Geometry) -> np.ndarray:
    """Voronoi cells of ``seeds`` (in seed order) clipped to ``clip``."""
    if len(seeds) == 1:
        return np.array([clip], dtype=object)
    x0, y0, x1, y1 = shapely.bounds(clip)
    pad = max(x1 - x0, y1 - y0)
    env = shapely.box(x0 - pad, y0 - pad, x1 + pad, y1 + pad)
    cells = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(seeds), extend_to=env, ordered=True))
    return shapely.intersection(cells, clip)


def relax(seeds: np.ndarray, fixed: np.ndarray, clip: shapely.Geometry, steps: int = LLOYD_STEPS) -> np.ndarray:
    """Lloyd relaxation: move free seeds to their cell's centroid (kept inside ``clip``)."""
    seeds = seeds.copy()
    for _ in range(steps):
        cells = voronoi_cells(seeds, clip)
        cents = shapely.get_coordinates(shapely.point_on_surface(cells))
        c = shapely.centroid(cells)
        inside = shapely.contains_xy(clip, shapely.get_x(c), shapely.get_y(c))
        cents[inside] = shapely.get_coordinates(c[inside])
        seeds[~fixed] = cents[~fixed]
    return seeds


def _seeds(rng: np.random.Generator, clip: shapely.Geometry, centre: np.ndarray, clustered: np.ndarray) -> np.ndarray:
    n = len(clustered)
    k = int(clustered.sum())
    seeds = random_points(rng, clip, n)
    if 0 < k < n:
        radius = float(np.sqrt(k * shapely.area(clip) / n * 0.6 / np.pi))
        seeds[clustered] = points_near(rng, clip, centre, radius, k)
        return relax(seeds, clustered, clip)
    return relax(seeds, np.zeros(n, dtype=bool), clip)


def _keep_seat_inside(cell: shapely.Geometry, seat: np.ndarray) -> np.ndarray:
    if shapely.contains_xy(cell, seat[0], seat[1]):
        return seat
    return shapely.get_coordinates(shapely.point_on_surface(cell))[0]


def build_townships(rng: np.random.Generator, county: shapely.Geometry, seat: np.ndarray,
                    regions: list[Region]) -> list[Township]:
    urban = np.array([is_urban_township(r.code) for r in regions])
    if urban.mean() > 0.5:
        urban = np.zeros(len(regions), dtype=bool)
    seeds = _seeds(rng, county, seat, urban)
    cells = voronoi_cells(seeds, county)
    return [
        Township(r.code, r.name, is_urban_township(r.code), _keep_seat_inside(cell, s), cell)
        for r, s, cell in zip(regions, seeds, cells, strict=True)
    ]


def build_villages(rng: np.random.Generator, townships: list[Township], catalog: RegionCatalog) -> list[Village]:
    villages: list[Village] = []
    for ti, t in enumerate(townships):
        regions = catalog.descendants(t.code, RegionLevel.VILLAGE) or [Region(t.code + "000", t.name, RegionLevel.VILLAGE, t.code)]
        community = np.array([is_community(r.code) for r in regions])
        cluster = community if t.urban is False else np.zeros(len(regions), dtype=bool)
        seeds = _seeds(rng, t.geometry, t.seat, cluster)
        cells = voronoi_cells(seeds, t.geometry)
        for r, s, cell, comm in zip(regions, seeds, cells, community, strict=True):
            seat = _keep_seat_inside(cell, s)
            extra = int(rng.integers(0, 3))
            hamlets = np.vstack([seat[None, :], random_points(rng, cell, extra)]) if extra else seat[None, :]
            villages.append(Village(r.code, r.name, ti, bool(comm), seat, hamlets, cell))
    return villages
