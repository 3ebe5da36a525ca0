"""OGC API Features: landing page, conformance, collections, items (GeoJSON, bbox/limit/offset paging)
and single features; Part 2 CRS: ``crs`` and ``bbox-crs`` take CRS84 (lon/lat, the default) or
EPSG:4490 (CGCS2000, whose axis order is latitude then longitude, as the EPSG register defines it).
The layers are stored in CGCS2000; CRS84 output gives the same numbers in lon/lat order (the frames
differ by centimetres, below the survey's precision; no datum shift is applied)."""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime
from typing import Any

import numpy as np
import shapely
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from gengbao.domain.access import Action
from gengbao.domain.errors import InputError, NotFoundError
from gengbao.interfaces.http.auth import guard
from gengbao.interfaces.http.ogc.source import Collection, LayerSource, Part, parse_collection, select
from gengbao.services.context import Context

router = APIRouter(prefix="/ogc", tags=["ogc"])
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
EPSG4490 = "http://www.opengis.net/def/crs/EPSG/0/4490"
CRS_URIS = {CRS84: False, EPSG4490: True, "EPSG:4490": True, "OGC:CRS84": False}  # value: lat/lon order
CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
]
GEOJSON = "application/geo+json"
MAX_LIMIT = 10000


def _source(request: Request) -> LayerSource:
    src: LayerSource = request.app.state.layers
    return src


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/") + "/ogc"


def _json(data: Any, media: str = "application/json", headers: dict[str, str] | None = None) -> Response:
    return Response(json.dumps(data, ensure_ascii=False, default=str), media_type=media, headers=headers)


def _crs(value: str | None, what: str) -> bool:
    """True when ``value`` names EPSG:4490 (lat/lon order), False for CRS84."""
    if value is None:
        return False
    v = value.strip("<>")
    if v not in CRS_URIS:
        raise InputError(f"不支持的坐标参考系 {what}={value[:120]}；可用：{CRS84}、{EPSG4490}",
                         code="ogc.crs_unsupported", parameter=what)
    return CRS_URIS[v]


def _bbox(text: str | None, latlon: bool) -> tuple[float, float, float, float] | None:
    if text is None:
        return None
    try:
        v = [float(x) for x in text.split(",")]
    except ValueError:
        v = []
    if len(v) != 4 or not all(math.isfinite(x) for x in v):
        raise InputError("bbox 须为 4 个数：最小经度,最小纬度,最大经度,最大纬度", code="ogc.bbox_invalid")
    if latlon:
        v = [v[1], v[0], v[3], v[2]]
    if v[0] > v[2] or v[1] > v[3] or not (-180 <= v[0] <= 180 and -90 <= v[1] <= 90 and -180 <= v[2] <= 180
                                          and -90 <= v[3] <= 90):
        raise InputError("bbox 的范围无效（最小值须不大于最大值，且在经纬度范围内）", code="ogc.bbox_invalid")
    return v[0], v[1], v[2], v[3]


def _visible(src: LayerSource, ctx: Context, c: Collection) -> list[str]:
    j = ctx.actor.jurisdiction
    return [k for k in src.counties(c) if k.startswith(j) or j.startswith(k)]


def _collection(request: Request, src: LayerSource, ctx: Context, c: Collection) -> dict[str, Any]:
    base = _base(request)
    counties = _visible(src, ctx, c)
    extent = src.extent(c, counties) if ctx.actor.covers(ctx.region) or counties else None
    d: dict[str, Any] = {
        "id": c.id, "title": c.title, "itemType": "feature",
        "crs": [CRS84, EPSG4490], "storageCrs": EPSG4490,
        "links": [
            {"href": f"{base}/collections/{c.id}", "rel": "self", "type": "application/json", "title": c.title},
            {"href": f"{base}/collections/{c.id}/items", "rel": "items", "type": GEOJSON, "title": "要素"},
            {"href": f"{base}/collections/{c.id}/tiles/WebMercatorQuad/{{tileMatrix}}/{{tileRow}}/{{tileCol}}",
             "rel": "item", "type": "application/vnd.mapbox-vector-tile", "title": "矢量瓦片", "templated": True},
        ],
    }
    if extent:
        d["extent"] = {"spatial": {"bbox": [extent], "crs": CRS84}}
    return d


@router.get("", summary="OGC API 入口")
def landing(request: Request, ctx: Context = Depends(guard(Action.READ))) -> Response:
    base = _base(request)
    return _json({"title": f"耕保 gengbao：{ctx.catalog.get(ctx.region).name} 图层服务", "links": [
        {"href": base, "rel": "self", "type": "application/json", "title": "本页"},
        {"href": str(request.base_url).rstrip("/") + "/api/openapi.json", "rel": "service-desc",
         "type": "application/vnd.oai.openapi+json;version=3.0", "title": "接口文档"},
        {"href": f"{base}/conformance", "rel": "conformance", "type": "application/json", "title": "符合性"},
        {"href": f"{base}/collections", "rel": "data", "type": "application/json", "title": "图层集合"},
    ]})


@router.get("/conformance", summary="OGC 符合性声明")
def conformance(ctx: Context = Depends(guard(Action.READ))) -> Response:
    return _json({"conformsTo": CONFORMANCE})


@router.get("/collections", summary="图层集合")
def collections(request: Request, ctx: Context = Depends(guard(Action.READ))) -> Response:
    src = _source(request)
    items = [_collection(request, src, ctx, c) for c in src.collections()]
    return _json({"links": [{"href": f"{_base(request)}/collections", "rel": "self", "type": "application/json"}],
                  "collections": items, "crs": [CRS84, EPSG4490]})


@router.get("/collections/{collection_id}", summary="图层集合说明")
def collection(collection_id: str, request: Request, ctx: Context = Depends(guard(Action.READ))) -> Response:
    c = parse_collection(collection_id)
    src = _source(request)
    if c not in src.collections():
        raise NotFoundError(f"图层集合“{collection_id[:80]}”不存在", code="ogc.collection_not_found")
    return _json(_collection(request, src, ctx, c))


def _clean(props: dict[str, Any]) -> dict[str, Any]:
    return {k: (None if isinstance(v, float) and not math.isfinite(v) else v) for k, v in props.items()}


def feature_strings(part: Part, idx: np.ndarray, latlon: bool) -> list[str]:
    props = part.rows(idx)
    geoms = shapely.from_wkb(part.wkb[idx])
    if latlon:
        geoms = shapely.transform(geoms, lambda xy: xy[:, ::-1])
    texts = shapely.to_geojson(geoms)
    ids = part.ids[idx]
    return [
        f'{{"type":"Feature","id":{json.dumps(_plain(i))},"geometry":{g},'
        f'"properties":{json.dumps(_clean(p), ensure_ascii=False, default=str)}}}'
        for i, g, p in zip(ids, texts, props, strict=True)
    ]


def _plain(v: Any) -> Any:
    return v.item() if isinstance(v, np.generic) else v


@router.get("/collections/{collection_id}/items", summary="要素（GeoJSON，可按 bbox 过滤与分页）")
def items(collection_id: str, request: Request,
          limit: int = Query(default=100, ge=1, le=MAX_LIMIT), offset: int = Query(default=0, ge=0, le=10**9),
          bbox: str | None = Query(default=None, max_length=200),
          bbox_crs: str | None = Query(default=None, alias="bbox-crs", max_length=200),
          crs: str | None = Query(default=None, max_length=200),
          ctx: Context = Depends(guard(Action.READ))) -> Response:
    c = parse_collection(collection_id)
    latlon = _crs(crs, "crs")
    box = _bbox(bbox, _crs(bbox_crs, "bbox-crs"))
    j = ctx.actor.jurisdiction
    chosen = select(_source(request).parts(c, j), j, box)
    matched = sum(len(i) for _, i in chosen)
    feats: list[str] = []
    skip, want = offset, limit
    for part, idx in chosen:
        if skip >= len(idx):
            skip -= len(idx)
            continue
        take = idx[skip: skip + want]
        skip = 0
        feats += feature_strings(part, take, latlon)
        want -= len(take)
        if want == 0:
            break
    url = request.url
    links = [{"href": str(url), "rel": "self", "type": GEOJSON, "title": "本页"}]
    if offset + len(feats) < matched:
        links.append({"href": str(url.include_query_params(offset=offset + len(feats), limit=limit)), "rel": "next",
                      "type": GEOJSON, "title": "下一页"})
    if offset > 0:
        links.append({"href": str(url.include_query_params(offset=max(0, offset - limit), limit=limit)),
                      "rel": "prev", "type": GEOJSON, "title": "上一页"})
    head = json.dumps({"type": "FeatureCollection", "numberMatched": matched, "numberReturned": len(feats),
                       "timeStamp": datetime.now(UTC).isoformat(timespec="seconds"), "links": links},
                      ensure_ascii=False)
    body = head[:-1] + ',"features":[' + ",".join(feats) + "]}"
    return Response(body, media_type=GEOJSON, headers={"Content-Crs": f"<{EPSG4490 if latlon else CRS84}>"})


@router.get("/collections/{collection_id}/items/{feature_id}", summary="单个要素")
def item(collection_id: str, feature_id: str, request: Request,
         crs: str | None = Query(default=None, max_length=200),
         ctx: Context = Depends(guard(Action.READ))) -> Response:
    c = parse_collection(collection_id)
    latlon = _crs(crs, "crs")
    j = ctx.actor.jurisdiction
    for part, idx in select(_source(request).parts(c, j), j, None):
        hit = idx[np.array([str(_plain(v)) == feature_id for v in part.ids[idx]], dtype=bool)] if len(idx) else idx
        if len(hit):
            text = feature_strings(part, hit[:1], latlon)[0]
            link = json.dumps([{"href": str(request.url), "rel": "self", "type": GEOJSON},
                               {"href": f"{_base(request)}/collections/{c.id}", "rel": "collection",
                                "type": "application/json"}])
            return Response(text[:-1] + f',"links":{link}}}', media_type=GEOJSON,
                            headers={"Content-Crs": f"<{EPSG4490 if latlon else CRS84}>"})
    raise NotFoundError(f"图层集合“{c.id}”中没有要素“{feature_id[:80]}”", code="ogc.feature_not_found")
