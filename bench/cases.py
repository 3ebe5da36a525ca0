"""Cases benchmark: opening clues for 10⁴ patches and judging them in bulk (SQLite and PostgreSQL),
and re-checking 10⁵ closed cases against a new 300k-parcel epoch — each beside a peer measured in
the same run.

    .venv/bin/python bench/cases.py [--patches 10000] [--closed 100000] [--parcels 300000] [--pg URL]

Open + judge: a synthetic monitoring run of N square patches (stored like a real run: GeoParquet +
``monitor_run`` row) is opened with ``open_from_run`` and judged with ``judge_many``; the photos a
judgement requires are registered beforehand (setup, untimed; photo ingestion is timed separately per
photo). Peer: the same judgement one case per transaction (``judge``), on a sample, per case.
Re-check: N closed cases on a grid of parcels, 1 % built on again; gengbao's ``recheck`` (STRtree bulk
query + vectorised intersection + ellipsoidal area) vs ``geopandas.overlay`` of cases and built
parcels with the same areas. All data are synthetic.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from gengbao.adapters import layer_store, monitor_io  # noqa: E402
from gengbao.adapters.db import case_store  # noqa: E402
from gengbao.adapters.db.models_monitoring import MonitorRun  # noqa: E402
from gengbao.domain.access import Actor, Role  # noqa: E402
from gengbao.domain.cases.judgement import Category, Judgement  # noqa: E402
from gengbao.services.cases import rectify, workflow  # noqa: E402
from gengbao.services.cases.clues import open_from_run  # noqa: E402
from gengbao.services.cases.land import built_areas  # noqa: E402
from gengbao.services.workspace import init_workspace  # noqa: E402
from gengbao.spatial.area import ellipsoidal_area  # noqa: E402

COUNTY = "360281"
FILLER = Actor("bench", Role.COUNTY_FILLER, COUNTY)
X0, Y0 = 117.0, 28.9
J = Judgement(Category.ILLEGAL_NON_AGRICULTURAL, "industry_commerce", builder="某公司", build_date=date(2023, 5, 1))


def grid(n: int, cell: float, fill: float = 1.0) -> np.ndarray:
    side = int(np.ceil(np.sqrt(n)))
    i = np.arange(n)
    x, y = X0 + (i % side) * cell, Y0 + (i // side) * cell
    return shapely.box(x, y, x + cell * fill, y + cell * fill)


def fake_run(ctx, n: int) -> int:  # type: ignore[no-untyped-def]
    geoms = grid(n, 0.001, 0.6)
    area = np.round(ellipsoidal_area(geoms), 2)
    ids = [f"{COUNTY}-{i + 1:06d}" for i in range(n)]
    frame = gpd.GeoDataFrame({
        "id": ids, "patch": ids, "county": COUNTY, "township": f"{COUNTY}100", "region": f"{COUNTY}1002010000000",
        "from_class": "0101", "to_class": "0601", "change_type": "non_agricultural_conversion",
        "legality": "suspected_illegal", "approval": None, "on_pbf": False, "area_m2": area, "farmland_m2": area,
        "pbf_m2": 0.0, "agricultural_m2": 0.0, "unused_m2": 0.0, "redline_m2": 0.0, "before_bsm": ids,
        "after_bsm": ids, "source_id": None}, geometry=geoms, crs="EPSG:4490")
    with ctx.transaction() as s:
        run = MonitorRun(mode="diff", from_epoch=2022, to_epoch=2023, source="bench", params={}, patches=n, slivers=0,
                         sliver_area_m2=Decimal(0), layer_path="x", started_at=datetime.now(UTC))
        s.add(run)
        s.flush()
        run_id = run.id
    monitor_io.write_patches(ctx.layout.layers, run_id, frame)
    return run_id


def photos_for(ctx, numbers: list[str]) -> None:  # type: ignore[no-untyped-def]
    with ctx.transaction() as s:
        for n in numbers:
            rec = case_store.get_case(s, n)
            for kind in ("distant", "close"):
                case_store.add_evidence(s, case_id=rec.id, sha256=f"{rec.id:064d}", path="x", file_name="x.jpg",
                                        kind=kind, format="JPEG", width=1, height=1, taken_at=datetime(2024, 1, 2),
                                        lat=Y0, lon=X0, azimuth=None, device="", phash="0" * 16, check_code="",
                                        accepted=True, added_on=date(2024, 1, 2), added_by="bench", findings=[])


def open_and_judge(root: Path, db: str | None, n: int, sample: int) -> dict[str, float]:
    ctx = init_workspace(root, COUNTY, db).acting_as(FILLER)
    run_id = fake_run(ctx, n)
    t = time.perf_counter()
    opened = open_from_run(ctx, run_id, date(2024, 1, 1)).opened
    t_open = time.perf_counter() - t
    photos_for(ctx, list(opened))
    bulk, single = list(opened[: n - sample]), list(opened[n - sample:])
    t = time.perf_counter()
    workflow.judge_many(ctx, [(x, J) for x in bulk], date(2024, 1, 3))
    t_judge = time.perf_counter() - t
    t = time.perf_counter()
    for x in single:
        workflow.judge(ctx, x, J, date(2024, 1, 3))
    per_single = (time.perf_counter() - t) / max(1, sample)
    ctx.engine.dispose()
    return {"open_s": t_open, "judge_s": t_judge * n / len(bulk), "peer_judge_s": per_single * n}


def recheck(root: Path, n_cases: int, n_parcels: int) -> dict[str, float]:
    ctx = init_workspace(root, COUNTY).acting_as(Actor("bench", Role.COUNTY_REVIEWER, COUNTY))
    rng = np.random.default_rng(1)
    parcels = grid(n_parcels, 0.0005)
    dlbm = np.where(rng.random(n_parcels) < 0.2, "0702", "0101")
    case_geoms = grid(n_cases, 0.0005 * np.sqrt(n_parcels / n_cases), 0.5)
    built = np.zeros(len(parcels), bool)
    hit = shapely.STRtree(parcels).query(case_geoms, predicate="intersects")
    relapse = rng.random(n_cases) < 0.01
    built[hit[1][relapse[hit[0]]]] = True  # the parcels under 1 % of the cases are built on again
    dlbm = np.where(np.isin(np.arange(n_parcels), hit[1]) & ~built, "0101", np.where(built, "0702", dlbm))
    layer_store.write_dataset(ctx.layout.layers, "parcels", 2024, gpd.GeoDataFrame(
        {"DLBM": dlbm, "county": COUNTY}, geometry=parcels, crs="EPSG:4490"))
    area = np.round(ellipsoidal_area(case_geoms), 2)
    rows = [{"number": f"{COUNTY}WPZF2023{i + 1:06d}", "county": COUNTY, "region": COUNTY, "source": "satellite",
             "year": 2023, "state": "closed", "opened_on": date(2023, 1, 1), "closed_on": date(2023, 12, 1),
             "geometry": shapely.to_wkb(g), "minx": g.bounds[0], "miny": g.bounds[1], "maxx": g.bounds[2],
             "maxy": g.bounds[3], "area_m2": Decimal(f"{a:.2f}"), "farmland_m2": Decimal(f"{a:.2f}"),
             "pbf_m2": Decimal(0), "agricultural_m2": Decimal(0), "unused_m2": Decimal(0), "redline_m2": Decimal(0),
             "demolished_m2": Decimal(f"{a:.2f}"), "legalised_m2": Decimal(0), "findings": [], "change_type": "",
             "prejudged": "", "location": ""} for i, (g, a) in enumerate(zip(case_geoms, area, strict=True))]
    with ctx.transaction() as s:
        case_store.add_cases(s, rows)
    t = time.perf_counter()
    out = rectify.recheck(ctx, 2024, date(2025, 1, 10))
    t_ours = time.perf_counter() - t
    t = time.perf_counter()
    built_areas(ctx.layout.layers, 2024, COUNTY, case_geoms)
    t_compute = time.perf_counter() - t
    t = time.perf_counter()
    cases = gpd.GeoDataFrame({"i": np.arange(n_cases)}, geometry=case_geoms, crs="EPSG:4490")
    bp = gpd.read_parquet(layer_store.dataset_path(ctx.layout.layers, "parcels", 2024) / f"county={COUNTY}")
    bp = bp[bp["DLBM"] == "0702"]
    ov = gpd.overlay(cases, bp, how="intersection")
    per = np.bincount(ov["i"], weights=ellipsoidal_area(ov.geometry.to_numpy()), minlength=n_cases)
    t_peer = time.perf_counter() - t
    assert sorted(out.extra["relapsed"]) == [r["number"] for r, p, a in zip(rows, per, area, strict=True)
                                             if p > 10 and p / a > 0.05]
    return {"recheck_s": t_ours, "compute_s": t_compute, "peer_overlay_s": t_peer,
            "relapsed": float(len(out.extra["relapsed"]))}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--patches", type=int, default=10_000)
    ap.add_argument("--sample", type=int, default=300)
    ap.add_argument("--closed", type=int, default=100_000)
    ap.add_argument("--parcels", type=int, default=300_000)
    ap.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/postgres")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        backends: list[tuple[str, str | None]] = [("SQLite", None)]
        try:
            import psycopg
            name = f"gb_bench_{int(time.time())}"
            with psycopg.connect(args.pg, autocommit=True, connect_timeout=3) as c:
                c.execute(f'CREATE DATABASE "{name}"')
            backends.append(("PostgreSQL", args.pg.rsplit("/", 1)[0] + "/" + name))
        except Exception as exc:  # noqa: BLE001
            print(f"PostgreSQL skipped: {exc}")
        for label, db in backends:
            r = open_and_judge(Path(tmp) / label, db, args.patches, args.sample)
            print(f"{label}: open {args.patches} clues {r['open_s']:.2f} s; judge in bulk {r['judge_s']:.2f} s "
                  f"(one transaction per case: {r['peer_judge_s']:.2f} s, ×{r['peer_judge_s'] / r['judge_s']:.1f}); "
                  f"total {r['open_s'] + r['judge_s']:.2f} s")
        if len(backends) > 1:
            with psycopg.connect(args.pg, autocommit=True) as c:
                c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        r = recheck(Path(tmp) / "recheck", args.closed, args.parcels)
        print(f"re-check {args.closed} closed cases on {args.parcels} parcels: {r['recheck_s']:.2f} s end to end "
              f"({int(r['relapsed'])} relapsed; reading the cases, audit and updates included); the geometry check "
              f"alone {r['compute_s']:.2f} s vs geopandas.overlay on the same arrays {r['peer_overlay_s']:.2f} s, "
              f"×{r['peer_overlay_s'] / r['compute_s']:.1f}")


if __name__ == "__main__":
    main()
