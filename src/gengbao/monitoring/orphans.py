"""The cross-county pass (DESIGN.md §3): ground whose located-in county changed between the epochs.

Counties are diffed independently, each epoch partitioned by the county of its ZLDWDM. Where a
county's re-drawn parcels do not cover the same area in both epochs, ground moved to or from another
county; the worker then hands on the parts no parcel of the other epoch covers in that county
("orphans"). This pass overlays all counties' orphans at once — they are few — and judges the changes
found like any other patch, in the county of the land before, with ids ``<county>-X<n>``. Only class
changes cross county lines here: a planting attribute or an unrestored temporary use on such ground
is not looked for (the ground was re-drawn, so a class change is the usual case).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from gengbao.adapters import monitor_io
from gengbao.monitoring.judge import finish_county
from gengbao.monitoring.model import (
    PBF,
    REDLINE,
    VILLAGE,
    ApprovalTable,
    CountyResult,
    CountyTask,
    Timer,
    class_candidates,
    latest,
    layer_geometries,
)
from gengbao.spatial.diff import intersect_redrawn, merge_pieces


def _gather(frames: list[pd.DataFrame | None]) -> pd.DataFrame:
    present = [f for f in frames if f is not None and len(f)]
    return pd.concat(present, ignore_index=True) if present else pd.DataFrame()


def orphan_pass(results: list[CountyResult], tasks: list[CountyTask], approvals: ApprovalTable) -> list[CountyResult]:
    ob = _gather([r.orphans_before for r in results])
    oa = _gather([r.orphans_after for r in results])
    if ob.empty or oa.empty or not tasks:
        return []
    gb, ga = shapely.from_wkb(ob["geometry"].to_numpy()), shapely.from_wkb(oa["geometry"].to_numpy())
    bcls, acls = ob["cls"].to_numpy(dtype=object), oa["cls"].to_numpy(dtype=object)
    unit = ob["unit"].to_numpy(dtype=object)
    p = intersect_redrawn(gb, bcls, ga, acls)
    keys = pd.Series(p.after).astype(str) + "|" + pd.Series(bcls[p.before]) + "|" + pd.Series(unit[p.before])
    firsts, merged = merge_pieces(keys.to_numpy(), p.geometry)
    b, a = p.before[firsts], p.after[firsts]
    by_county = {t.county: t for t in tasks}
    out = []
    counties = np.array([str(u)[:6] for u in unit[b]], dtype=object)
    for county in sorted(set(counties.tolist())):
        sel = counties == county
        task = by_county.get(county) or replace(tasks[0], county=county)
        cand = class_candidates(merged[sel], bcls[b][sel], acls[a][sel], unit[b][sel],
                                ob["bsm"].to_numpy(dtype=object)[b][sel], oa["bsm"].to_numpy(dtype=object)[a][sel],
                                np.full(int(sel.sum()), "", object),
                                np.full(int(sel.sum()), task.period_end.toordinal(), np.int64))
        t = Timer()
        pbf, red = layer_geometries(task, PBF, task.pbf_epoch), layer_geometries(task, REDLINE, task.redline_epoch)
        village = layer_geometries(task, VILLAGE, latest(monitor_io.epochs_of(Path(task.layers), VILLAGE),
                                                         task.after_epoch))
        res = finish_county(task, approvals, cand, pbf, red, t, {"cross_county_pieces": int(sel.sum())}, tag="X",
                            village=village)
        out.append(res)
    return out
