"""Use case: a monitoring run — change patches between two epochs (or delivered patches), their areas on
farmland / PBF / other agricultural / unused land / ecological redline, change type, prejudged
legality, and region summaries per county and township.

Counties are independent: one task per county partition (``monitor_worker.run_county``), planned by
``monitor_plan`` and run by ``monitor_execute`` in this process, on a ``dask.distributed.LocalCluster``
(``cluster="local:N"``) or on an existing scheduler (``scheduler=ADDRESS``). Results are the union,
ordered by county, so every way of running gives the same patches. The patches go to GeoParquet (``layers/patches/<run id>``), the
summaries to the database, and with ``out_dir`` to ``patches.gpkg`` and ``regions.csv`` as well.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from gengbao.adapters import layer_store, locks, monitor_io
from gengbao.adapters.db import approvals_store, monitoring_store
from gengbao.domain.access import Action
from gengbao.domain.change import ChangeType
from gengbao.domain.errors import ConflictError
from gengbao.domain.legality import Legality
from gengbao.domain.monitoring import Figures, RegionSummary, summarise
from gengbao.domain.regions import RegionLevel
from gengbao.monitoring.execute import execute
from gengbao.monitoring.model import approval_records
from gengbao.monitoring.orphans import orphan_pass
from gengbao.monitoring.worker import (
    AREA_COLUMNS,
    ApprovalTable,
    CountyResult,
    Delivered,
)
from gengbao.services.context import Context
from gengbao.services.monitoring.plan import plan_run
from gengbao.spatial.area import round_m2

LEVELS = (RegionLevel.COUNTY, RegionLevel.TOWNSHIP)


@dataclass(frozen=True)
class MonitorReport:
    run_id: int
    mode: str
    from_epoch: int | None
    to_epoch: int | None
    patches: gpd.GeoDataFrame
    regions: list[RegionSummary]
    slivers: int
    sliver_area_m2: float
    timings: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)

    def patch_dicts(self) -> list[dict[str, Any]]:
        cols = ["id", "patch", "county", "township", "region", "from_class", "to_class", "change_type", "legality",
                "approval", *AREA_COLUMNS, "before_bsm", "after_bsm", "source_id"]
        return list(pd.DataFrame(self.patches[cols]).to_dict(orient="records"))

    def to_dict(self) -> dict[str, Any]:
        run = {"id": self.run_id, "mode": self.mode, "from": self.from_epoch, "to": self.to_epoch,
               "patch_count": len(self.patches), "slivers": self.slivers,
               "sliver_area_m2": round(self.sliver_area_m2, 2), "timings_s": {k: round(v, 3) for k, v in
                                                                              self.timings.items()},
               "counts": self.counts, "warnings": self.warnings, "outputs": self.outputs}
        return {"run": run, "patches": self.patch_dicts(), "regions": [r.to_dict() for r in self.regions]}


def load_approval_table(ws: Context) -> ApprovalTable:
    with ws.sessions() as s:
        rows = approvals_store.load_for_monitoring(s)
    return ApprovalTable(approval_records(rows), tuple(r[5] for r in rows),
                         np.array([r[6:10] for r in rows], dtype=np.float64).reshape(-1, 4))


def _counter(ws: Context, total: int, progress: Callable[[str], None] | None) -> Callable[[CountyResult], None]:
    finished: list[str] = []

    def done(result: CountyResult) -> None:
        finished.append(result.county)
        if progress is not None:
            node = ws.catalog.find(result.county)
            name = node.name if node else "（代码表外）"
            progress(f"变化监测：{len(finished)}/{total} 个县级分区已完成（{result.county} {name}，"
                     f"{result.counts.get('patches', 0)} 个图斑）")
    return done


def _summaries(ws: Context, frame: pd.DataFrame) -> list[RegionSummary]:
    cents = {c: np.rint(frame[c].to_numpy(dtype=np.float64) * 100).astype(np.int64) for c in AREA_COLUMNS}
    out: list[RegionSummary] = []
    for level in LEVELS:
        codes = frame["region"].str[: level.digits].to_numpy() if len(frame) else np.empty(0, object)
        cells: dict[str, dict[tuple[ChangeType, Legality], Figures]] = {}
        keys = pd.DataFrame({"r": codes, "t": frame["change_type"].to_numpy(), "l": frame["legality"].to_numpy()})
        for (r, t, lg), idx in keys.groupby(["r", "t", "l"], sort=True).indices.items():
            f = Figures(len(idx), *(int(cents[c][idx].sum()) for c in AREA_COLUMNS))
            cells.setdefault(str(r), {})[(ChangeType(t), Legality(lg))] = f
        patches = pd.Series(frame["patch"].to_numpy()).groupby(codes).nunique() if len(frame) else pd.Series()
        for r in sorted(cells):
            node = ws.catalog.find(r)
            out.append(summarise(r, node.name if node else "（代码表外）", level.value, cells[r], int(patches[r])))
    return out


def _finish(results: list[CountyResult]) -> tuple[gpd.GeoDataFrame, dict[str, float], dict[str, int], int, float]:
    results = sorted(results, key=lambda r: r.county)
    frames = [r.patches for r in results if len(r.patches)]
    frame = pd.concat(frames, ignore_index=True) if frames else results[0].patches.iloc[0:0] if results else \
        pd.DataFrame({"geometry": [], "region": [], "patch": []})
    for c in AREA_COLUMNS:
        if c in frame.columns:
            frame[c] = round_m2(frame[c].to_numpy(dtype=np.float64))
    for c in ("approval", "source_id"):
        if c in frame.columns:
            frame[c] = frame[c].astype(object).where(frame[c].notna() & (frame[c] != ""), None)
    if "region" in frame.columns:
        frame.insert(3, "township", frame["region"].str[:9])
    geoms = shapely.from_wkb(frame["geometry"].to_numpy()) if len(frame) else []
    gdf = gpd.GeoDataFrame(frame.drop(columns=["geometry"]), geometry=gpd.GeoSeries(geoms, crs="EPSG:4490"))
    timings: dict[str, float] = {}
    counts: dict[str, int] = {}
    for r in results:
        for k, v in r.timings.items():
            timings[k] = timings.get(k, 0.0) + v
        for k2, n in r.counts.items():
            counts[k2] = counts.get(k2, 0) + n
    return gdf, timings, counts, sum(r.slivers for r in results), sum(r.sliver_area_m2 for r in results)


def run_monitor(ws: Context, from_epoch: int | None = None, to_epoch: int | None = None, *,
                delivered: Delivered | None = None, delivered_source: str = "", out_dir: Path | None = None,
                cluster: str | None = None, scheduler: str | None = None, min_area_m2: float = 1.0,
                progress: Callable[[str], None] | None = None) -> MonitorReport:
    """Run one monitoring cycle and store it; see the module docstring. ``progress`` hears of each county
    as it finishes (in the order they finish)."""
    ws.authorise(Action.RUN)
    started, t0 = datetime.now(UTC), time.perf_counter()
    plan = plan_run(ws, from_epoch, to_epoch, delivered=delivered, delivered_source=delivered_source,
                    min_area_m2=min_area_m2)
    tasks, warnings, from_epoch, to_epoch = plan.tasks, plan.warnings, plan.from_epoch, plan.to_epoch
    mode, source, start, end = plan.mode, plan.source, plan.start, plan.end
    pbf_epoch, redline_epoch, village_epoch = plan.pbf_epoch, plan.redline_epoch, plan.village_epoch
    approvals = load_approval_table(ws)
    t_exec = time.perf_counter()
    started_tasks: dict[str, float] = {}
    results = execute(tasks, approvals, cluster, scheduler, started_tasks, _counter(ws, len(tasks), progress),
                      ws.settings.worker_start)
    if delivered is None:
        results += orphan_pass(results, tasks, approvals)
    t_summary = time.perf_counter()
    gdf, timings, counts, slivers, sliver_area = _finish(results)
    regions = _summaries(ws, gdf)
    t_write = time.perf_counter()
    timings.update(prepare=t_exec - t0, counties_wall=t_summary - t_exec, summary=t_write - t_summary, **started_tasks)
    token = uuid.uuid4().hex
    # While this process lives it holds the run's lock; a run found "running" without it died (see
    # services.workspace.recover_runs).
    with locks.held(layer_store.lock_path(ws.layout.layers, f"run-{token}"),
                    lambda: ConflictError("监测任务锁已被占用", code="monitor.busy")):
        with ws.transaction() as s:
            run_id = monitoring_store.start_run(
                s, mode=mode, from_epoch=from_epoch, to_epoch=to_epoch, source=source,
                params={"min_area_m2": min_area_m2, "pbf_epoch": pbf_epoch, "redline_epoch": redline_epoch,
                        "village_boundary_epoch": village_epoch, "period": [start.isoformat(), end.isoformat()],
                        "cluster": cluster or scheduler, "lock": token},
                patches=len(gdf), slivers=slivers, sliver_area_m2=Decimal(f"{sliver_area:.2f}"), started_at=started)
        try:
            outputs = _write(ws, run_id, gdf, regions, out_dir)
            with ws.transaction() as s:
                monitoring_store.finish_run(s, run_id, outputs[0], [(r.region, r.level, r.to_dict()) for r in regions])
                ws.audit(s, "monitor.run", f"monitor_run/{run_id}",
                         {"mode": mode, "source": source, "patches": len(gdf), "slivers": slivers})
        except BaseException:
            with ws.transaction() as s:
                monitoring_store.mark_failed(s, run_id)
            raise
    timings["write"] = time.perf_counter() - t_write
    timings["wall"] = time.perf_counter() - t0
    return MonitorReport(run_id, mode, from_epoch, to_epoch, gdf, regions, slivers, sliver_area, timings, counts,
                         warnings, outputs)


def _write(ws: Context, run_id: int, gdf: gpd.GeoDataFrame, regions: list[RegionSummary],
           out_dir: Path | None) -> list[str]:
    with ThreadPoolExecutor(max_workers=2) as pool:  # GeoParquet and GeoPackage written side by side
        stored = pool.submit(monitor_io.write_patches, ws.layout.layers, run_id, gdf) if len(gdf) else None
        gpkg = pool.submit(monitor_io.export_patches, gdf.drop(columns=["county"]) if len(gdf) else gdf,
                           Path(out_dir) / "patches.gpkg") if out_dir is not None else None
        outputs = [str(stored.result().relative_to(ws.root)) if stored is not None else ""]
        if out_dir is not None and gpkg is not None:
            csv = monitor_io.export_table([r.to_dict() for r in regions], Path(out_dir) / "regions.csv")
            outputs += [str(gpkg.result()), str(csv)]
    return outputs
