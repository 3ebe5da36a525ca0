"""Land class (DLBM) and settlement attribute (CZCSXM) of each parcel piece, from its role and zone."""

from __future__ import annotations

import numpy as np

from gengbao.scenario.classes import CANAL as CANAL_CLASS
from gengbao.scenario.classes import FACILITY, POND, RURAL_ROAD, TOWN_ROAD
from gengbao.scenario.clip import Pieces
from gengbao.scenario.landscape import COUNTY_TOWN, CZCSXM, HAMLET, TOWNSHIP_TOWN
from gengbao.scenario.subdivide import (
    CANAL,
    FEATURE,
    FIELD,
    FRINGE_FIELD,
    HOMESTEAD_LOT,
    LOT,
    NATURAL_CELL,
    ROAD,
)
from gengbao.scenario.subdivide import TOWN_ROAD as TOWN_ROAD_ROLE
from gengbao.scenario.zones import HAMLET as HAMLET_ZONE
from gengbao.scenario.zones import TOWN_COUNTY, TOWN_TOWNSHIP, Zoning

POND_SHARE = 0.03
FACILITY_SHARE = 0.008
ADJUSTABLE_SHARE = 0.3  # fringe 园/林 parcels recorded as K (可调整) classes
ADJUSTABLE = {"0201": "0201K", "0204": "0204K", "0301": "0301K", "0307": "0307K"}


def _draw(rng: np.random.Generator, weights: dict[str, float], n: int) -> np.ndarray:
    codes = np.array(list(weights), dtype=object)
    p = np.array(list(weights.values()), dtype=np.float64)
    return codes[rng.choice(len(codes), size=n, p=p / p.sum())]


def assign_classes(rng: np.random.Generator, pieces: Pieces, zoning: Zoning) -> tuple[np.ndarray, np.ndarray]:
    """→ (DLBM, CZCSXM) per piece ("" where CZCSXM does not apply)."""
    n = len(pieces.geometry)
    role = pieces.role
    blk = np.maximum(pieces.block, 0)
    zone = np.where(pieces.block >= 0, zoning.zone[blk], -1)
    dlbm = np.full(n, "", dtype=object)
    feat = role == FEATURE
    dlbm[feat] = pieces.feature_class[feat]
    dlbm[role == ROAD] = RURAL_ROAD
    dlbm[role == CANAL] = CANAL_CLASS
    dlbm[role == TOWN_ROAD_ROLE] = TOWN_ROAD
    u = rng.random(n)
    field = role == FIELD
    dlbm[field] = zoning.field_class[blk[field]]
    dlbm[field & (u < POND_SHARE)] = POND
    dlbm[field & (u >= POND_SHARE) & (u < POND_SHARE + FACILITY_SHARE)] = FACILITY
    nat = (role == NATURAL_CELL) | (role == FRINGE_FIELD)
    dlbm[nat] = zoning.natural_class[blk[nat]]
    fringe = role == FRINGE_FIELD
    k = fringe & (u < ADJUSTABLE_SHARE)
    dlbm[k] = [ADJUSTABLE.get(c, c) for c in dlbm[k]]
    for z, palette in ((TOWN_COUNTY, COUNTY_TOWN), (TOWN_TOWNSHIP, TOWNSHIP_TOWN)):
        sel = (role == LOT) & (zone == z)
        dlbm[sel] = _draw(rng, palette, int(sel.sum()))
    sel = role == HOMESTEAD_LOT
    dlbm[sel] = _draw(rng, HAMLET, int(sel.sum()))
    czcs = np.full(n, "", dtype=object)
    built = np.isin(role, (LOT, TOWN_ROAD_ROLE, HOMESTEAD_LOT)) | ((role == ROAD) & (zone == HAMLET_ZONE))
    czcs[built & (zone == TOWN_COUNTY)] = CZCSXM["county"]
    czcs[built & (zone == TOWN_TOWNSHIP)] = CZCSXM["township"]
    czcs[built & (zone == HAMLET_ZONE)] = CZCSXM["hamlet"]
    return dlbm, czcs
