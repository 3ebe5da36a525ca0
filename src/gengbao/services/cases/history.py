"""Read use cases for the platform: one case's history from the audit trail, and the bytes of one of
its stored photos (looked up by its SHA-256 among the case's own evidence, never by a client path)."""

from __future__ import annotations

import json
from typing import Any

import shapely

from gengbao.adapters.db import audit_store, case_store
from gengbao.adapters.evidence import store
from gengbao.domain.access import Action
from gengbao.domain.errors import NotFoundError
from gengbao.services.cases.common import load
from gengbao.services.context import Context

MEDIA_TYPES = {"jpeg": "image/jpeg", "jpg": "image/jpeg", "png": "image/png", "tiff": "image/tiff",
               "webp": "image/webp", "heic": "image/heic", "mpo": "image/jpeg"}


def history(ctx: Context, number: str) -> list[dict[str, Any]]:
    """Every audit record about the case, oldest first: time, real user, action and its payload."""
    with ctx.sessions() as s:
        rec = load(s, number)
        ctx.authorise(Action.READ, rec.region)
        rows = audit_store.for_subject(s, f"case/{number}")
        return [{"seq": r.seq, "at": r.at.isoformat(), "actor": r.actor, "action": r.action,
                 "payload": json.loads(r.payload)} for r in rows]


def geometry(ctx: Context, number: str) -> dict[str, Any] | None:
    """The case's patch (or point) as a GeoJSON geometry in CGCS2000 lon/lat, or None."""
    with ctx.sessions() as s:
        rec = load(s, number)
        ctx.authorise(Action.READ, rec.region)
        if rec.geometry is None:
            return None
        g: dict[str, Any] = json.loads(shapely.to_geojson(shapely.from_wkb(rec.geometry)))
        return g


def photo(ctx: Context, number: str, sha256: str) -> tuple[bytes, str]:
    """The stored bytes of the case's photo ``sha256`` and its media type."""
    with ctx.sessions() as s:
        rec = load(s, number)
        ctx.authorise(Action.READ, rec.region)
        hit = next((e for e in case_store.evidence_of(s, rec.id) if e.sha256 == sha256), None)
        if hit is None:
            raise NotFoundError(f"案件 {number} 没有 SHA-256 为 {sha256} 的照片。", code="evidence.not_found",
                                number=number, sha256=sha256)
        path, fmt = hit.path, (hit.format or "jpeg").lower()
    data = store.read(ctx.layout.evidence, path)
    if data is None or store.sha256(data) != sha256:
        raise NotFoundError(f"案件 {number} 的照片 {sha256} 文件缺失或已被改动；请运行 gengbao evidence verify。",
                            code="evidence.file_missing", number=number, sha256=sha256)
    return data, MEDIA_TYPES.get(fmt, "application/octet-stream")
