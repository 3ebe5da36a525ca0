"""One county of a monitoring run: the function Dask workers call (``run_county``), also used in process.

Counties are independent (DESIGN.md §3): a task names the layer store, the county and the epochs; the
worker reads its own partitions, so only small arguments and the resulting patches cross the wire.
Steps and their timers: read (attribute columns, then geometries of changed rows only), diff (hash
match, overlay of re-drawn parcels, merge), area (ellipsoidal), overlay (PBF split of PBF-sensitive
patches, approvals split, PBF/redline areas), judge (classification and prejudgment, from the domain
tables, once per distinct case).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import shapely

from gengbao.adapters import monitor_io
from gengbao.domain import change
from gengbao.domain.land_classes import LegalCategory
from gengbao.domain.legality import KIND_PRIORITY, Approval, Cover, accepted_kinds, prejudge
from gengbao.spatial.area import ellipsoidal_area
from gengbao.spatial.diff import intersect_redrawn, match_by_hash, merge_pieces
from gengbao.spatial.overlay import area_on, intersections, split_by_covers, split_inside

PARCELS, PBF, REDLINE = "parcels", "pbf", "redline"
AREA_COLUMNS = ("area_m2", "farmland_m2", "pbf_m2", "agricultural_m2", "unused_m2", "redline_m2")


@dataclass(frozen=True, slots=True)
class ApprovalTable:
    approvals: tuple[Approval, ...] = ()
    wkb: tuple[bytes, ...] = ()


@dataclass(frozen=True, slots=True)
class Delivered:
    """Delivered patches (卫片执法图斑): id, polygon, dates before/after, class after ("" unknown)."""

    ids: tuple[str, ...]
    wkb: tuple[bytes, ...]
    before: tuple[date, ...]
    after: tuple[date, ...]
    to_class: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CountyTask:
    layers: str
    county: str
    before_epoch: int | None  # None: delivered patches, judged against ``after_epoch``'s parcels
    after_epoch: int
    pbf_epoch: int | None
    redline_epoch: int | None
    period_start: date
    period_end: date
    min_area_m2: float = 1.0
    delivered: Delivered | None = None


@dataclass
class CountyResult:
    county: str
    patches: pd.DataFrame
    slivers: int = 0
    sliver_area_m2: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    orphans_before: pd.DataFrame | None = None  # ground re-drawn here but covered in another county
    orphans_after: pd.DataFrame | None = None


class Timer:
    def __init__(self) -> None:
        self.spent: dict[str, float] = {}

    @contextmanager
    def __call__(self, step: str) -> Iterator[None]:
        t0 = time.perf_counter()
        try:
            yield
        finally:
            self.spent[step] = self.spent.get(step, 0.0) + time.perf_counter() - t0


@dataclass
class Candidates:
    """Change patches before judgement, one row each."""

    geometry: np.ndarray
    from_class: np.ndarray
    to_class: np.ndarray
    unit: np.ndarray  # ZLDWDM of the land before
    before_bsm: np.ndarray
    after_bsm: np.ndarray
    source_id: np.ndarray
    period_end: np.ndarray  # date ordinals


def _side(layers: Path, epoch: int, county: str) -> tuple[pa.Table | None, np.ndarray, np.ndarray]:
    if not monitor_io.has_partition(layers, PARCELS, epoch, county):
        return None, np.empty(0, np.uint64), np.empty(0, object)
    table = monitor_io.read_table(layers, PARCELS, epoch, county, ("BSM", "DLBM", "ZLDWDM", "geom_hash"))
    return table, monitor_io.hashes_u64(table), monitor_io.objects(table, "DLBM")


ORPHAN_TOLERANCE_M2 = 1.0


def _orphans(geoms: np.ndarray, others: np.ndarray, cls: np.ndarray, unit: np.ndarray | None,
             rows: np.ndarray) -> pd.DataFrame:
    """Parts of ``geoms`` that no geometry of ``others`` covers (more than dust)."""
    s = split_inside(geoms, others)
    out = ~s.inside
    g = s.geometry[out]
    big = ellipsoidal_area(g) > 0.01 if g.size else np.zeros(0, bool)
    src = s.source[out][big]
    return pd.DataFrame({"geometry": shapely.to_wkb(g[big]) if big.any() else [], "cls": cls[src],
                         "unit": unit[src] if unit is not None else "", "row": rows[src]})


def _diff(task: CountyTask, t: Timer, counts: dict[str, int], pool: ThreadPoolExecutor,
          result: CountyResult) -> Candidates:
    layers, c = Path(task.layers), task.county
    assert task.before_epoch is not None
    with t("read"):
        fb, fa = (pool.submit(_side, layers, e, c) for e in (task.before_epoch, task.after_epoch))
        (tb, bh, bcls), (ta, ah, acls) = fb.result(), fa.result()
    with t("diff"):
        m = match_by_hash(bh, bcls, ah, acls)
    with t("read"):
        need_b = np.concatenate([m.whole_before, m.redrawn_before])
        fgb = pool.submit(monitor_io.read_geometries, layers, PARCELS, task.before_epoch, c, need_b)
        fga = pool.submit(monitor_io.read_geometries, layers, PARCELS, task.after_epoch, c, m.redrawn_after)
        gb = fgb.result() if need_b.size else np.empty(0, object)
        ga = fga.result() if m.redrawn_after.size else np.empty(0, object)
        b_unit = monitor_io.objects(tb, "ZLDWDM", need_b) if need_b.size and tb is not None else np.empty(0, object)
    with t("area"):
        gap = float(ellipsoidal_area(gb[m.whole_before.size:]).sum() - ellipsoidal_area(ga).sum()) if ga.size or \
            need_b.size else 0.0
    if abs(gap) > ORPHAN_TOLERANCE_M2:  # ground moved between counties: hand the uncovered parts on
        with t("diff"):
            nw0, rb0 = m.whole_before.size, m.redrawn_before
            result.orphans_before = _orphans(gb[nw0:], ga, bcls[rb0], b_unit[nw0:], rb0)
            result.orphans_after = _orphans(ga, gb[nw0:], acls[m.redrawn_after], None, m.redrawn_after)
            result.orphans_before["bsm"] = monitor_io.objects(tb, "BSM", result.orphans_before["row"].to_numpy()) \
                if len(result.orphans_before) and tb is not None else ""
            result.orphans_after["bsm"] = monitor_io.objects(ta, "BSM", result.orphans_after["row"].to_numpy()) \
                if len(result.orphans_after) and ta is not None else ""
    with t("diff"):
        rb, ra = m.redrawn_before, m.redrawn_after
        nw = m.whole_before.size
        p = intersect_redrawn(gb[nw:], bcls[rb], ga, acls[ra])
        keys = pd.Series(p.after).astype(str) + "|" + pd.Series(bcls[rb][p.before]) + "|" + pd.Series(
            b_unit[nw:][p.before])
        firsts, merged = merge_pieces(keys.to_numpy(), p.geometry)
        local_b = np.concatenate([np.arange(nw), nw + p.before[firsts]])  # rows of need_b
        after = np.concatenate([m.whole_after, ra[p.after[firsts]]])
        geometry = np.concatenate([gb[:nw], merged])
    with t("read"):
        b_bsm = monitor_io.objects(tb, "BSM", need_b[local_b]) if local_b.size and tb is not None else np.empty(0, object)
        a_bsm = monitor_io.objects(ta, "BSM", after) if after.size and ta is not None else np.empty(0, object)
    counts.update(parcels_before=len(bh), parcels_after=len(ah), unchanged=m.unchanged,
                  whole_changed=int(nw), redrawn_before=int(rb.size), redrawn_after=int(ra.size),
                  candidate_pairs=p.candidate_pairs)
    n = after.size
    return Candidates(geometry, bcls[need_b[local_b]], acls[after], b_unit[local_b], b_bsm, a_bsm,
                      np.full(n, "", object), np.full(n, task.period_end.toordinal(), np.int64))


def _delivered(task: CountyTask, t: Timer, counts: dict[str, int]) -> Candidates:
    d, layers = task.delivered, Path(task.layers)
    assert d is not None
    with t("read"):
        table = monitor_io.read_table(layers, PARCELS, task.after_epoch, task.county, ("BSM", "DLBM", "ZLDWDM"))
        cols = {c: monitor_io.objects(table, c) for c in ("BSM", "DLBM", "ZLDWDM")}
        parcels = monitor_io.read_geometries(layers, PARCELS, task.after_epoch, task.county)
    with t("overlay"):
        patches = shapely.from_wkb(np.array(d.wkb, dtype=object))
        pi, li, pieces = intersections(patches, parcels)
        keys = pd.Series(pi).astype(str) + "|" + pd.Series(cols["DLBM"][li]) + "|" + pd.Series(cols["ZLDWDM"][li])
        firsts, merged = merge_pieces(keys.to_numpy(), pieces)
    pi, li = pi[firsts], li[firsts]
    counts.update(delivered=len(d.ids), delivered_here=int(np.unique(pi).size))
    ids, to = np.array(d.ids, dtype=object), np.array(d.to_class, dtype=object)
    ends = np.array([x.toordinal() for x in d.after], dtype=np.int64)
    return Candidates(merged, cols["DLBM"][li], to[pi], cols["ZLDWDM"][li], cols["BSM"][li],
                      np.full(pi.size, "", object), ids[pi], ends[pi])


def layer_geometries(task: CountyTask, kind: str, epoch: int | None) -> np.ndarray:
    if not monitor_io.has_partition(Path(task.layers), kind, epoch, task.county):
        return np.empty(0, object)
    assert epoch is not None
    return monitor_io.read_geometries(Path(task.layers), kind, epoch, task.county)


def _approval_pairs(parts: np.ndarray, frm: np.ndarray, to: np.ndarray, on_pbf: np.ndarray, ends: np.ndarray,
                    table: ApprovalTable, geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if not table.approvals or len(parts) == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    qi, ai = shapely.STRtree(geoms).query(parts, predicate="intersects")
    kinds = np.array([a.kind.value for a in table.approvals], dtype=object)
    issued = np.array([a.issued.toordinal() for a in table.approvals], dtype=np.int64)
    accepted = {}
    for key in set(zip(frm[qi].tolist(), to[qi].tolist(), on_pbf[qi].tolist(), strict=True)):
        accepted[key] = {k.value for k in accepted_kinds(*key)}
    ok = np.array([kinds[a] in accepted[(frm[q], to[q], bool(on_pbf[q]))] for q, a in zip(qi, ai, strict=True)], bool)
    ok &= issued[ai] <= ends[qi] if qi.size else ok
    qi, ai = qi[ok], ai[ok]
    rank = {k.value: r for r, k in enumerate(KIND_PRIORITY)}
    order = np.lexsort((ai, -issued[ai], np.array([rank[k] for k in kinds[ai]], dtype=np.int64), qi))
    return qi[order].astype(np.int64), ai[order].astype(np.int64)


def run_county(task: CountyTask, approvals: ApprovalTable) -> CountyResult:
    """Change patches of one county, split, measured, classified and prejudged."""
    t, counts, t0 = Timer(), {}, time.perf_counter()
    result = CountyResult(task.county, pd.DataFrame())
    with ThreadPoolExecutor(max_workers=3) as pool:  # I/O overlaps: pyarrow and shapely release the GIL
        fpbf = pool.submit(layer_geometries, task, PBF, task.pbf_epoch)
        fred = pool.submit(layer_geometries, task, REDLINE, task.redline_epoch)
        cand = _delivered(task, t, counts) if task.delivered is not None else _diff(task, t, counts, pool, result)
        with t("read"):
            pbf, redline = fpbf.result(), fred.result()
        done = finish_county(task, approvals, cand, pbf, redline, t, counts)
    done.orphans_before, done.orphans_after = result.orphans_before, result.orphans_after
    done.timings["task_wall"] = time.perf_counter() - t0
    return done


def finish_county(task: CountyTask, approvals: ApprovalTable, cand: Candidates, pbf: np.ndarray,
                  redline: np.ndarray, t: Timer, counts: dict[str, int], tag: str = "") -> CountyResult:
    """Slivers, PBF split, approvals split, areas and judgement of one county's candidate patches."""
    with t("area"):
        area = ellipsoidal_area(cand.geometry) if len(cand.geometry) else np.empty(0)
    small = area < task.min_area_m2
    slivers, sliver_area = int((small & (area > 0)).sum()), float(area[small].sum())
    keep = np.flatnonzero(~small)
    cand = Candidates(*(getattr(cand, f)[keep] for f in Candidates.__dataclass_fields__))
    with t("overlay"):
        sensitive = np.array([change.is_pbf_sensitive(f, x) for f, x in zip(cand.from_class.tolist(),
                                                                            cand.to_class.tolist(), strict=True)],
                             dtype=bool)
        pbf_tree = shapely.STRtree(pbf)
        s = split_inside(cand.geometry, pbf, sensitive, pbf_tree)
        src, on_pbf = s.source, s.inside
        frm, to, ends = cand.from_class[src], cand.to_class[src], cand.period_end[src]
        agt = shapely.from_wkb(np.array(approvals.wkb, dtype=object)) if approvals.wkb else np.empty(0, object)
        pi, ai = _approval_pairs(s.geometry, frm, to, on_pbf, ends, approvals, agt)
        part, cover, geometry = split_by_covers(s.geometry, agt, pi, ai)
    with t("area"):
        part_area = ellipsoidal_area(geometry) if len(geometry) else np.empty(0)
    tiny = part_area < task.min_area_m2
    slivers += int((tiny & (part_area > 0)).sum())
    sliver_area += float(part_area[tiny].sum())
    part, cover, geometry, part_area = part[~tiny], cover[~tiny], geometry[~tiny], part_area[~tiny]
    with t("overlay"):
        pbf_m2 = np.minimum(area_on(geometry, pbf, ellipsoidal_area, part_area, pbf_tree), part_area)
        red_m2 = np.minimum(area_on(geometry, redline, ellipsoidal_area, part_area), part_area)
    with t("judge"):
        frame = _judge(task, cand, src[part], on_pbf[part], cover, geometry, part_area, pbf_m2, red_m2, approvals, tag)
    counts.update(patches=int(frame["patch"].nunique()) if len(frame) else 0, parts=len(frame))
    return CountyResult(task.county, frame, slivers, sliver_area, t.spent, counts)


def _judge(task: CountyTask, cand: Candidates, src: np.ndarray, on_pbf: np.ndarray, cover: np.ndarray,
           geometry: np.ndarray, area: np.ndarray, pbf_m2: np.ndarray, red_m2: np.ndarray,
           approvals: ApprovalTable, tag: str) -> pd.DataFrame:
    frm, to, ends = cand.from_class[src], cand.to_class[src], cand.period_end[src]
    is_facility = np.array([cover_i >= 0 and approvals.approvals[cover_i].kind.value == "facility"
                            for cover_i in cover.tolist()], dtype=bool)
    filed_patches = set(src[is_facility].tolist())
    legal, ctype, cache = [], [], {}
    for i in range(len(src)):
        key = (frm[i], to[i], bool(on_pbf[i]), int(cover[i]), int(src[i]) in filed_patches, int(ends[i]))
        if key not in cache:
            cov = Cover(approvals.approvals[key[3]]) if key[3] >= 0 else None
            cache[key] = (change.classify(key[0], key[1], key[2]).value,
                          prejudge(key[0], key[1], key[2], cov, date.fromordinal(key[5]), partly_filed=key[4]).value)
        ctype.append(cache[key][0])
        legal.append(cache[key][1])
    cats = {c: change.category_of(c) for c in set(frm.tolist())}
    farmland = np.isin(frm, change.land_classes.FARMLAND_CODES)
    cat = np.array([cats[c] for c in frm], dtype=object)
    rank = pd.Series(src).groupby(src).cumcount().to_numpy() + 1
    multi = pd.Series(src).map(pd.Series(src).value_counts()).to_numpy() > 1
    patch_no = pd.Series(src).rank(method="dense").astype(int).to_numpy()
    base = np.array([f"{task.county}-{tag}{n:06d}" for n in patch_no], dtype=object)
    ids = np.where(multi, [f"{b}-{r}" for b, r in zip(base, rank, strict=True)], base)
    return pd.DataFrame({
        "id": ids, "patch": base, "county": task.county, "region": cand.unit[src], "from_class": frm, "to_class": to,
        "change_type": ctype, "legality": legal,
        "approval": [approvals.approvals[c].id if c >= 0 else None for c in cover.tolist()],
        "on_pbf": on_pbf, "area_m2": area, "farmland_m2": np.where(farmland, area, 0.0), "pbf_m2": pbf_m2,
        "agricultural_m2": np.where(~farmland & (cat == LegalCategory.AGRICULTURAL), area, 0.0),
        "unused_m2": np.where(cat == LegalCategory.UNUSED, area, 0.0), "redline_m2": red_m2,
        "before_bsm": cand.before_bsm[src], "after_bsm": cand.after_bsm[src], "source_id": cand.source_id[src],
        "geometry": shapely.to_wkb(geometry, byte_order=1, output_dimension=2) if len(geometry) else [],
    })
