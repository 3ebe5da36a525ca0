"""``GET /api/health``: public liveness check."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

import gengbao

router = APIRouter(tags=["health"])


@router.get("/api/health", summary="服务状态（无需登录）")
def health() -> dict[str, Any]:
    return {"ok": True, "status": "ok", "version": getattr(gengbao, "__version__", "0")}
