"""Candidates overlaid like monitoring patches: split by the approvals that may cover them (latest first), each
part with its farmland and PBF area (ellipsoidal m², on the survey epoch the change is measured against), the
farmland class it takes (largest share), and its prejudged legality (``gengbao.domain.legality.prejudge``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import shapely

from gengbao.adapters import layer_store
from gengbao.adapters.db import approvals_store
from gengbao.adapters.monitor_io import epochs_of
from gengbao.domain.change import UNKNOWN_CLASS
from gengbao.domain.land_classes import FARMLAND_CODES
from gengbao.domain.legality import Approval, ApprovalKind, Cover, Legality, prejudge
from gengbao.services.context import Context
from gengbao.spatial.area import ellipsoidal_area
from gengbao.spatial.crs import from_cgcs2000, to_cgcs2000
from gengbao.spatial.overlay import area_on, intersections, split_by_covers

WATER_CLASS = "1104"


@dataclass(frozen=True, slots=True)
class Reference:
    epoch: int
    farmland: np.ndarray  # geometries (EPSG:4490)
    farmland_class: np.ndarray
    pbf: np.ndarray
    approvals: tuple[Approval, ...]
    approval_geoms: np.ndarray


def reference(ws: Context, epoch: int, near: tuple[float, float, float, float]) -> Reference:
    """Farmland parcels of ``epoch``, PBF (latest layer not after it) and approvals, near an extent (lon/lat)."""
    parcels = layer_store.read_dataset(ws.layout.layers, "parcels", epoch, columns=["DLBM"])
    parcels = parcels.cx[near[0]:near[2], near[1]:near[3]]
    farm = parcels[parcels["DLBM"].isin(FARMLAND_CODES)]
    years = [e for e in epochs_of(ws.layout.layers, "pbf") if e <= epoch] or epochs_of(ws.layout.layers, "pbf")[:1]
    pbf = np.empty(0, object)
    if years:
        p = layer_store.read_dataset(ws.layout.layers, "pbf", years[-1], columns=[])
        pbf = p.cx[near[0]:near[2], near[1]:near[3]].geometry.to_numpy()
    with ws.sessions() as s:
        rows = approvals_store.load_for_monitoring(s)
    kinds = {k.value: k for k in ApprovalKind}
    rows = [r for r in rows if r[8] >= near[0] and r[6] <= near[2] and r[9] >= near[1] and r[7] <= near[3]]
    approvals = tuple(Approval(r[0], kinds[r[1]], r[2], r[3], r[4]) for r in rows)
    geoms = shapely.from_wkb(np.array([r[5] for r in rows], dtype=object)) if rows else np.empty(0, object)
    return Reference(epoch, farm.geometry.to_numpy(), farm["DLBM"].astype(str).to_numpy(), pbf, approvals, geoms)


@dataclass(frozen=True, slots=True)
class Overlaid:
    """Parts of candidates (split by the approvals that may cover them, as monitoring does): ``source`` indexes
    the candidates; each part is measured and judged on its own."""

    source: np.ndarray
    geometry: np.ndarray
    area_m2: np.ndarray
    farmland_m2: np.ndarray
    pbf_m2: np.ndarray
    from_class: np.ndarray
    approval: np.ndarray
    legality: np.ndarray


SLIVER_M2 = 10.0  # parts smaller than this (pixel edges against approval outlines) are dropped


def _largest(n: int, pi: np.ndarray, li: np.ndarray, areas: np.ndarray) -> np.ndarray:
    """Per part: the layer index with the largest piece (−1 when none)."""
    best = np.full(n, -1, np.int64)
    if pi.size:
        order = np.lexsort((-areas, pi))
        first = np.r_[True, pi[order][1:] != pi[order][:-1]]
        best[pi[order][first]] = li[order][first]
    return best


def _split(grid_geoms: np.ndarray, epsg: int, pixel: float, ref: Reference) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Split in the grid's CRS, with each approval grown by half a pixel diagonal: a candidate's outline follows
    pixel edges, so it may overrun the approval's vector outline by that much without being a separate part."""
    n = len(grid_geoms)
    if len(ref.approval_geoms) == 0 or n == 0:
        parts = to_cgcs2000(grid_geoms, epsg) if n else np.empty(0, object)
        return np.arange(n), np.full(n, -1, np.int64), parts
    covers = shapely.buffer(from_cgcs2000(ref.approval_geoms, epsg), pixel * np.sqrt(0.5), quad_segs=2)
    qi, ai = shapely.STRtree(covers).query(grid_geoms, predicate="intersects")
    issued = np.array([a.issued.toordinal() for a in ref.approvals], dtype=np.int64)
    order = np.lexsort((ai, -issued[ai], qi))  # the latest approval first
    src, cover, parts = split_by_covers(grid_geoms, covers, qi[order].astype(np.int64), ai[order].astype(np.int64))
    keep = shapely.area(parts) >= SLIVER_M2 if len(parts) else np.zeros(0, bool)
    return src[keep], cover[keep], to_cgcs2000(parts[keep], epsg)


def overlay(grid_geoms: np.ndarray, epsg: int, pixel: float, after_class: np.ndarray, ref: Reference,
            period_end: date) -> Overlaid:
    """``grid_geoms``: candidates in the grid's CRS (EPSG ``epsg``); parts come back in EPSG:4490."""
    src, cover, parts = _split(grid_geoms, epsg, pixel, ref)
    n = len(parts)
    area = ellipsoidal_area(parts) if n else np.empty(0)
    pi, li, pieces = intersections(parts, ref.farmland)
    piece_area = ellipsoidal_area(pieces) if len(pieces) else np.empty(0)
    farm_m2 = np.bincount(pi, weights=piece_area, minlength=n)[:n] if n else np.empty(0)
    best = _largest(n, pi, li, piece_area)
    frm = np.where(best >= 0, ref.farmland_class[np.maximum(best, 0)] if len(ref.farmland_class) else "", "")
    pbf_m2 = np.minimum(area_on(parts, ref.pbf, ellipsoidal_area, area), area) if n else np.empty(0)
    legal = []
    for i in range(n):
        if not frm[i]:
            legal.append(Legality.NOT_APPLICABLE.value)
            continue
        c = Cover(ref.approvals[int(cover[i])]) if cover[i] >= 0 else None
        legal.append(prejudge(str(frm[i]), str(after_class[src[i]]), bool(pbf_m2[i] >= 0.5 * area[i]), c,
                              period_end).value)
    approval = np.array([ref.approvals[int(c)].id if c >= 0 else None for c in cover], dtype=object)
    return Overlaid(src, parts, area, farm_m2, pbf_m2, frm.astype(object), approval, np.array(legal, dtype=object))


def after_class_of(change_codes: np.ndarray) -> np.ndarray:
    """The class after, as monitoring names it: water → 1104 坑塘, built-up/bare → unknown (suspected construction)."""
    return np.where(change_codes == "water", WATER_CLASS, UNKNOWN_CLASS).astype(object)
