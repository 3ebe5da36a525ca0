"""``GET /api/workspace``: the workspace, the caller, the layers and regions the caller may see."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from gengbao.domain.access import Action
from gengbao.domain.regions import RegionLevel
from gengbao.interfaces.http.auth import guard
from gengbao.services.context import Context
from gengbao.services.survey.epochs import stored_layers

router = APIRouter(prefix="/api", tags=["workspace"])


@router.get("/workspace", summary="工作空间概况（按当前用户的管辖区域）")
def workspace(ctx: Context = Depends(guard(Action.READ))) -> dict[str, Any]:
    top = ctx.catalog.get(ctx.region)
    counties = [top] if top.level is RegionLevel.COUNTY else ctx.catalog.descendants(ctx.region, RegionLevel.COUNTY)
    mine = [c for c in counties if ctx.actor.covers(c.code) or ctx.actor.jurisdiction.startswith(c.code)]
    a = ctx.actor
    return {
        "ok": True,
        "workspace": {"region": top.code, "name": top.name, "level": str(top.level)},
        "actor": {"name": a.user_id, "display_name": a.display_name, "role": str(a.role), "role_label": a.role.label,
                  "jurisdiction": a.jurisdiction},
        "counties": [{"code": c.code, "name": c.name} for c in mine],
        "layers": [e.to_dict() for e in stored_layers(ctx)],
    }
