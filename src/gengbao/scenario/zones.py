"""Land-use zones of blocks: towns around seats, hamlets, farmland in plains and valleys, a restorable
fringe, and natural cover on the hills. Zones are decided on smooth fields, so they are contiguous.

Farmland blocks are the best-scoring (low, flat) blocks whose estimated net farmland area reaches the
county's target; the exact figure is reached later, parcel by parcel (``calibration``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

from gengbao.scenario.blocks import Blocks
from gengbao.scenario.classes import DEFAULT_KCXS, DRY, IRRIGATED, PADDY
from gengbao.scenario.landscape import Palette
from gengbao.scenario.regions import Township, Village
from gengbao.scenario.terrain import TerrainSample, slope_grade

NATURAL, FARMLAND, FRINGE, TOWN_COUNTY, TOWN_TOWNSHIP, HAMLET = range(6)
FIELD_NET = 0.93  # share of a farmland block left to fields after roads, canals, ponds, facilities
OVERSHOOT = 0.01
FRINGE_SHARE = 0.06
URBAN_TOWNSHIP_SHARE = 0.6
URBAN_TOWNSHIP_MAX_M2 = 6e6  # built-up core of one 街道 at most
HAMLET_SHARE = 0.03


@dataclass
class Zoning:
    zone: np.ndarray  # int8 per block
    natural_class: np.ndarray  # DLBM for NATURAL / FRINGE blocks
    field_class: np.ndarray  # DLBM for fields of FARMLAND / FRINGE blocks when farmland
    score: np.ndarray  # farmland suitability (higher is better)
    grade: np.ndarray  # slope grade 1–5
    sample: TerrainSample


def _weighted_classes(values: np.ndarray, weights: dict[str, float]) -> np.ndarray:
    codes = list(weights)
    w = np.array([weights[c] for c in codes], dtype=np.float64)
    edges = np.quantile(values, np.cumsum(w / w.sum())[:-1]) if len(values) else np.array([])
    return np.array(codes, dtype=object)[np.searchsorted(edges, values)]


def _settlements(blocks: Blocks, sample: TerrainSample, townships: list[Township], villages: list[Village],
                 palette: Palette, seat: np.ndarray) -> np.ndarray:
    xy = blocks.centroids
    wobble = 1.0 + 0.3 * np.tanh(sample.detail)
    zone = np.full(len(blocks), NATURAL, dtype=np.int8)
    any_urban = any(t.urban for t in townships)
    for t, tw in enumerate(townships):
        m = blocks.township == t
        n = int(tw.code[6:9])
        share = URBAN_TOWNSHIP_SHARE if tw.urban else palette.town_share * (1.0 if n < 200 else 0.5)
        built = share * shapely.area(tw.geometry)
        r = np.sqrt((min(built, URBAN_TOWNSHIP_MAX_M2) if tw.urban else built) / np.pi)
        d = np.hypot(*(xy[m] - tw.seat).T) * wobble[m]
        county_level = tw.urban or (not any_urban and shapely.contains_xy(tw.geometry, seat[0], seat[1]))
        zone[np.flatnonzero(m)[d < r]] = TOWN_COUNTY if county_level else TOWN_TOWNSHIP
    hamlets = np.vstack([v.hamlets for v in villages])
    radius = np.concatenate([
        np.full(len(v.hamlets), np.sqrt(HAMLET_SHARE * shapely.area(v.geometry) / len(v.hamlets) / np.pi))
        for v in villages
    ])
    idx, dist = shapely.STRtree(shapely.points(hamlets)).query_nearest(
        shapely.points(xy), return_distance=True, all_matches=False)
    near = np.zeros(len(blocks), dtype=bool)
    near[idx[0]] = dist * wobble[idx[0]] < radius[idx[1]]
    zone[near & (zone == NATURAL)] = HAMLET
    return zone


def kcxs_estimate(grade: np.ndarray) -> np.ndarray:
    table = DEFAULT_KCXS["PD"]
    return np.array([0.0] + [table[g] for g in range(1, 6)])[grade]


def decide_zones(blocks: Blocks, sample: TerrainSample, overlap: np.ndarray, townships: list[Township],
                 villages: list[Village], palette: Palette, seat: np.ndarray, target_m2: float) -> Zoning:
    zone = _settlements(blocks, sample, townships, villages, palette, seat)
    grade = slope_grade(sample.slope_deg)
    z = sample.elevation
    spread = float(np.std(z)) or 1.0
    score = -(z - np.median(z)) / spread - 0.04 * sample.slope_deg + 0.2 * sample.detail
    land = np.maximum(blocks.area_in - overlap, 0.0)
    est = land * FIELD_NET * (1.0 - kcxs_estimate(grade))
    cand = np.flatnonzero(zone == NATURAL)
    order = cand[np.argsort(-score[cand], kind="stable")]
    cum = np.cumsum(est[order])
    k = min(int(np.searchsorted(cum, target_m2 * (1.0 + OVERSHOOT))) + 1, len(order))
    zone[order[:k]] = FARMLAND
    rest = order[k:]
    fringe_cum = np.cumsum(land[rest] * FIELD_NET)
    kf = min(int(np.searchsorted(fringe_cum, FRINGE_SHARE * target_m2)) + 1, len(rest))
    zone[rest[:kf]] = FRINGE
    natural_class = np.full(len(blocks), "", dtype=object)
    nat = zone == NATURAL
    natural_class[nat] = _weighted_classes(sample.cover[nat], palette.natural)
    fr = zone == FRINGE
    natural_class[fr] = _weighted_classes(sample.cover[fr], palette.fringe)
    field_class = np.full(len(blocks), DRY, dtype=object)
    flat = grade <= 2
    if palette.paddy:
        field_class[flat | (sample.detail > 0.8)] = PADDY
    if palette.irrigated:
        field_class[flat & (sample.river_distance < 8000.0)] = IRRIGATED
    return Zoning(zone, natural_class, field_class, score, grade, sample)
