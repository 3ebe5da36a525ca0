"""Read-only queries the platform shows: imported epochs, monitoring runs and their region summaries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from gengbao.adapters.db.models import Epoch
from gengbao.adapters.db.models_monitoring import MonitorRegion, MonitorRun


@dataclass(frozen=True, slots=True)
class EpochRow:
    year: int
    kind: str
    feature_count: int
    counties: tuple[str, ...]
    imported_at: datetime


@dataclass(frozen=True, slots=True)
class RunRow:
    id: int
    mode: str
    from_epoch: int | None
    to_epoch: int | None
    source: str
    params: dict[str, Any]
    patches: int
    started_at: datetime
    finished_at: datetime | None


@dataclass(frozen=True, slots=True)
class RunRegionRow:
    region: str
    level: str
    figures: dict[str, Any]


def epochs(session: Session) -> list[EpochRow]:
    q = select(Epoch).order_by(Epoch.kind, Epoch.year)
    return [EpochRow(e.year, e.kind, e.feature_count, tuple(e.counties or ()), e.imported_at) for e in session.scalars(q)]


def _run(r: MonitorRun) -> RunRow:
    return RunRow(r.id, r.mode, r.from_epoch, r.to_epoch, r.source, dict(r.params or {}), r.patches, r.started_at,
                  r.finished_at)


def runs(session: Session) -> list[RunRow]:
    return [_run(r) for r in session.scalars(select(MonitorRun).order_by(MonitorRun.id.desc()))]


def run(session: Session, run_id: int) -> RunRow | None:
    r = session.get(MonitorRun, run_id)
    return _run(r) if r is not None else None


def run_regions(session: Session, run_id: int) -> list[RunRegionRow]:
    q = select(MonitorRegion).where(MonitorRegion.run_id == run_id).order_by(MonitorRegion.level, MonitorRegion.region)
    return [RunRegionRow(r.region, r.level, dict(r.figures)) for r in session.scalars(q)]
