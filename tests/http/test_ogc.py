"""OGC API Features and vector tiles: features read back identical to the layer store (through the API
and through GDAL's OAPIF driver against a real server on loopback), paging, bbox, the EPSG:4490 axis
order, and MVT tiles whose features are the source's, in tile coordinates."""

from __future__ import annotations

import math
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator

import mapbox_vector_tile
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely

from gengbao.adapters import layer_store
from tests.http.conftest import INSIDE, Platform
from tests.http.test_matrix import TILE

HIDDEN = ["county", "geom_hash", "bbox"]


def _source(p: Platform, kind: str, epoch: int) -> pd.DataFrame:
    g = layer_store.read_dataset(p.ctx.layout.layers, kind, epoch)
    return g.drop(columns=[c for c in HIDDEN if c in g.columns])


def _all_items(p: Platform, cid: str, limit: int, **params: str) -> tuple[list[dict], list[int]]:
    feats: list[dict] = []
    pages: list[int] = []
    url: str | None = f"/ogc/collections/{cid}/items"
    query: dict[str, object] | None = {"limit": limit, **params}
    while url:
        r = p.client.get(url, params=query, headers=p.as_user("root"))
        assert r.status_code == 200 and r.headers["content-type"] == "application/geo+json", r.text
        body = r.json()
        assert body["numberReturned"] == len(body["features"])
        feats += body["features"]
        pages.append(len(body["features"]))
        nxt = [x["href"] for x in body["links"] if x["rel"] == "next"]
        url, query = (nxt[0].replace("http://testserver", ""), None) if nxt else (None, None)
    return feats, pages


def test_items_page_through_the_whole_layer_identical_to_the_source(platform: Platform) -> None:
    src = _source(platform, "parcels", 2022)
    feats, pages = _all_items(platform, "parcels-2022", 7)
    assert pages == [7] * (len(src) // 7) + ([len(src) % 7] if len(src) % 7 else [])
    got = {f["id"]: f for f in feats}
    assert len(got) == len(src)
    for row in src.itertuples(index=False):
        f = got[row.BSM]
        assert shapely.equals_exact(shapely.geometry.shape(f["geometry"]), row.geometry, tolerance=0)
        for col in src.columns.drop("geometry"):
            assert f["properties"][col] == getattr(row, col), col


def test_bbox_and_the_epsg_4490_axis_order(platform: Platform) -> None:
    src = _source(platform, "parcels", 2022)
    box = (117.2005, 29.3005, 117.2032, 29.3012)
    want = set(src.loc[src.intersects(shapely.box(*box)), "BSM"])
    assert 0 < len(want) < len(src)
    feats, _ = _all_items(platform, "parcels-2022", 1000, bbox=",".join(map(str, box)))
    assert {f["id"] for f in feats} == want
    latlon = f"{box[1]},{box[0]},{box[3]},{box[2]}"
    crs = "http://www.opengis.net/def/crs/EPSG/0/4490"
    r = platform.client.get("/ogc/collections/parcels-2022/items", headers=platform.as_user("root"),
                            params={"bbox": latlon, "bbox-crs": crs, "crs": crs, "limit": 1000})
    assert r.headers["content-crs"] == f"<{crs}>"
    got = {f["id"]: f for f in r.json()["features"]}
    assert set(got) == want
    by_id = src.set_index("BSM")
    for fid, f in got.items():
        lonlat = by_id.loc[fid, "geometry"]
        swapped = shapely.transform(shapely.geometry.shape(f["geometry"]), lambda xy: xy[:, ::-1])
        assert shapely.equals_exact(swapped, lonlat, tolerance=0)
        assert shapely.get_coordinates(shapely.geometry.shape(f["geometry"]))[0][0] < 90  # latitude first


def test_single_feature_and_collection_metadata(platform: Platform) -> None:
    src = _source(platform, "pbf", 2021)
    fid = src["BSM"].iloc[0]
    r = platform.client.get(f"/ogc/collections/pbf-2021/items/{fid}", headers=platform.as_user("root"))
    assert r.status_code == 200 and r.json()["id"] == fid
    assert shapely.equals_exact(shapely.geometry.shape(r.json()["geometry"]), src.geometry.iloc[0], tolerance=0)
    meta = platform.client.get("/ogc/collections/pbf-2021", headers=platform.as_user("root")).json()
    assert meta["storageCrs"] == "http://www.opengis.net/def/crs/EPSG/0/4490"
    ext = meta["extent"]["spatial"]["bbox"][0]
    assert np.allclose(ext, src.total_bounds)
    ids = {c["id"] for c in platform.client.get("/ogc/collections", headers=platform.as_user("root")).json()["collections"]}
    assert {"parcels-2021", "parcels-2022", "pbf-2021", f"patches-{platform.run_id}"} <= ids


def test_patch_features_match_the_run(platform: Platform) -> None:
    src = _source(platform, "patches", platform.run_id)
    feats, _ = _all_items(platform, f"patches-{platform.run_id}", 1000)
    assert sorted(f["properties"]["patch"] for f in feats) == sorted(src["patch"])
    area = sum(f["properties"]["area_m2"] for f in feats) if "area_m2" in src.columns else None
    if area is not None:
        assert math.isclose(area, float(src["area_m2"].sum()), abs_tol=1e-6)


def test_tile_features_are_the_source_features_in_tile_coordinates(platform: Platform) -> None:
    z, y, x = (int(v) for v in TILE.split("/"))
    r = platform.client.get(f"/ogc/collections/parcels-2022/tiles/WebMercatorQuad/{TILE}",
                            headers=platform.as_user("root"))
    assert r.headers["content-type"] == "application/vnd.mapbox-vector-tile"
    layer = mapbox_vector_tile.decode(r.content, default_options={"y_coord_down": True})["parcels"]
    src = _source(platform, "parcels", 2022).set_index("BSM")
    assert {f["properties"]["BSM"] for f in layer["features"]} == set(src.index)
    n, ext = 2 ** z, layer["extent"]
    for f in layer["features"][:10]:  # a vertex maps back within one tile pixel of the source's
        gx, gy = shapely.get_coordinates(shapely.geometry.shape(f["geometry"]))[0]
        lon = (x + gx / ext) / n * 360 - 180
        lat = math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * (y + gy / ext) / n))))
        d = shapely.distance(shapely.Point(lon, lat), src.loc[f["properties"]["BSM"], "geometry"].boundary)
        assert d < 360 / n / ext * 1.5


@pytest.fixture
def server(platform: Platform) -> Iterator[str]:
    """The platform served by ``uvicorn`` in a subprocess on 127.0.0.1 (GDAL holds Python's GIL while it
    reads, so the server cannot share its process), stopped afterwards."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "GENGBAO_SERVE_WORKSPACE": str(platform.root), "NO_PROXY": "127.0.0.1"}
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "--factory",
                             "gengbao.interfaces.http.app:app_from_environment", "--host", "127.0.0.1",
                             "--port", str(port), "--log-level", "warning"], env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{url}/api/health", timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("the server did not start within 30 s")
        yield url
    finally:
        proc.terminate()
        proc.wait(10)


def test_gdal_oapif_reads_back_the_source(platform: Platform, server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    pyogrio.set_gdal_config_options({"GDAL_HTTP_AUTH": "BEARER", "GDAL_HTTP_BEARER": platform.tokens["root"],
                                     "GDAL_HTTP_TIMEOUT": "20", "GDAL_HTTP_MAX_RETRY": "0"})
    try:
        layers = {name for name, _ in pyogrio.list_layers(f"OAPIF:{server}/ogc")}
        assert {"parcels-2022", "pbf-2021", f"patches-{platform.run_id}"} <= layers
        got = pyogrio.read_dataframe(f"OAPIF:{server}/ogc", layer="parcels-2022")
        inside = pyogrio.read_dataframe(f"OAPIF:{server}/ogc", layer="parcels-2022",
                                        bbox=(117.19, 29.29, 117.3, 29.4))
        crs84 = pyogrio.read_dataframe(f"OAPIF:{server}/ogc", layer="parcels-2022", CRS="OGC:CRS84")
    finally:
        pyogrio.set_gdal_config_options({"GDAL_HTTP_AUTH": None, "GDAL_HTTP_BEARER": None, "GDAL_HTTP_TIMEOUT": None,
                                         "GDAL_HTTP_MAX_RETRY": None})
    src = _source(platform, "parcels", 2022).sort_values("BSM").reset_index(drop=True)
    got = got.sort_values("BSM").reset_index(drop=True)
    crs84 = crs84.sort_values("BSM").reset_index(drop=True)
    assert len(got) == len(src) == len(inside) == len(crs84)
    # GDAL asks for the storage CRS (EPSG:4490, latitude first) and turns it back into lon/lat
    assert got.crs is not None and got.crs.equals("EPSG:4490") and crs84.crs.equals("OGC:CRS84")
    assert shapely.equals_exact(got.geometry.values, src.geometry.values, tolerance=0).all()
    assert shapely.equals_exact(crs84.geometry.values, src.geometry.values, tolerance=0).all()
    for col in src.columns.drop("geometry"):
        assert list(got[col]) == list(src[col]), col


def test_gdal_as_a_township_user_sees_its_features_only(platform: Platform, server: str) -> None:
    pyogrio.set_gdal_config_options({"GDAL_HTTP_AUTH": "BEARER",
                                     "GDAL_HTTP_BEARER": platform.tokens["township-360202"]})
    try:
        got = pyogrio.read_dataframe(f"OAPIF:{server}/ogc", layer="parcels-2022")
    finally:
        pyogrio.set_gdal_config_options({"GDAL_HTTP_AUTH": None, "GDAL_HTTP_BEARER": None})
    assert len(got) > 0 and got["ZLDWDM"].str.startswith(INSIDE).all()


os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")
