"""Stored monitoring runs, read for a user: the list, and one run with the region summaries inside the
user's jurisdiction."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gengbao.adapters.db import catalog_store
from gengbao.adapters.db.catalog_store import RunRegionRow, RunRow
from gengbao.domain.access import Action
from gengbao.domain.errors import NotFoundError
from gengbao.services.context import Context


@dataclass(frozen=True, slots=True)
class RunView:
    run: RunRow
    regions: tuple[RunRegionRow, ...] = ()

    def to_dict(self, with_regions: bool = False) -> dict[str, Any]:
        r = self.run
        d: dict[str, Any] = {
            "id": r.id, "mode": r.mode, "from_epoch": r.from_epoch, "to_epoch": r.to_epoch, "source": r.source,
            "patches": r.patches, "started_at": r.started_at.isoformat(),
            "finished_at": r.finished_at.isoformat() if r.finished_at else None,
            "finished": r.finished_at is not None,
        }
        if with_regions:
            d["regions"] = [{"region": x.region, "level": x.level, **x.figures} for x in self.regions]
        return d


def list_runs(ctx: Context) -> list[RunView]:
    """Every run (the run itself names no region; its figures are cut to the caller in ``run_detail``).
    A caller whose jurisdiction is below the workspace sees the total patch count only through its own
    regions, so the count is withheld from it."""
    ctx.authorise(Action.READ)
    with ctx.sessions() as s:
        rows = catalog_store.runs(s)
    if not ctx.actor.covers(ctx.region):
        return [RunView(_without_count(r)) for r in rows]
    return [RunView(r) for r in rows]


def _without_count(r: RunRow) -> RunRow:
    return RunRow(r.id, r.mode, r.from_epoch, r.to_epoch, r.source, {}, -1, r.started_at, r.finished_at)


def run_detail(ctx: Context, run_id: int) -> RunView:
    ctx.authorise(Action.READ)
    with ctx.sessions() as s:
        row = catalog_store.run(s, run_id)
        regions = catalog_store.run_regions(s, run_id) if row is not None else []
    if row is None:
        raise NotFoundError(f"监测批次 {run_id} 不存在", code="monitor.run_not_found", run=run_id)
    mine = tuple(x for x in regions if ctx.actor.covers(x.region))
    return RunView(row if ctx.actor.covers(ctx.region) else _without_count(row), mine)
