"""The base parcel table of a county: pieces with classes, slivers merged, in lon/lat with areas.

The table is a pandas DataFrame with one row per parcel and internal columns (lower case); the DLTB
fields are derived from it by ``attributes``. Columns:

geometry (lon/lat), village (index), group (村民小组 1..n), dlbm, czcs, grade (slope 1–5), u and w
(per-parcel uniforms for stable choices), score (farmland suitability), river_d (m), role, pbf,
zzsx, tbxh, tbmj (m², 2 dp), area (unrounded m²), bsm, tbbh.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from gengbao.scenario.assign import assign_classes
from gengbao.scenario.classes import DRY
from gengbao.scenario.frame import ellipsoidal_area, make_valid_polygons, packed, round_half_up
from gengbao.scenario.layout import Layout
from gengbao.scenario.subdivide import FEATURE
from gengbao.scenario.zones import HAMLET, TOWN_COUNTY, TOWN_TOWNSHIP

MIN_PIECE_M2 = 20.0  # pieces smaller than this (planar) join their longest-bordering neighbour
TINY_M2 = 1.0


def merge_slivers(geom: np.ndarray, village: np.ndarray, min_area: float = MIN_PIECE_M2,
                  passes: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """Merge tiny pieces into neighbours of the same village. → (geometry, indices of kept pieces)."""
    idx = np.arange(len(geom))
    for p in range(passes + 1):
        last = p == passes  # last resort for a crumb with no neighbour in its village: any neighbour
        geom, keep = _merge_once(geom, village[idx], TINY_M2 if last else min_area, same_village=not last)
        geom, idx = geom[keep], idx[keep]
    ok = shapely.area(geom) >= TINY_M2 / 100
    return geom[ok], idx[ok]


def _merge_once(geom: np.ndarray, village: np.ndarray, min_area: float, same_village: bool = True
                ) -> tuple[np.ndarray, np.ndarray]:
    area = shapely.area(geom)
    small = np.flatnonzero(area < min_area)
    keep = np.ones(len(geom), dtype=bool)
    if len(small) == 0:
        return geom, keep
    pairs = shapely.STRtree(geom).query(geom[small], predicate="intersects")
    s, t = small[pairs[0]], pairs[1]
    ok = (s != t) & ((village[s] == village[t]) | (not same_village)) & (area[t] >= min_area)
    s, t = s[ok], t[ok]
    # shared border, robust to vertices that differ in the last digits: area of a thin band along it
    shared = shapely.area(shapely.intersection(shapely.buffer(shapely.boundary(geom[s]), 0.05, quad_segs=1), geom[t]))
    ok = shared > 0
    s, t, shared = s[ok], t[ok], shared[ok]
    if len(s) == 0:
        return geom, keep
    order = np.lexsort((-shared, s))
    s, t = s[order], t[order]
    first = np.r_[True, s[1:] != s[:-1]]
    s, t = s[first], t[first]
    geom = geom.copy()
    order = np.argsort(t, kind="stable")
    s, t = s[order], t[order]
    bounds = np.flatnonzero(np.r_[True, t[1:] != t[:-1], True])
    for a, b in zip(bounds[:-1], bounds[1:], strict=True):
        target = t[a]
        geom[target] = shapely.union_all(np.concatenate([[geom[target]], geom[s[a:b]]]))
    keep[s] = False
    return geom, keep


def _groups(layout: Layout, geom: np.ndarray, village: np.ndarray) -> np.ndarray:
    seats = np.array([v.seat for v in layout.villages])
    n_groups = np.array([int(np.clip(3 + shapely.area(v.geometry) / 1e6 * 1.5, 3, 12)) for v in layout.villages])
    c = shapely.get_coordinates(shapely.centroid(geom))
    d = c - seats[village]
    ang = (np.arctan2(d[:, 1], d[:, 0]) + np.pi) / (2 * np.pi)
    return (np.minimum((ang * n_groups[village]).astype(np.int64), n_groups[village] - 1) + 1).astype(np.int16)


def _town_distance(layout: Layout, geom: np.ndarray, block: np.ndarray) -> np.ndarray:
    """Distance (m) to the nearest settlement block (towns and hamlets): per block, then per piece
    (features, which have no block, get their own)."""
    towns = np.isin(layout.zoning.zone, (TOWN_COUNTY, TOWN_TOWNSHIP, HAMLET))
    pts = layout.blocks.centroids[towns] if towns.any() else np.array([t.seat for t in layout.townships])
    tree = shapely.STRtree(shapely.points(pts))

    def nearest(xy: np.ndarray) -> np.ndarray:
        idx, dist = tree.query_nearest(shapely.points(xy), return_distance=True, all_matches=False)
        out = np.zeros(len(xy))
        out[idx[0]] = dist
        return out

    per_block = nearest(layout.blocks.centroids)
    out = per_block[np.maximum(block, 0)]
    own = block < 0
    if own.any():
        out[own] = nearest(shapely.get_coordinates(shapely.centroid(geom[own])))
    return out


def _to_lonlat(layout: Layout, geom: np.ndarray, step: int = 200_000) -> tuple[np.ndarray, np.ndarray]:
    """Planar pieces → lon/lat polygons (WKB, see ``frame.packed``) and their ellipsoidal areas, ``step``
    pieces at a time; each planar slice is released from ``geom`` once converted, so the county is never
    held twice plus densified copies. Per-polygon operations: the result does not depend on ``step`` (and
    no slice is so small that the area method changes)."""
    bounds = np.linspace(0, len(geom), max(1, -(-len(geom) // step)) + 1).astype(np.int64)
    lonlat, area = [], []
    for a, b in zip(bounds[:-1], bounds[1:], strict=True):
        part = make_valid_polygons(layout.frame.to_lonlat(geom[a:b]))
        geom[a:b] = None
        area.append(ellipsoidal_area(part))
        lonlat.append(packed(part))
    return np.concatenate(lonlat), np.concatenate(area)


def base_table(rng: np.random.Generator, layout: Layout) -> pd.DataFrame:
    """The table of the layout's pieces; the layout's planar pieces are consumed (``layout.pieces`` is
    left empty) so that the planar and the lon/lat county are not held at the same time."""
    pieces = layout.pieces
    dlbm, czcs = assign_classes(rng, pieces, layout.zoning)
    geom, keep = merge_slivers(pieces.geometry, pieces.village)
    layout.pieces = pieces.emptied()
    block, role, village = pieces.block[keep], pieces.role[keep], pieces.village[keep]
    del pieces
    group = _groups(layout, geom, village)
    town_d = _town_distance(layout, geom, block)
    lonlat, area = _to_lonlat(layout, geom)
    del geom
    sound = area >= 0.01  # a needle that collapsed in projection has no area: nothing to keep
    keep, lonlat, area, block, village = keep[sound], lonlat[sound], area[sound], block[sound], village[sound]
    blk = np.maximum(block, 0)
    is_block = block >= 0
    zoning = layout.zoning
    n = len(lonlat)
    score = np.where(is_block, zoning.score[blk], -np.inf)
    df = pd.DataFrame({
        "geometry": lonlat,
        "village": village,
        "group": group[sound],
        "dlbm": dlbm[keep],
        "czcs": czcs[keep],
        "grade": np.where(is_block, zoning.grade[blk], 1).astype(np.int8),
        "u": rng.random(n),
        "w": rng.random(n),
        "score": score + 0.01 * rng.random(n),
        "river_d": np.where(is_block, zoning.sample.river_distance[blk], 0.0),
        "role": role[sound],
        "zone": np.where(is_block, zoning.zone[blk], -1).astype(np.int8),
        "fcls": np.where(is_block, zoning.field_class[blk], DRY).astype(object),
        "town_d": town_d[sound],
        "pbf": np.zeros(n, dtype=bool),
        "zzsx": np.full(n, None, dtype=object),
        "tbxh": np.full(n, None, dtype=object),
        "area": area,
        "tbmj": round_half_up(area),
    })
    df.loc[df["role"] == FEATURE, "score"] = -np.inf
    return df
