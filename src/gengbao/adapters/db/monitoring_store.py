"""Stored monitoring runs and their region summaries (patches themselves are GeoParquet)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from gengbao.adapters.db.models_monitoring import MonitorRegion, MonitorRun


def start_run(session: Session, *, mode: str, from_epoch: int | None, to_epoch: int | None, source: str,
              params: dict[str, Any], patches: int, slivers: int, sliver_area_m2: Decimal,
              started_at: datetime) -> int:
    run = MonitorRun(mode=mode, from_epoch=from_epoch, to_epoch=to_epoch, source=source, params=params,
                     patches=patches, slivers=slivers, sliver_area_m2=sliver_area_m2, layer_path="",
                     started_at=started_at, state="running")
    session.add(run)
    session.flush()
    return int(run.id)


def finish_run(session: Session, run_id: int, layer_path: str, regions: list[tuple[str, str, dict[str, Any]]]) -> None:
    """Mark a run finished with where its patches are, and store its region summaries (region, level, figures)."""
    run = session.get_one(MonitorRun, run_id)
    run.layer_path, run.finished_at, run.state = layer_path, datetime.now(UTC), "finished"
    session.add_all(MonitorRegion(run_id=run_id, region=r, level=lv, figures=f) for r, lv, f in regions)


def running_runs(session: Session) -> list[tuple[int, str]]:
    """(id, lock token) of every run recorded as running."""
    rows = session.execute(select(MonitorRun.id, MonitorRun.params).where(MonitorRun.state == "running"))
    return [(int(i), str((params or {}).get("lock", ""))) for i, params in rows]


def mark_failed(session: Session, run_id: int) -> None:
    run = session.get_one(MonitorRun, run_id)
    run.state, run.finished_at = "failed", datetime.now(UTC)


def county_figures(session: Session) -> list[tuple[int, int, int, str, dict[str, Any]]]:
    """(run id, from epoch, to epoch, county, figures) of every finished epoch-diff run, oldest run first."""
    q = (select(MonitorRun.id, MonitorRun.from_epoch, MonitorRun.to_epoch, MonitorRegion.region, MonitorRegion.figures)
         .join(MonitorRegion, MonitorRegion.run_id == MonitorRun.id)
         .where(MonitorRun.mode == "diff", MonitorRun.state == "finished", MonitorRegion.level == "county")
         .order_by(MonitorRun.id))
    return [(int(i), int(f or 0), int(to or 0), str(r), dict(fig)) for i, f, to, r, fig in session.execute(q)]
