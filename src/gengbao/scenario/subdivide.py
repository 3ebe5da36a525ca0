"""Subdivide blocks into cells by zone: fields with a farm road and canal, town lots with streets,
homestead lots, and whole (or 3×3 merged) blocks of natural cover.

Cells are bilinear sub-quads of their block, so they tile it; 3×3 groups of natural blocks become one
polygon through the group's outer grid vertices.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

from gengbao.scenario.blocks import ASPECT, Blocks
from gengbao.scenario.zones import FARMLAND, FRINGE, HAMLET, NATURAL, TOWN_COUNTY, TOWN_TOWNSHIP, Zoning

FIELD, FRINGE_FIELD, ROAD, CANAL, TOWN_ROAD, LOT, HOMESTEAD_LOT, NATURAL_CELL, FEATURE = range(9)
MERGE = 3


@dataclass
class Cells:
    geometry: np.ndarray
    block: np.ndarray  # block index (−1 for features)
    role: np.ndarray  # int8 role


def _rects(m: int, rows: int, road: float, canal: float, role: int, road_role: int,
           side_road: float = 0.0) -> list[tuple[float, float, float, float, int]]:
    out = [(0.0, 1.0, 0.0, road, road_role)] if road > 0 else []
    u0 = 0.0
    if canal > 0:
        out.append((0.0, canal, road, 1.0, CANAL))
        u0 = canal
    if side_road > 0:
        out.append((0.0, side_road, road, 1.0, road_role))
        u0 = side_road
    us = np.linspace(u0, 1.0, m + 1)
    vs = np.linspace(road, 1.0, rows + 1)
    for a in range(m):
        for b in range(rows):
            out.append((float(us[a]), float(us[a + 1]), float(vs[b]), float(vs[b + 1]), role))
    return out


def _bilinear(quads: np.ndarray, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Points at (u, v) of each quad: quads (n,4,2), u/v (k,) → (n, k, 2)."""
    p00, p10, p11, p01 = (quads[:, i, None, :] for i in range(4))
    u, v = u[None, :, None], v[None, :, None]
    return (1 - u) * (1 - v) * p00 + u * (1 - v) * p10 + u * v * p11 + (1 - u) * v * p01


def _cut(quads: np.ndarray, rects: list[tuple[float, float, float, float, int]]) -> tuple[np.ndarray, np.ndarray]:
    r = np.array([x[:4] for x in rects])
    us = np.stack([r[:, 0], r[:, 1], r[:, 1], r[:, 0], r[:, 0]], axis=1).ravel()
    vs = np.stack([r[:, 2], r[:, 2], r[:, 3], r[:, 3], r[:, 2]], axis=1).ravel()
    pts = _bilinear(quads, us, vs).reshape(len(quads) * len(rects), 5, 2)
    roles = np.tile(np.array([x[4] for x in rects], dtype=np.int8), len(quads))
    return shapely.polygons(pts), roles


def _merged_natural(blocks: Blocks, zoning: Zoning) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """3×3 groups of natural blocks of the same class → (polygons, representative block, merged mask)."""
    merged = np.zeros(len(blocks), dtype=bool)
    polys, reps = [], []
    nat = zoning.zone == NATURAL
    for g in blocks.grids:
        idx = np.flatnonzero((blocks.township == g.township) & nat)
        if len(idx) < MERGE * MERGE:
            continue
        gi, gj = blocks.gi[idx] // MERGE, blocks.gj[idx] // MERGE
        key = gi.astype(np.int64) * 1_000_003 + gj
        uniq, inverse, counts = np.unique(key, return_inverse=True, return_counts=True)
        full = counts[inverse] == MERGE * MERGE
        if not full.any():
            continue
        order = np.argsort(key[full], kind="stable")
        members = idx[full][order].reshape(-1, MERGE * MERGE)
        merged[members.ravel()] = True
        reps.append(members[:, 0])
        i0 = (blocks.gi[members[:, 0]] // MERGE) * MERGE
        j0 = (blocks.gj[members[:, 0]] // MERGE) * MERGE
        k = np.arange(MERGE)
        ring_i = np.concatenate([k, np.full(MERGE, MERGE), MERGE - k, np.zeros(MERGE + 1, dtype=int)])
        ring_j = np.concatenate([np.zeros(MERGE, dtype=int), k, np.full(MERGE, MERGE), MERGE - np.arange(MERGE + 1)])
        pts = g.vertices[i0[:, None] + ring_i[None, :], j0[:, None] + ring_j[None, :]]
        polys.append(shapely.polygons(pts))
    if not polys:
        return np.empty(0, dtype=object), np.empty(0, dtype=np.int64), merged
    return np.concatenate(polys), np.concatenate(reps), merged


def subdivide(rng: np.random.Generator, blocks: Blocks, zoning: Zoning, size: float) -> Cells:
    bu, bv = size * np.sqrt(ASPECT), size / np.sqrt(ASPECT)
    farm_road = float(np.clip(4.0 / bv, 0.004, 0.12))
    canal = float(np.clip(3.0 / bu, 0.003, 0.08))
    street = float(np.clip(10.0 / bv, 0.01, 0.15))
    geoms, block_ix, roles = [], [], []

    def emit(sel: np.ndarray, rects: list[tuple[float, float, float, float, int]]) -> None:
        if len(sel):
            g, r = _cut(blocks.quads[sel], rects)
            geoms.append(g)
            roles.append(r)
            block_ix.append(np.repeat(sel, len(rects)))

    zone = zoning.zone
    n = len(blocks)
    m = rng.integers(2, 7, n)
    rows = rng.integers(1, 3, n)
    lots = rng.integers(2, 4, n)
    has_canal = (blocks.gi % 2 == 0) & (rng.random(n) < 0.7)
    for mm in range(2, 7):
        for rr in (1, 2):
            for cc in (False, True):
                sel = np.flatnonzero((zone == FARMLAND) & (m == mm) & (rows == rr) & (has_canal == cc))
                emit(sel, _rects(mm, rr, farm_road, canal if cc else 0.0, FIELD, ROAD))
            sel = np.flatnonzero((zone == FRINGE) & (m == mm) & (rows == rr))
            emit(sel, _rects(max(mm - 2, 1), rr, farm_road, 0.0, FRINGE_FIELD, ROAD))
    for ll in (2, 3):
        sel = np.flatnonzero(np.isin(zone, (TOWN_COUNTY, TOWN_TOWNSHIP)) & (lots == ll))
        emit(sel, _rects(ll, 2, street, 0.0, LOT, TOWN_ROAD, side_road=street / ASPECT))
        sel = np.flatnonzero((zone == HAMLET) & (lots == ll))
        emit(sel, _rects(2, ll, farm_road, 0.0, HOMESTEAD_LOT, ROAD))
    big, reps, merged = _merged_natural(blocks, zoning)
    if len(big):
        geoms.append(big)
        roles.append(np.full(len(big), NATURAL_CELL, dtype=np.int8))
        block_ix.append(reps)
    emit(np.flatnonzero((zone == NATURAL) & ~merged), [(0.0, 1.0, 0.0, 1.0, NATURAL_CELL)])
    return Cells(np.concatenate(geoms), np.concatenate(block_ix).astype(np.int64), np.concatenate(roles))
