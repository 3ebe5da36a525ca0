"""``GET /api/survey/stats``: farmland and PBF per region, rows cut to the caller's jurisdiction."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, Query

from gengbao.domain.access import Action
from gengbao.domain.regions import RegionLevel
from gengbao.interfaces.http.auth import guard, keep
from gengbao.services.context import Context
from gengbao.services.survey import stats

router = APIRouter(prefix="/api/survey", tags=["survey"])


@router.get("/stats", summary="调查统计：各行政区耕地与永久基本农田面积")
def survey_stats(epoch: int = Query(ge=1900, le=2199), level: Literal["county", "township", "village"] = "county",
                 ctx: Context = Depends(guard(Action.READ))) -> dict[str, Any]:
    rows = keep(ctx, stats.region_stats(ctx, epoch, by=RegionLevel(level)), lambda r: r.region)
    farmland, pbf = stats.total(rows)
    return {"ok": True, "epoch": epoch, "level": level, "regions": [r.to_dict() for r in rows],
            "total": {"farmland_m2": str(farmland), "pbf_m2": str(pbf)}}
