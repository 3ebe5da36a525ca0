"""``GET /api/tasks/status``: responsibility tasks and their status, rows of the caller's units only."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Query

from gengbao.domain.access import Action
from gengbao.interfaces.http.auth import guard, keep
from gengbao.services.context import Context
from gengbao.services.tasks.progress import status_json, task_status

router = APIRouter(prefix="/api/tasks", tags=["tasks"])


@router.get("/status", summary="任务清单进展（按当前用户的管辖区域）")
def status(as_of: date | None = None, unit: str | None = Query(default=None, max_length=128),
           document: str | None = Query(default=None, max_length=128),
           ctx: Context = Depends(guard(Action.READ))) -> dict[str, Any]:
    result = task_status(ctx, unit=unit, as_of=as_of, document=document)
    rows = keep(ctx, result.rows, lambda r: r.assignment.unit_region)
    counts = {k: sum(1 for r in rows if r.status.value == k) for k in result.counts()}
    return {"ok": True, "as_of": result.as_of.isoformat(), "cadence": str(result.cadence.value),
            "counts": counts, "rows": [status_json(r) for r in rows]}
