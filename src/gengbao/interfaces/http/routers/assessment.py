"""``GET /api/assessment``: the yearly scorecard, regions of the caller's jurisdiction only."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, Query

from gengbao.domain.access import Action
from gengbao.domain.assessment.scorecard import score_to_dict
from gengbao.interfaces.http.auth import guard, keep
from gengbao.services.assessment.assess import assess
from gengbao.services.context import Context

router = APIRouter(prefix="/api", tags=["assessment"])


@router.get("/assessment", summary="年度考核（默认规则，按当前用户的管辖区域）")
def assessment(year: int = Query(ge=1901, le=2199), level: Literal["county", "township", "city"] | None = None,
               ctx: Context = Depends(guard(Action.READ))) -> dict[str, Any]:
    a = assess(ctx, year, level=level)
    scores = keep(ctx, a.scores, lambda s: s.region)
    return {"ok": True, "year": a.year, "profile": a.profile.name, "level": a.profile.level if level is None else level,
            "regions": [score_to_dict(s) for s in scores]}
