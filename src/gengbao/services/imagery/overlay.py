"""Candidates overlaid like monitoring patches: farmland and PBF area (ellipsoidal m², on the survey epoch
the change is measured against), the farmland class taken (largest share), and prejudged legality against the
workspace's approvals (the approval covering the largest part of a candidate, when it covers at least half)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import shapely

from gengbao.adapters import approvals_io, layer_store
from gengbao.adapters.monitor_io import epochs_of
from gengbao.domain.change import UNKNOWN_CLASS
from gengbao.domain.land_classes import FARMLAND_CODES
from gengbao.domain.legality import Approval, ApprovalKind, Cover, Legality, prejudge
from gengbao.services.workspace import Workspace
from gengbao.spatial.area import ellipsoidal_area
from gengbao.spatial.overlay import area_on, intersections

WATER_CLASS = "1104"


@dataclass(frozen=True, slots=True)
class Reference:
    epoch: int
    farmland: np.ndarray  # geometries (EPSG:4490)
    farmland_class: np.ndarray
    pbf: np.ndarray
    approvals: tuple[Approval, ...]
    approval_geoms: np.ndarray


def reference(ws: Workspace, epoch: int, near: tuple[float, float, float, float]) -> Reference:
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
        rows = approvals_io.load_for_monitoring(s)
    kinds = {k.value: k for k in ApprovalKind}
    rows = [r for r in rows if r[8] >= near[0] and r[6] <= near[2] and r[9] >= near[1] and r[7] <= near[3]]
    approvals = tuple(Approval(r[0], kinds[r[1]], r[2], r[3], r[4]) for r in rows)
    geoms = shapely.from_wkb(np.array([r[5] for r in rows], dtype=object)) if rows else np.empty(0, object)
    return Reference(epoch, farm.geometry.to_numpy(), farm["DLBM"].astype(str).to_numpy(), pbf, approvals, geoms)


@dataclass(frozen=True, slots=True)
class Overlaid:
    area_m2: np.ndarray
    farmland_m2: np.ndarray
    pbf_m2: np.ndarray
    from_class: np.ndarray
    approval: np.ndarray
    legality: np.ndarray


def _largest(n: int, pi: np.ndarray, li: np.ndarray, areas: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per part: the layer index with the largest piece (−1 when none) and that piece's area."""
    best, best_area = np.full(n, -1, np.int64), np.zeros(n)
    if pi.size:
        order = np.lexsort((-areas, pi))
        first = np.r_[True, pi[order][1:] != pi[order][:-1]]
        best[pi[order][first]] = li[order][first]
        best_area[pi[order][first]] = areas[order][first]
    return best, best_area


def overlay(geoms: np.ndarray, after_class: np.ndarray, ref: Reference, period_end: date) -> Overlaid:
    n = len(geoms)
    area = ellipsoidal_area(geoms) if n else np.empty(0)
    pi, li, pieces = intersections(geoms, ref.farmland)
    piece_area = ellipsoidal_area(pieces) if len(pieces) else np.empty(0)
    farm_m2 = np.bincount(pi, weights=piece_area, minlength=n)[:n] if n else np.empty(0)
    best, _ = _largest(n, pi, li, piece_area)
    frm = np.where(best >= 0, ref.farmland_class[np.maximum(best, 0)] if len(ref.farmland_class) else "", "")
    pbf_m2 = np.minimum(area_on(geoms, ref.pbf, ellipsoidal_area, area), area) if n else np.empty(0)
    ai, aj, apieces = intersections(geoms, ref.approval_geoms)
    cov, cov_area = _largest(n, ai, aj, ellipsoidal_area(apieces) if len(apieces) else np.empty(0))
    legal, approval = [], []
    for i in range(n):
        c = int(cov[i]) if cov[i] >= 0 and cov_area[i] >= 0.5 * area[i] else -1
        approval.append(ref.approvals[c].id if c >= 0 else None)
        if not frm[i]:
            legal.append(Legality.NOT_APPLICABLE.value)
            continue
        cover = Cover(ref.approvals[c]) if c >= 0 else None
        legal.append(prejudge(str(frm[i]), str(after_class[i]), bool(pbf_m2[i] >= 0.5 * area[i]), cover,
                              period_end).value)
    return Overlaid(area, farm_m2, pbf_m2, frm.astype(object), np.array(approval, dtype=object),
                    np.array(legal, dtype=object))


def after_class_of(change_codes: np.ndarray) -> np.ndarray:
    """The class after, as monitoring names it: water → 1104 坑塘, built-up/bare → unknown (suspected construction)."""
    return np.where(change_codes == "water", WATER_CLASS, UNKNOWN_CLASS).astype(object)
