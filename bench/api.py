"""HTTP benchmark: gengbao's OGC API and tiles under 50 concurrent clients on loopback, beside pygeoapi
serving the same layer, in the same run (all data synthetic: bench/monitor_data.py).

    python bench/api.py                        # 300k parcels in one county, 50 clients, 2 workers each
    python bench/api.py --parcels 30000 --requests 500 --no-peer

Measured: OGC items with a bbox of about 100 features (p50/p99 and throughput, gengbao and pygeoapi),
a vector tile at county zoom (z10) and at village zoom (z15), cold (first encoding, one client) and under
load (the server keeps encoded tiles), and a list route (the monitoring runs; cases have not landed).
pygeoapi (bench only: ``pip install pygeoapi``) serves the layer's GeoParquet file with its Parquet
provider: its GeoPackage provider needs SQLite extension loading, which this Python build lacks.
Both servers run under Uvicorn with the same number of worker processes; the load generator is one
asyncio process (httpx) on the same machine, so all three share its cores.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
COUNTY = "360222"
D = 0.0005  # parcel side in bench/monitor_data.py


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_up(url: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"server at {url} did not start")


def prepare(root: Path, parcels: int) -> tuple[Path, str]:
    from monitor_data import make_workspace

    from gengbao.domain.access import Role
    from gengbao.services import users
    from gengbao.services.workspace import open_workspace

    ws_path = root / f"ws-{parcels}"
    if not (ws_path / "gengbao.sqlite").exists():
        print(f"generating a {parcels}-parcel workspace in {ws_path} …", flush=True)
        make_workspace(ws_path, parcels, [COUNTY])
    ctx = open_workspace(ws_path)
    if not any(u.name == "bench" for u in users.list_users(ctx)):
        users.add_user(ctx, "bench", Role.ADMIN, "", "bench-password")
    token = users.create_token(ctx.acting_as(users.resolve_actor(ctx, "bench")), "bench", 1).token
    return ws_path, token


def start(cmd: list[str], env: dict[str, str], health: str, log: Path) -> subprocess.Popen[bytes]:
    """Start a server; its output goes to ``log``."""
    out = log.open("wb")
    proc = subprocess.Popen(cmd, env={**os.environ, **env, "NO_PROXY": "127.0.0.1"}, stdout=out, stderr=out)
    wait_up(health)
    return proc


def peer_parquet(source: Path, out: Path) -> Path:
    """The same layer for pygeoapi's Parquet provider: plain string columns and flat box columns
    (minx … maxy) instead of the GeoParquet covering struct, which that provider cannot read."""
    import geopandas as gpd
    import pyarrow as pa
    import pyarrow.parquet as pq

    if out.exists():
        return out
    g = gpd.read_parquet(source)
    g = g.drop(columns=[c for c in ("bbox", "geom_hash") if c in g.columns])
    b = g.geometry.bounds
    for k in ("minx", "miny", "maxx", "maxy"):
        g[k] = b[k].to_numpy()
    g.to_parquet(out, index=False, geometry_encoding="WKB", write_covering_bbox=False)
    t = pq.read_table(out)
    schema = pa.schema([pa.field(f.name, pa.string()) if pa.types.is_large_string(f.type) else f for f in t.schema],
                       metadata=t.schema.metadata)
    pq.write_table(t.cast(schema), out)
    return out


def pygeoapi_config(folder: Path, parquet: Path, port: int) -> Path:
    cfg = folder / "pygeoapi.yml"
    cfg.write_text(f"""server:
  bind: {{host: 127.0.0.1, port: {port}}}
  url: http://127.0.0.1:{port}
  mimetype: application/json; charset=UTF-8
  encoding: utf-8
  languages: [en-US]
  limits: {{default_items: 100, max_items: 10000}}
  map: {{url: "https://example.invalid/{{z}}/{{x}}/{{y}}.png", attribution: none}}
logging: {{level: ERROR}}
metadata:
  identification: {{title: bench, description: bench, keywords: [bench], keywords_type: theme, terms_of_service: none, url: http://127.0.0.1}}
  license: {{name: none, url: http://127.0.0.1}}
  provider: {{name: bench, url: http://127.0.0.1}}
  contact: {{name: bench}}
resources:
  parcels:
    type: collection
    title: parcels
    description: synthetic parcels
    keywords: [parcels]
    extents:
      spatial: {{bbox: [-180, -90, 180, 90], crs: http://www.opengis.net/def/crs/OGC/1.3/CRS84}}
    providers:
      - type: feature
        name: Parquet
        data: {{source: {parquet}}}
        id_field: BSM
        x_field: [minx, maxx]
        y_field: [miny, maxy]
""", encoding="utf-8")
    return cfg


async def load(urls: list[str], clients: int, headers: dict[str, str]) -> tuple[list[float], float, int]:
    """Send ``urls`` with ``clients`` concurrent connections; latencies (s), wall time, failures."""
    queue: asyncio.Queue[str] = asyncio.Queue()
    for u in urls:
        queue.put_nowait(u)
    lat: list[float] = []
    failures = 0
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(headers=headers, limits=limits, timeout=120, trust_env=False) as client:

        async def worker() -> None:
            nonlocal failures
            while not queue.empty():
                u = queue.get_nowait()
                t = time.perf_counter()
                try:
                    r = await client.get(u)
                    failures += r.status_code != 200
                except httpx.HTTPError:
                    failures += 1
                lat.append(time.perf_counter() - t)

        t0 = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
    return lat, time.perf_counter() - t0, failures


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(math.ceil(q * len(s))) - 1)] * 1000


def report(name: str, lat: list[float], wall: float, failures: int) -> float:
    rps = len(lat) / wall
    print(f"{name:<44} n={len(lat):>5}  p50 {pct(lat, 0.5):8.1f} ms  p99 {pct(lat, 0.99):8.1f} ms  "
          f"{rps:7.1f} req/s  failed {failures}", flush=True)
    return rps


def tile_xy(z: int, lon: float, lat: float) -> tuple[int, int]:
    n = 2 ** z
    return int((lon + 180) / 360 * n), int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--parcels", type=int, default=300_000)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--requests", type=int, default=2000, help="requests per measurement")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "gengbao-bench-api")
    ap.add_argument("--no-peer", action="store_true", help="skip pygeoapi")
    a = ap.parse_args()
    a.cache.mkdir(parents=True, exist_ok=True)
    ws, token = prepare(a.cache, a.parcels)
    from gengbao.adapters import monitor_io

    xmin, ymin, xmax, ymax = monitor_io.extent(ws / "layers", "parcels", 2022, COUNTY) or (0, 0, 0, 0)
    rng = random.Random(7)
    boxes, peer_boxes = [], []  # 10 × 10 parcels of the grid: gengbao's bbox meets them (OGC: intersects),
    for _ in range(a.requests):  # pygeoapi's Parquet provider returns features inside its bbox
        x = xmin + rng.randrange(int((xmax - xmin) / D) - 10) * D
        y = ymin + rng.randrange(int((ymax - ymin) / D) - 10) * D
        boxes.append(f"{x + 0.1 * D:.7f},{y + 0.1 * D:.7f},{x + 9.9 * D:.7f},{y + 9.9 * D:.7f}")
        peer_boxes.append(f"{x - 0.01 * D:.7f},{y - 0.01 * D:.7f},{x + 10.01 * D:.7f},{y + 10.01 * D:.7f}")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    auth = {"Authorization": f"Bearer {token}"}
    server = start([sys.executable, "-m", "uvicorn", "--factory", "gengbao.interfaces.http.app:app_from_environment",
                    "--host", "127.0.0.1", "--port", str(port), "--workers", str(a.workers), "--log-level", "warning",
                    "--no-access-log"], {"GENGBAO_SERVE_WORKSPACE": str(ws)}, f"{base}/api/health",
                   a.cache / "gengbao-server.log")
    print(f"gengbao: {a.parcels} parcels, {a.workers} workers, {a.clients} clients, {os.cpu_count()} CPUs", flush=True)
    results: dict[str, float] = {}
    try:
        items = [f"{base}/ogc/collections/parcels-2022/items?limit=100&bbox={b}" for b in boxes]
        t = time.perf_counter()
        httpx.get(items[-1], headers=auth, trust_env=False, timeout=300)
        print(f"first request (a worker loads the layer and its index): {time.perf_counter() - t:.1f} s")
        asyncio.run(load(items[-40:], 8, auth))  # warm-up: every worker has loaded the layer
        got = httpx.get(items[0], headers=auth, trust_env=False).json()
        print(f"items per bbox request: {got['numberReturned']} (matched {got['numberMatched']})")
        results["gengbao_items"] = report("gengbao  OGC items bbox (≈100 features)", *asyncio.run(load(items, a.clients, auth)))
        for z, label in ((10, "county zoom z10"), (15, "village zoom z15")):
            x0, y1 = tile_xy(z, xmin, ymin)
            x1, y0 = tile_xy(z, xmax, ymax)
            tiles = [f"{base}/ogc/collections/parcels-2022/tiles/WebMercatorQuad/{z}/{y}/{x}"
                     for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)]
            cold = tiles[: min(len(tiles), 200)]
            report(f"gengbao  tile {label}, cold ({len(tiles)} tiles)", *asyncio.run(load(cold, 1, auth)))
            urls = [rng.choice(tiles) for _ in range(a.requests)]
            report(f"gengbao  tile {label}, 50 clients", *asyncio.run(load(urls, a.clients, auth)))
        runs = [f"{base}/api/monitoring/runs"] * a.requests
        report("gengbao  list route (monitoring runs)", *asyncio.run(load(runs, a.clients, auth)))
    finally:
        server.terminate()
        server.wait(20)
    if a.no_peer:
        return
    try:
        import pygeoapi  # noqa: F401
    except ImportError:
        print("pygeoapi is not installed (pip install pygeoapi): no peer figures")
        return
    parquet = peer_parquet(monitor_io.partition(ws / "layers", "parcels", 2022, COUNTY), a.cache / f"peer-{a.parcels}.parquet")
    pport = free_port()
    cfg = pygeoapi_config(a.cache, parquet, pport)
    openapi = a.cache / "pygeoapi-openapi.yml"
    env = {"PYGEOAPI_CONFIG": str(cfg), "PYGEOAPI_OPENAPI": str(openapi)}
    subprocess.run([str(Path(sys.executable).parent / "pygeoapi"), "openapi", "generate", str(cfg), "--output-file",
                    str(openapi)],
                   env={**os.environ, **env}, check=True, stdout=subprocess.DEVNULL)
    pbase = f"http://127.0.0.1:{pport}"
    peer = start([sys.executable, "-m", "uvicorn", "pygeoapi.starlette_app:APP", "--host", "127.0.0.1", "--port",
                  str(pport), "--workers", str(a.workers), "--log-level", "warning", "--no-access-log"], env,
                 f"{pbase}/collections?f=json", a.cache / "pygeoapi-server.log")
    try:
        purls = [f"{pbase}/collections/parcels/items?f=json&limit=100&bbox={b}" for b in peer_boxes]
        asyncio.run(load(purls[-40:], 8, {}))
        got = httpx.get(purls[0], trust_env=False).json()
        print(f"pygeoapi items per bbox request: {len(got.get('features', []))}")
        results["pygeoapi_items"] = report("pygeoapi OGC items bbox (≈100 features)",
                                           *asyncio.run(load(purls, a.clients, {})))
    finally:
        peer.terminate()
        peer.wait(20)
    ratio = results["gengbao_items"] / results["pygeoapi_items"]
    print(f"items throughput: gengbao / pygeoapi = {ratio:.1f}× (target ≥ 3×)")


if __name__ == "__main__":
    main()
