"""One county of a monitoring run: the function Dask workers call (``run_county``), also used in process.

Counties are independent (DESIGN.md §3): a task names the layer store, the county and the epochs; the
worker reads its own partitions, so only small arguments and the resulting patches cross the wire.
Steps and their timers: read (attribute columns, then geometries of changed rows only), diff (hash
match, overlay of re-drawn parcels, merge; same-class findings: planting attribute, unrestored temporary
use — ``monitor_status``), area (ellipsoidal), overlay (PBF split of PBF-sensitive patches, village
boundary split of homesteads, approvals split, PBF/redline areas), judge (classification and
prejudgment, from the domain tables, once per distinct case) — the last three in ``monitor_judge``.
The village construction boundary is the latest ``village_boundary`` reference layer of the later epoch
or before (``gengbao layers import``), like the redline.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import shapely

from gengbao.adapters import monitor_io
from gengbao.monitoring import status as monitor_status
from gengbao.monitoring.judge import finish_county
from gengbao.monitoring.model import (
    AREA_COLUMNS,
    PARCELS,
    PBF,
    REDLINE,
    VILLAGE,
    ApprovalTable,
    Candidates,
    CountyResult,
    CountyTask,
    Delivered,
    Timer,
    class_candidates,
    latest,
    layer_geometries,
)
from gengbao.spatial.area import ellipsoidal_area
from gengbao.spatial.diff import intersect_redrawn, match_by_hash, merge_pieces
from gengbao.spatial.overlay import intersections, split_inside

__all__ = ["AREA_COLUMNS", "PBF", "REDLINE", "VILLAGE", "ApprovalTable", "Candidates", "CountyResult", "CountyTask",
           "Delivered", "Timer", "finish_county", "layer_geometries", "run_county"]


def _side(layers: Path, epoch: int, county: str) -> tuple[pa.Table | None, np.ndarray, np.ndarray]:
    if not monitor_io.has_partition(layers, PARCELS, epoch, county):
        return None, np.empty(0, np.uint64), np.empty(0, object)
    names = pq.read_schema(monitor_io.partition(layers, PARCELS, epoch, county)).names
    extra = (monitor_status.ATTRIBUTE,) if monitor_status.ATTRIBUTE in names else ()
    table = monitor_io.read_table(layers, PARCELS, epoch, county, ("BSM", "DLBM", "ZLDWDM", "geom_hash", *extra))
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


def _diff(task: CountyTask, approvals: ApprovalTable, t: Timer, counts: dict[str, int], pool: ThreadPoolExecutor,
          result: CountyResult) -> Candidates:
    layers, c = Path(task.layers), task.county
    assert task.before_epoch is not None
    with t("read"):
        fb, fa = (pool.submit(_side, layers, e, c) for e in (task.before_epoch, task.after_epoch))
        (tb, bh, bcls), (ta, ah, acls) = fb.result(), fa.result()
    with t("diff"):
        m = match_by_hash(bh, bcls, ah, acls)
        permits = monitor_status.window_permits(task, approvals)
        battr, aattr = monitor_status.Attributes(tb, len(bh)), monitor_status.Attributes(ta, len(ah))
        sel = monitor_status.select(m, bh, ah, bcls, acls, battr, aattr, permits.size > 0)
    with t("read"):
        need_b = np.concatenate([m.whole_before, m.redrawn_before])
        read_b = np.concatenate([need_b, sel.whole_before])  # one read for class changes and same-class findings
        fgb = pool.submit(monitor_io.read_geometries, layers, PARCELS, task.before_epoch, c, read_b)
        fga = pool.submit(monitor_io.read_geometries, layers, PARCELS, task.after_epoch, c, m.redrawn_after)
        gb_all = fgb.result() if read_b.size else np.empty(0, object)
        gb, g_same = gb_all[:need_b.size], gb_all[need_b.size:]
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
    changed = class_candidates(geometry, bcls[need_b[local_b]], acls[after], b_unit[local_b], b_bsm, a_bsm,
                               np.full(n, "", object), np.full(n, task.period_end.toordinal(), np.int64))
    with t("diff"):
        cols = {"bcls": bcls, "acls": acls, "bunit": b_unit[nw:]}
        same = monitor_status.same_class_candidates(task, approvals, m, sel, g_same, gb[nw:], ga, cols,
                                                    (battr, aattr), (tb, ta), permits)
    counts.update(same_class=len(same.geometry))
    return Candidates.join([changed, same])


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
    return class_candidates(merged, cols["DLBM"][li], to[pi], cols["ZLDWDM"][li], cols["BSM"][li],
                            np.full(pi.size, "", object), ids[pi], ends[pi])


def run_county(task: CountyTask, approvals: ApprovalTable) -> CountyResult:
    """Change patches of one county, split, measured, classified and prejudged."""
    t, t0 = Timer(), time.perf_counter()
    counts: dict[str, int] = {}
    result = CountyResult(task.county, pd.DataFrame())
    village_epoch = latest(monitor_io.epochs_of(Path(task.layers), VILLAGE), task.after_epoch)
    with ThreadPoolExecutor(max_workers=task.io_threads) as pool:  # pyarrow and shapely release the GIL
        cand = _delivered(task, t, counts) if task.delivered is not None else _diff(task, approvals, t, counts,
                                                                                    pool, result)
        with t("read"):  # reference layers near the candidates only: their bbox column picks the rows
            f = [pool.submit(layer_geometries, task, kind, epoch, cand.geometry)
                 for kind, epoch in ((PBF, task.pbf_epoch), (REDLINE, task.redline_epoch), (VILLAGE, village_epoch))]
            pbf, redline, village = (x.result() for x in f)
        done = finish_county(task, approvals, cand, pbf, redline, t, counts, village=village)
    done.orphans_before, done.orphans_after = result.orphans_before, result.orphans_after
    done.timings["task_wall"] = time.perf_counter() - t0
    return done


def dask_setup(worker: object) -> None:
    """Run by each Dask worker that preloads this module. Arrow's thread pools get as many threads as the
    worker runs tasks (one on a LocalCluster of gengbao's), so N workers on N cores do not contend; and
    glibc keeps freed memory for the next county instead of handing it back to the kernel and faulting
    it in again (half the page faults; two workers zeroing pages at once slowed each other most)."""
    threads = max(1, int(getattr(getattr(worker, "state", None), "nthreads", 1)))
    pa.set_cpu_count(threads)
    pa.set_io_thread_count(threads)
    _keep_freed_memory()


def _keep_freed_memory() -> None:
    """glibc only: arrays below 32 MiB from the heap (not fresh mmaps), no trimming below 1 GiB free."""
    import ctypes

    try:
        libc = ctypes.CDLL("libc.so.6")
        for option, value in ((-3, 32 << 20), (-1, 1 << 30), (-2, 64 << 20)):  # MMAP_THRESHOLD, TRIM_THRESHOLD, TOP_PAD
            libc.mallopt(option, value)
    except (OSError, AttributeError):
        pass  # another C library: its defaults stand
