"""Linear and large features of a county: rivers, reservoirs and highways (planar frame).

Each feature class becomes a polygon (buffered lines, blobs) clipped to the county; rivers take
precedence over reservoirs, reservoirs over highways, so the three never overlap.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

from gengbao.scenario.classes import HIGHWAY, RESERVOIR, RIVER
from gengbao.scenario.regions import random_points


@dataclass(frozen=True)
class Features:
    river_lines: np.ndarray  # LineStrings (for the terrain's valley term)
    polygons: dict[str, shapely.Geometry]  # class code → polygon, disjoint, inside the county

    @property
    def union(self) -> shapely.Geometry:
        return shapely.union_all(np.array(list(self.polygons.values()), dtype=object))


def _meander(rng: np.random.Generator, a: np.ndarray, b: np.ndarray, wiggle: float, n: int = 96) -> np.ndarray:
    s = np.linspace(0.0, 1.0, n)
    d = b - a
    length = float(np.hypot(*d))
    normal = np.array([-d[1], d[0]]) / max(length, 1e-9)
    off = np.zeros(n)
    for j in range(1, 5):
        off += rng.normal(0.0, wiggle / j) * np.sin(j * np.pi * s + rng.uniform(0, 0.3))
    off += 0.15 * wiggle * np.sin(np.pi * s * rng.uniform(6, 14)) * np.sin(np.pi * s)
    return a + np.outer(s, d) + np.outer(off * length, normal)


def _boundary_point(ring: shapely.LineString, t: float) -> np.ndarray:
    return shapely.get_coordinates(shapely.line_interpolate_point(ring, t % 1.0, normalized=True))[0]


def _main_ring(county: shapely.Geometry) -> shapely.LineString:
    parts = shapely.get_parts(county)
    return shapely.get_exterior_ring(parts[np.argmax(shapely.area(parts))])


def river_lines(rng: np.random.Generator, county: shapely.Geometry) -> np.ndarray:
    ring = _main_ring(county)
    t0 = rng.uniform(0, 1)
    a = _boundary_point(ring, t0)
    b = _boundary_point(ring, t0 + rng.uniform(0.4, 0.6))
    centre = (a + b) / 2
    a, b = centre + (a - centre) * 1.08, centre + (b - centre) * 1.08
    main = shapely.LineString(_meander(rng, a, b, 0.07))
    area_km2 = shapely.area(county) / 1e6
    n_trib = int(np.clip(round(np.sqrt(area_km2) / 12.0), 1, 6))
    lines = [main]
    for p in random_points(rng, county, n_trib):
        q = shapely.get_coordinates(shapely.shortest_line(shapely.Point(p), main))[1]
        lines.append(shapely.LineString(_meander(rng, p, q, 0.1, 48)))
    return np.array(lines, dtype=object)


def spanning_tree(points: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """Edges of the Euclidean minimum spanning tree (Prim) of a few points: the county road network."""
    n = len(points)
    d = np.hypot(*(points[:, None, :] - points[None, :, :]).transpose(2, 0, 1))
    done = np.zeros(n, dtype=bool)
    done[0] = True
    best = d[0].copy()
    parent = np.zeros(n, dtype=int)
    edges = []
    for _ in range(n - 1):
        cand = np.where(done, np.inf, best)
        j = int(np.argmin(cand))
        edges.append((points[parent[j]], points[j]))
        done[j] = True
        closer = d[j] < best
        best = np.where(closer, d[j], best)
        parent = np.where(closer, j, parent)
    return edges


def _blob(rng: np.random.Generator, centre: np.ndarray, radius: float) -> shapely.Polygon:
    ang = np.linspace(0, 2 * np.pi, 48, endpoint=False)
    r = radius * (1 + 0.25 * np.sin(ang * rng.integers(2, 5) + rng.uniform(0, 6)) + 0.1 * rng.normal(size=48))
    return shapely.Polygon(np.column_stack([centre[0] + r * np.cos(ang), centre[1] + r * np.sin(ang)]))


def build_features(rng: np.random.Generator, county: shapely.Geometry, lines: np.ndarray, seat: np.ndarray,
                   township_seats: np.ndarray) -> Features:
    area_km2 = shapely.area(county) / 1e6
    width = np.full(len(lines), rng.uniform(14.0, 30.0))
    width[0] = float(np.clip(np.sqrt(area_km2) * 2.0, 40.0, 140.0))
    rivers = shapely.intersection(
        shapely.union_all(shapely.buffer(lines, width / 2, cap_style="flat", quad_segs=4)), county)
    n_res = int(np.clip(round(area_km2 / 700.0), 0, 4))
    blobs = [_blob(rng, p, rng.uniform(250.0, 900.0)) for p in random_points(rng, county, n_res)]
    reservoirs = shapely.difference(shapely.intersection(shapely.union_all(blobs), county), rivers) if blobs \
        else shapely.Polygon()
    roads = []
    for a, b in spanning_tree(np.vstack([seat[None, :], township_seats])):
        length = float(np.hypot(*(b - a)))
        if length < 300.0:
            continue
        mid = (a + b) / 2 + rng.normal(0, 0.06 * length, 2)
        roads.append(shapely.LineString([a, mid, b]))
    ring = _main_ring(county)
    t = rng.uniform(0, 1)
    roads.append(shapely.LineString([_boundary_point(ring, t), seat, _boundary_point(ring, t + 0.5)]))
    highway = shapely.union_all(shapely.buffer(np.array(roads, dtype=object), rng.uniform(8.0, 12.0),
                                               cap_style="flat", quad_segs=2))
    highway = shapely.difference(shapely.intersection(highway, county), shapely.union(rivers, reservoirs))
    polys = {RIVER: rivers, RESERVOIR: reservoirs, HIGHWAY: highway}
    return Features(lines, {k: v for k, v in polys.items() if not shapely.is_empty(v)})
