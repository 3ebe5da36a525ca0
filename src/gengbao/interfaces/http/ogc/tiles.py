"""Mapbox vector tiles (WebMercatorQuad) of every collection, for the web map: features inside the
caller's jurisdiction, clipped to the tile with a small buffer. At small scales small features are left
out: below zoom 13 a feature must span 2^(13 − z) pixels (2 px at z12, 8 px at z10), so a county view
holds the large features and a 300k-parcel county's parcels appear as the map zooms in to township and
village scale. Encoded tiles are cached per caller jurisdiction."""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from typing import Any

import mapbox_vector_tile
import numpy as np
import shapely
from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import Response

from gengbao.domain.access import Action
from gengbao.domain.errors import NotFoundError
from gengbao.interfaces.http.auth import guard
from gengbao.interfaces.http.ogc.source import LayerSource, parse_collection
from gengbao.services.context import Context

router = APIRouter(prefix="/ogc", tags=["ogc"])
MVT = "application/vnd.mapbox-vector-tile"
EXTENT, BUFFER = 4096, 64
DETAIL_ZOOM = 13
PROPERTIES = {"parcels": ("BSM", "DLBM", "DLMC", "ZLDWDM", "TBDLMJ"), "pbf": ("BSM", "ZLDWDM", "TBDLMJ"),
              "patches": ("id", "patch", "region", "from_class", "to_class", "change_type", "legality")}
CACHE_SIZE = 4096


class TileCache:
    """Encoded tiles of one application, by (collection, jurisdiction, z, x, y)."""

    def __init__(self) -> None:
        self.tiles: OrderedDict[tuple[str, str, int, int, int], bytes] = OrderedDict()
        self.lock = threading.Lock()


def tile_bounds(z: int, x: int, y: int) -> tuple[float, float, float, float]:
    """(west, south, east, north) in degrees of a WebMercatorQuad tile."""
    n = 2 ** z

    def lat(row: float) -> float:
        return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * row / n))))

    return x / n * 360 - 180, lat(y + 1), (x + 1) / n * 360 - 180, lat(y)


def _merc_y(lat: np.ndarray) -> np.ndarray:
    lat = np.clip(lat, -85.05112878, 85.05112878)
    out: np.ndarray = np.log(np.tan(np.pi / 4 + np.radians(lat) / 2))
    return out


def encode_tile(src: LayerSource, cid: str, jurisdiction: str, z: int, x: int, y: int) -> bytes:
    c = parse_collection(cid)
    west, south, east, north = tile_bounds(z, x, y)
    px = (east - west) / EXTENT
    min_size = px * 2 ** max(0, DETAIL_ZOOM - z)
    pad = px * BUFFER
    chosen = []
    for part in src.parts(c, jurisdiction):
        idx = part.near((west - pad, south - pad, east + pad, north + pad))
        mask = part.within(jurisdiction)
        if mask is not None:
            idx = idx[mask[idx]]
        if len(idx):
            chosen.append((part, idx))
    top, bottom = _merc_y(np.array([north]))[0], _merc_y(np.array([south]))[0]
    features: list[dict[str, Any]] = []
    keep_props = PROPERTIES[c.kind]
    for part, idx in chosen:
        b = part.boxes[idx]
        idx = idx[np.maximum(b[:, 2] - b[:, 0], b[:, 3] - b[:, 1]) >= min_size]
        if not len(idx):
            continue
        geoms = shapely.from_wkb(part.wkb[idx])

        def to_tile(xy: np.ndarray) -> np.ndarray:
            out = np.empty_like(xy)
            out[:, 0] = (xy[:, 0] - west) / (east - west) * EXTENT
            out[:, 1] = (top - _merc_y(xy[:, 1])) / (top - bottom) * EXTENT
            return out

        geoms = shapely.clip_by_rect(shapely.transform(geoms, to_tile), -BUFFER, -BUFFER, EXTENT + BUFFER,
                                     EXTENT + BUFFER)
        props = part.rows(idx, keep_props)
        for g, p in zip(geoms, props, strict=True):
            if g is None or g.is_empty:
                continue
            features.append({"geometry": g, "properties": {k: v for k, v in p.items() if v is not None}})
    if not features:
        return b""
    return bytes(mapbox_vector_tile.encode([{"name": c.kind, "features": features}],
                                           default_options={"y_coord_down": True, "extents": EXTENT}))


@router.get("/collections/{collection_id}/tiles/WebMercatorQuad/{z}/{y}/{x}", summary="矢量瓦片（MVT）",
            response_class=Response, responses={200: {"content": {MVT: {}}}})
def tile(collection_id: str, request: Request, z: int = Path(ge=0, le=22), y: int = Path(ge=0),
         x: int = Path(ge=0), ctx: Context = Depends(guard(Action.READ))) -> Response:
    if x >= 2 ** z or y >= 2 ** z:
        raise NotFoundError(f"瓦片 {z}/{y}/{x} 不存在", code="ogc.tile_not_found")
    src: LayerSource = request.app.state.layers
    j = ctx.actor.jurisdiction
    cache: TileCache = request.app.state.tiles
    key = (collection_id, j, z, x, y)
    with cache.lock:
        data = cache.tiles.get(key)
    if data is None:
        data = encode_tile(src, collection_id, j, z, x, y)
        with cache.lock:
            cache.tiles[key] = data
            while len(cache.tiles) > CACHE_SIZE:
                cache.tiles.popitem(last=False)
    return Response(data, media_type=MVT, headers={"Cache-Control": "private, max-age=300"})
