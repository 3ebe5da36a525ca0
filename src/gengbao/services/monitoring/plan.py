"""Planning a monitoring run: check the epochs asked for, choose the reference layers (PBF of the earlier
epoch, redline and village boundary of the later), and make one task per county partition with the
county's extent (from the parquet footers: nothing else is read)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import shapely

from gengbao.adapters import layer_store, monitor_io
from gengbao.adapters.db import survey_store
from gengbao.domain.errors import InputError, NotFoundError, UsageError
from gengbao.domain.monitoring import epoch_date
from gengbao.domain.survey import check_epoch
from gengbao.monitoring.model import CountyTask, Delivered, latest
from gengbao.services.context import Context
from gengbao.spatial.boxes import meets_any


def _epochs(ws: Context, kind: str) -> list[int]:
    with ws.sessions() as s:
        return survey_store.epoch_years(s, kind)


def _extent(layers: Path, county: str, epochs: tuple[int | None, ...]) -> tuple[float, float, float, float] | None:
    """Where a county's parcels lie in the epochs of a run (None when a partition cannot tell)."""
    found = [monitor_io.extent(layers, "parcels", e, county) for e in epochs  # type: ignore[arg-type]
             if monitor_io.has_partition(layers, "parcels", e, county)]
    if not found or any(e is None for e in found):
        return None
    boxes = np.array(found, dtype=np.float64)
    return float(boxes[:, 0].min()), float(boxes[:, 1].min()), float(boxes[:, 2].max()), float(boxes[:, 3].max())


def _outside(delivered: Delivered, extents: list[tuple[float, float, float, float] | None], source: str) -> list[str]:
    """Delivered patches that lie in none of the workspace's counties: all of them is an error (the wrong file,
    or the wrong coordinates); some of them, a warning."""
    if any(e is None for e in extents):
        return []  # a county whose extent is unknown may hold any patch
    boxes = shapely.bounds(shapely.from_wkb(np.array(delivered.wkb, dtype=object)))
    inside = meets_any(boxes, np.array(extents, dtype=np.float64).reshape(-1, 4))
    if not inside.any():
        raise InputError(f"{source}：{len(boxes)} 个下发图斑都不在工作空间的县范围内：可能选错了文件，或坐标有误",
                         code="patches.outside_workspace")
    n = int((~inside).sum())
    return [f"{source}：{n} 个下发图斑不在工作空间的任何县内，未处理"] if n else []


@dataclass(frozen=True)
class RunPlan:
    """What a run will do: its mode, epochs, period, reference layers and one task per county partition."""

    mode: str
    source: str
    from_epoch: int | None
    to_epoch: int | None
    start: date
    end: date
    pbf_epoch: int | None
    redline_epoch: int | None
    village_epoch: int | None
    tasks: list[CountyTask]
    warnings: list[str]


def plan_run(ws: Context, from_epoch: int | None = None, to_epoch: int | None = None, *,
             delivered: Delivered | None = None, delivered_source: str = "", min_area_m2: float = 1.0) -> RunPlan:
    """Check the epochs asked for and plan one task per county partition (nothing is read but file footers)."""
    parcels, pbf_epochs = _epochs(ws, "parcels"), _epochs(ws, "pbf")
    layers = ws.layout.layers
    warnings: list[str] = []
    for e in (from_epoch, to_epoch):
        if e is not None:
            check_epoch(e)
    if delivered is None:
        if from_epoch is None or to_epoch is None or from_epoch >= to_epoch:
            raise UsageError("须用 --from 和 --to 指定两期（前一期早于后一期），或用 --patches 指定下发图斑",
                             code="monitor.epochs")
        for e in (from_epoch, to_epoch):
            if e not in parcels:
                raise NotFoundError(f"工作空间中没有 {e} 期地类图斑，请先导入。已有：{parcels or '无'}",
                                    code="survey.epoch_missing")
        base, start, end = to_epoch, epoch_date(from_epoch), epoch_date(to_epoch)
        counties = sorted(set(layer_store.counties(layers, "parcels", from_epoch))
                          | set(layer_store.counties(layers, "parcels", to_epoch)))
        mode, source = "diff", f"{from_epoch}→{to_epoch}"
    else:
        if not parcels:
            raise NotFoundError("工作空间中没有地类图斑，无法判断下发图斑的前地类", code="survey.epoch_missing")
        base = parcels[-1]
        start, end = min(delivered.before), max(delivered.after)
        counties = layer_store.counties(layers, "parcels", base)
        mode, source, from_epoch, to_epoch = "delivered", delivered_source, base, None
    pbf_epoch = latest(pbf_epochs, from_epoch if from_epoch is not None else base)
    if pbf_epoch is None:
        warnings.append("工作空间中没有前一期的永久基本农田图层：永农面积均按 0 计")
    redline_epoch = latest(monitor_io.epochs_of(layers, "redline"), to_epoch or base)
    village_epoch = latest(monitor_io.epochs_of(layers, "village_boundary"), to_epoch or base)  # the worker's too
    tasks = [CountyTask(str(layers), c, from_epoch if delivered is None else None, base, pbf_epoch, redline_epoch,
                        start, end, min_area_m2, delivered,
                        _extent(layers, c, (from_epoch, base) if delivered is None else (base,))) for c in counties]
    if delivered is not None:
        warnings += _outside(delivered, [t.extent for t in tasks], delivered_source)
    return RunPlan(mode, source, from_epoch, to_epoch, start, end, pbf_epoch, redline_epoch, village_epoch, tasks,
                   warnings)
