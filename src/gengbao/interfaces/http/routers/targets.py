"""Targets: the stored figures and their check, cut to the caller's jurisdiction."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query

from gengbao.domain.access import Action
from gengbao.interfaces.http.auth import guard, keep
from gengbao.services.context import Context
from gengbao.services.targets import use_cases

router = APIRouter(prefix="/api/targets", tags=["targets"])


@router.get("", summary="已导入的耕地保护目标")
def list_targets(ctx: Context = Depends(guard(Action.READ))) -> dict[str, Any]:
    rows = keep(ctx, use_cases.list_targets(ctx), lambda t: t.region)
    return {"ok": True, "targets": [t.to_dict() for t in rows]}


@router.get("/check", summary="核对目标（可与某期调查统计比对）")
def check_targets(epoch: int | None = Query(default=None, ge=1900, le=2199),
                  ctx: Context = Depends(guard(Action.READ))) -> dict[str, Any]:
    report = use_cases.check_targets(ctx, epoch)
    findings = keep(ctx, list(report.findings), lambda f: f.region)
    d = report.to_dict()
    d["findings"] = [f.to_dict() for f in findings]
    d["counts"] = {k: sum(1 for f in findings if str(f.severity) == k) for k in d["counts"]}
    if not ctx.actor.covers(ctx.region):
        d["regions"] = d["values"] = None
    return {"ok": True, **d}
