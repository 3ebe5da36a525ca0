"""Findings on land whose class did not change between the epochs (``change.Status``), for one county.

* Planting (``PatchKind.PLANTING``): farmland whose ZZSXDM took a value of ``change.PLANTING_TABLE`` (WG
  撂荒; FLS 非粮化, kept on PBF only after the PBF split) while its class stayed the same.
* Unrestored temporary use (``PatchKind.UNRESTORED``): land of class 1301 in both epochs, inside a permit
  that expired in the period (``status_rules.expired_in_period``), less the ground an approval still
  keeps lawful at the later epoch's date (``status_rules.keeps_temporary_lawful``).

Both follow the diff's pairing: parcels matched by geometry hash are compared row to row (their
geometries are read with the diff's own read); re-drawn parcels are overlaid, pieces of equal class
only, merged per later parcel, class and located-in unit like class changes.
``origin_farmland_m2`` gives an unrestored part's farmland area: the land's class at the latest epoch
before its permit was issued, where the workspace holds one; otherwise its class at the earlier epoch
of the run (1301, so none).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import shapely

from gengbao.adapters import monitor_io
from gengbao.domain.change import PLANTING_ATTRIBUTES, TEMPORARY_CODE, PatchKind
from gengbao.domain.land_classes import FARMLAND_CODES
from gengbao.domain.legality import Approval
from gengbao.domain.monitoring import epoch_date
from gengbao.domain.status_rules import expired_in_period, keeps_temporary_lawful
from gengbao.monitoring.model import PARCELS, ApprovalTable, Candidates, CountyTask, latest
from gengbao.spatial.area import ellipsoidal_area
from gengbao.spatial.diff import HashMatch, merge_pieces, polygonal_part
from gengbao.spatial.overlay import area_on

ATTRIBUTE = "ZZSXDM"


class Attributes:
    """ZZSXDM of one epoch's rows ("" where blank, or everywhere when the layer has no such field), read
    for the rows asked only; ``among`` tests every row in Arrow without building Python strings."""

    def __init__(self, table: pa.Table | None, rows: int) -> None:
        self.table = table if table is not None and ATTRIBUTE in table.column_names else None
        self.rows = rows

    def of(self, rows: np.ndarray) -> np.ndarray:
        if self.table is None or rows.size == 0:
            return np.full(rows.size, "", object)
        values = monitor_io.objects(self.table, ATTRIBUTE, rows.astype(np.int64))
        return np.where(pd.isna(values), "", values).astype(object)

    def among(self, values: frozenset[str]) -> np.ndarray:
        if self.table is None:
            return np.zeros(self.rows, bool)
        found = pc.is_in(self.table.column(ATTRIBUTE), value_set=pa.array(sorted(values), pa.string()))
        return np.asarray(pc.fill_null(found, False).to_numpy(zero_copy_only=False), dtype=bool)


@dataclass
class Selection:
    """Same-class candidates found without geometry: hash-matched pairs and re-drawn later parcels."""

    whole_before: np.ndarray  # rows of the earlier epoch (their geometries are needed)
    whole_after: np.ndarray
    whole_status: np.ndarray
    redrawn_after: np.ndarray  # positions in ``HashMatch.redrawn_after`` worth overlaying


def window_permits(task: CountyTask, approvals: ApprovalTable) -> np.ndarray:
    return np.array([i for i, a in enumerate(approvals.approvals)
                     if expired_in_period(a, task.period_start, task.period_end)], dtype=np.int64)


def select(m: HashMatch, bh: np.ndarray, ah: np.ndarray, bcls: np.ndarray, acls: np.ndarray, battr: Attributes,
           aattr: Attributes, unrestored: bool) -> Selection:
    want = aattr.among(PLANTING_ATTRIBUTES)
    if unrestored:
        want |= acls == TEMPORARY_CODE
    rows = np.flatnonzero(want)
    want[rows] = np.isin(acls[rows], (*FARMLAND_CODES, *((TEMPORARY_CODE,) if unrestored else ())))
    redrawn = np.zeros(len(ah), bool)
    redrawn[m.redrawn_after] = True
    a = np.flatnonzero(want & ~redrawn)
    if a.size:
        matched = np.ones(len(bh), bool)
        matched[m.redrawn_before] = False
        matched_b = np.flatnonzero(matched)
        b = matched_b[pd.Index(bh[matched_b]).get_indexer(ah[a])]
    else:
        b = np.empty(0, np.int64)
    same = bcls[b] == acls[a]
    planting = same & np.isin(acls[a], FARMLAND_CODES) & (battr.of(b) != aattr.of(a))
    temporary = same & unrestored & (acls[a] == TEMPORARY_CODE)
    keep = planting | temporary
    status = np.where(planting, PatchKind.PLANTING.value, PatchKind.UNRESTORED.value)[keep].astype(object)
    return Selection(b[keep].astype(np.int64), a[keep].astype(np.int64), status,
                     np.flatnonzero(want[m.redrawn_after]).astype(np.int64))


def _redrawn_pieces(m: HashMatch, sel: Selection, gb: np.ndarray, ga: np.ndarray, bcls: np.ndarray,
                    acls: np.ndarray, battr: Attributes, aattr: Attributes, bunit: np.ndarray,
                    unrestored: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(before row, after row, status, geometry) of merged same-class pieces of re-drawn parcels."""
    rb, ra = m.redrawn_before, m.redrawn_after[sel.redrawn_after]
    if ra.size == 0 or rb.size == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, object), np.empty(0, object)
    ga_sel = ga[sel.redrawn_after]
    qi, ti = shapely.STRtree(gb).query(ga_sel, predicate="intersects")
    b, a = rb[ti], ra[qi]
    after_attr = aattr.of(a)
    planting = (bcls[b] == acls[a]) & np.isin(acls[a], FARMLAND_CODES) & (battr.of(b) != after_attr) & \
        np.isin(after_attr, list(PLANTING_ATTRIBUTES))
    temporary = unrestored & (bcls[b] == TEMPORARY_CODE) & (acls[a] == TEMPORARY_CODE)
    ok = planting | temporary
    qi, ti, b, a, planting = qi[ok], ti[ok], b[ok], a[ok], planting[ok]
    pieces = polygonal_part(shapely.intersection(gb[ti], ga_sel[qi])) if qi.size else np.empty(0, object)
    real = ~shapely.is_empty(pieces) if qi.size else np.zeros(0, bool)
    status = np.where(planting, PatchKind.PLANTING.value, PatchKind.UNRESTORED.value).astype(object)
    b, a, status, pieces = b[real], a[real], status[real], pieces[real]
    keys = pd.Series(a).astype(str) + "|" + status + "|" + bcls[b] + "|" + bunit[ti[real]]
    firsts, merged = merge_pieces(keys.to_numpy(), pieces)
    return b[firsts], a[firsts], status[firsts], merged


def _lawful_cut(geometry: np.ndarray, status: np.ndarray, task: CountyTask, approvals: ApprovalTable,
                permits: np.ndarray) -> np.ndarray:
    """Unrestored land: the part inside a permit expired in the period and outside every lawful cover."""
    out = geometry.copy()
    rows = np.flatnonzero(status == PatchKind.UNRESTORED.value)
    if rows.size == 0:
        return out
    geoms = shapely.from_wkb(np.array(approvals.wkb, dtype=object))
    lawful = np.array([keeps_temporary_lawful(a, task.period_end) for a in approvals.approvals], dtype=bool)
    expired = np.zeros(len(geoms), bool)
    expired[permits] = True
    qi, ai = shapely.STRtree(geoms).query(geometry[rows], predicate="intersects")
    inner = np.empty(rows.size, dtype=object)
    for k in range(rows.size):
        mine = ai[qi == k]
        keep = shapely.intersection(geometry[rows[k]], shapely.union_all(geoms[mine[expired[mine]]]))
        inner[k] = shapely.difference(keep, shapely.union_all(geoms[mine[lawful[mine]]]))
    out[rows] = polygonal_part(inner)
    return out


def same_class_candidates(task: CountyTask, approvals: ApprovalTable, m: HashMatch, sel: Selection,
                          g_whole: np.ndarray, gb: np.ndarray, ga: np.ndarray, cols: dict[str, np.ndarray],
                          attrs: tuple[Attributes, Attributes], tables: tuple[pa.Table | None, pa.Table | None],
                          permits: np.ndarray) -> Candidates:
    """Candidates of ``PatchKind.PLANTING`` and ``PatchKind.UNRESTORED``. ``gb``/``ga`` are the geometries of the
    re-drawn parcels (in ``m``'s order), ``cols`` holds bcls, acls and bunit (the unit of the re-drawn
    earlier parcels), ``attrs`` the ZZSXDM of both epochs."""
    bcls, acls = cols["bcls"], cols["acls"]
    battr, aattr = attrs
    rb, ra, rs, rg = _redrawn_pieces(m, sel, gb, ga, bcls, acls, battr, aattr, cols["bunit"], permits.size > 0)
    b = np.concatenate([sel.whole_before, rb]).astype(np.int64)
    a = np.concatenate([sel.whole_after, ra]).astype(np.int64)
    status = np.concatenate([sel.whole_status, rs]).astype(object)
    geometry = _lawful_cut(np.concatenate([g_whole, rg]).astype(object), status, task, approvals, permits)
    tb, ta = tables
    n = b.size

    def col(table: pa.Table | None, name: str, rows: np.ndarray) -> np.ndarray:
        return monitor_io.objects(table, name, rows) if rows.size and table is not None else np.full(rows.size, "",
                                                                                                   object)
    return Candidates(geometry, bcls[b], acls[a], col(tb, "ZLDWDM", b), col(tb, "BSM", b), col(ta, "BSM", a),
                      np.full(n, "", object), np.full(n, task.period_end.toordinal(), np.int64), status,
                      np.where(status == PatchKind.PLANTING.value, aattr.of(a), "").astype(object))


def origin_farmland_m2(task: CountyTask, geometry: np.ndarray, area: np.ndarray,
                       permits: list[Approval | None]) -> np.ndarray:
    """Farmland area of unrestored parts: on farmland of the latest epoch before each part's permit was
    issued (0 where the workspace holds no such epoch, i.e. area on the run's earlier class, 1301)."""
    out = np.zeros(len(geometry))
    layers = Path(task.layers)
    epochs = monitor_io.epochs_of(layers, PARCELS)
    origin = np.array([latest([e for e in epochs if epoch_date(e) < p.issued], task.before_epoch)
                       if p is not None else None for p in permits], dtype=object)
    for e in sorted({int(x) for x in origin if x is not None}):
        if not monitor_io.has_partition(layers, PARCELS, e, task.county):
            continue
        cls = monitor_io.objects(monitor_io.read_table(layers, PARCELS, e, task.county, ("DLBM",)), "DLBM")
        farm = np.flatnonzero(np.isin(cls, FARMLAND_CODES))
        rows = np.flatnonzero(origin == e)
        farmland = monitor_io.read_geometries(layers, PARCELS, e, task.county, farm) if farm.size else \
            np.empty(0, object)
        out[rows] = np.minimum(area_on(geometry[rows], farmland, ellipsoidal_area, area[rows]), area[rows])
    return out
