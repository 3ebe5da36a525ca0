"""What a county task of a monitoring run carries: the task, the approvals, the candidate patches, the
result and the step timer (used by ``monitor_worker``, ``monitor_status``, ``monitor_judge``, ``monitor_orphans``).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import shapely

from gengbao.adapters import monitor_io
from gengbao.domain.change import PatchKind
from gengbao.domain.legality import VILLAGE_BOUNDARY, Approval, ApprovalKind
from gengbao.spatial.boxes import meets_any

PARCELS, PBF, REDLINE, VILLAGE = "parcels", "pbf", "redline", VILLAGE_BOUNDARY
AREA_COLUMNS = ("area_m2", "farmland_m2", "pbf_m2", "agricultural_m2", "unused_m2", "redline_m2")


Extent = tuple[float, float, float, float]  # xmin, ymin, xmax, ymax (EPSG:4490 degrees)


@dataclass(frozen=True, slots=True, eq=False)
class ApprovalTable:
    """Approvals, filings and permits with their polygons (WKB) and, when known, extents (n × 4)."""

    approvals: tuple[Approval, ...] = ()
    wkb: tuple[bytes, ...] = ()
    bounds: np.ndarray | None = None

    def near(self, extent: Extent | None) -> ApprovalTable:
        """Only the approvals whose extent meets ``extent`` (a county's): a task ships and decodes those,
        not the whole workspace's. All of them when either extent is unknown."""
        if extent is None or self.bounds is None or not self.approvals:
            return self
        b, pad = self.bounds, 1e-9
        keep = np.flatnonzero((b[:, 2] >= extent[0] - pad) & (b[:, 0] <= extent[2] + pad)
                              & (b[:, 3] >= extent[1] - pad) & (b[:, 1] <= extent[3] + pad))
        if keep.size == len(self.approvals):
            return self
        return ApprovalTable(tuple(self.approvals[i] for i in keep), tuple(self.wkb[i] for i in keep), b[keep])

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        """Pickled as columns: a task ships 10⁴ approvals in milliseconds (record by record, pickling
        slotted dataclasses costs ~20 µs each, and a cluster run pickles every task's table)."""
        a = self.approvals
        columns = ([x.id for x in a], [x.kind.value for x in a], [x.issued.toordinal() for x in a],
                   [x.valid_until.toordinal() if x.valid_until else 0 for x in a],
                   [str(x.filed_area_m2) if x.filed_area_m2 is not None else None for x in a])
        return _approval_table, (columns, self.wkb, self.bounds)


def _approval_table(columns: tuple[list[Any], ...], wkb: tuple[bytes, ...], bounds: np.ndarray | None) -> ApprovalTable:
    rows = ((i, k, date.fromordinal(d), date.fromordinal(v) if v else None, Decimal(f) if f is not None else None)
            for i, k, d, v, f in zip(*columns, strict=True))
    return ApprovalTable(approval_records(rows), wkb, bounds)


def approval_records(rows: Iterable[tuple[Any, ...]]) -> tuple[Approval, ...]:
    """Approvals from rows of (id, kind value, issued, valid until, filed area) — extra fields are ignored."""
    kinds = {k.value: k for k in ApprovalKind}
    return tuple(Approval(r[0], kinds[r[1]], r[2], r[3], r[4]) for r in rows)


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
    extent: Extent | None = None  # of the county's parcels in both epochs: approvals beyond it are not sent
    io_threads: int = 4  # 1 on a cluster worker: the cluster runs one task per core, nested threads only contend


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
    status: np.ndarray  # change.Status values: a class change, or a finding without one
    attribute: np.ndarray  # ZZSXDM reached (PatchKind.PLANTING), else ""

    def take(self, rows: np.ndarray) -> Candidates:
        return Candidates(*(getattr(self, f)[rows] for f in Candidates.__dataclass_fields__))

    @staticmethod
    def join(parts: list[Candidates]) -> Candidates:
        return Candidates(*(np.concatenate([getattr(p, f) for p in parts])
                            for f in Candidates.__dataclass_fields__))


def class_candidates(geometry: np.ndarray, from_class: np.ndarray, to_class: np.ndarray, unit: np.ndarray,
                     before_bsm: np.ndarray, after_bsm: np.ndarray, source_id: np.ndarray,
                     period_end: np.ndarray) -> Candidates:
    """Candidates of land-class changes (``PatchKind.CLASS``)."""
    n = len(from_class)
    return Candidates(geometry, from_class, to_class, unit, before_bsm, after_bsm, source_id, period_end,
                      np.full(n, PatchKind.CLASS.value, object), np.full(n, "", object))


def latest(epochs: list[int], at_most: int | None) -> int | None:
    found = [e for e in epochs if at_most is not None and e <= at_most]
    return found[-1] if found else None


def layer_geometries(task: CountyTask, kind: str, epoch: int | None, near: np.ndarray | None = None) -> np.ndarray:
    """A reference layer's geometries in the task's county; with ``near`` (geometries), only those whose
    extent meets one of theirs, chosen by the stored bbox before decoding (every overlay here needs no more)."""
    if not monitor_io.has_partition(Path(task.layers), kind, epoch, task.county):
        return np.empty(0, object)
    assert epoch is not None
    layers = Path(task.layers)
    own = monitor_io.read_bboxes(layers, kind, epoch, task.county) if near is not None else None
    if own is None or near is None:
        return monitor_io.read_geometries(layers, kind, epoch, task.county)
    rows = np.flatnonzero(meets_any(own, shapely.bounds(near))) if len(near) else np.empty(0, np.int64)
    return monitor_io.read_geometries(layers, kind, epoch, task.county, rows) if rows.size else np.empty(0, object)
