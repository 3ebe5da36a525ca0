"""Field blocks: a jittered, rotated quad grid per township (planar frame).

Blocks share their corner vertices, so they tile the plane exactly; each township gets its own grid
orientation, as field systems do. Blocks are later given a zone and subdivided into parcels.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

JITTER = 0.16
ASPECT = 1.35  # block length / width


@dataclass
class TownshipGrid:
    township: int
    vertices: np.ndarray  # (nx + 1, ny + 1, 2) planar
    cells_i: np.ndarray  # grid column of each kept block
    cells_j: np.ndarray  # grid row of each kept block


@dataclass
class Blocks:
    quads: np.ndarray  # (n, 4, 2): p00, p10, p11, p01
    township: np.ndarray
    gi: np.ndarray
    gj: np.ndarray
    inside: np.ndarray  # wholly inside the township
    area_in: np.ndarray  # planar area inside the township
    grids: list[TownshipGrid]

    @property
    def centroids(self) -> np.ndarray:
        return self.quads.mean(axis=1)

    def __len__(self) -> int:
        return len(self.quads)


def quad_polygons(quads: np.ndarray) -> np.ndarray:
    return shapely.polygons(np.concatenate([quads, quads[:, :1]], axis=1))


def _grid(rng: np.random.Generator, geom: shapely.Geometry, size: float, angle: float) -> np.ndarray:
    bu, bv = size * np.sqrt(ASPECT), size / np.sqrt(ASPECT)
    c = np.array(shapely.get_coordinates(shapely.centroid(geom))[0])
    rot = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    local = (shapely.get_coordinates(geom) - c) @ rot  # rotate by -angle
    lo, hi = local.min(axis=0), local.max(axis=0)
    nx = int(np.ceil((hi[0] - lo[0]) / bu)) + 1
    ny = int(np.ceil((hi[1] - lo[1]) / bv)) + 1
    u = lo[0] - 0.5 * bu + np.arange(nx + 1) * bu
    v = lo[1] - 0.5 * bv + np.arange(ny + 1) * bv
    uu, vv = np.meshgrid(u, v, indexing="ij")
    uu = uu + rng.uniform(-JITTER, JITTER, uu.shape) * bu
    vv = vv + rng.uniform(-JITTER, JITTER, vv.shape) * bv
    pts = np.stack([uu, vv], axis=-1) @ rot.T + c
    return pts


def township_blocks(rng: np.random.Generator, geom: shapely.Geometry, size: float, township: int
                    ) -> tuple[TownshipGrid, np.ndarray, np.ndarray, np.ndarray]:
    """Blocks of one township: grid, quads (n,4,2), inside flags, area inside the township."""
    angle = float(rng.uniform(0.0, np.pi / 2))
    verts = _grid(rng, geom, size, angle)
    nx, ny = verts.shape[0] - 1, verts.shape[1] - 1
    ii, jj = np.meshgrid(np.arange(nx), np.arange(ny), indexing="ij")
    ii, jj = ii.ravel(), jj.ravel()  # type: ignore[assignment]
    quads = np.stack([verts[ii, jj], verts[ii + 1, jj], verts[ii + 1, jj + 1], verts[ii, jj + 1]], axis=1)
    polys = quad_polygons(quads)
    tree = shapely.STRtree(polys)
    shapely.prepare(geom)
    hit = np.sort(tree.query(geom, predicate="intersects"))
    inside_idx = tree.query(geom, predicate="contains_properly")
    inside = np.isin(hit, inside_idx)
    area = shapely.area(polys[hit])
    edge = ~inside
    if edge.any():
        area[edge] = shapely.area(shapely.intersection(polys[hit[edge]], geom))
    keep = area > 0
    hit, inside, area = hit[keep], inside[keep], area[keep]
    grid = TownshipGrid(township, verts, ii[hit], jj[hit])
    return grid, quads[hit], inside, area


def build_blocks(rng: np.random.Generator, townships: list[shapely.Geometry], size: float) -> Blocks:
    grids, quads, tws, gi, gj, inside, area = [], [], [], [], [], [], []
    for t, geom in enumerate(townships):
        grid, q, ins, a = township_blocks(rng, geom, size, t)
        grids.append(grid)
        quads.append(q)
        tws.append(np.full(len(q), t, dtype=np.int32))
        gi.append(grid.cells_i)
        gj.append(grid.cells_j)
        inside.append(ins)
        area.append(a)
    return Blocks(np.concatenate(quads), np.concatenate(tws), np.concatenate(gi), np.concatenate(gj),
                  np.concatenate(inside), np.concatenate(area), grids)


def feature_overlap(blocks: Blocks, features: shapely.Geometry) -> np.ndarray:
    """Planar area of each block covered by the county's features (rivers, reservoirs, highways)."""
    out = np.zeros(len(blocks))
    if shapely.is_empty(features):
        return out
    polys = quad_polygons(blocks.quads)
    parts = shapely.get_parts(features)
    tree = shapely.STRtree(polys)
    pairs = tree.query(parts, predicate="intersects")
    if pairs.shape[1]:
        a = shapely.area(shapely.intersection(polys[pairs[1]], parts[pairs[0]]))
        np.add.at(out, pairs[1], a)
    return np.minimum(out, blocks.area_in)
