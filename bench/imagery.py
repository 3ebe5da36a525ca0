"""Imagery benchmark: a two-date change on a synthesised scene (default 10980 × 10980, one Sentinel-2 tile at
10 m) end to end, gengbao vs a straightforward per-window rasterio + NumPy + ``rasterio.features.shapes`` script
in the same run; then zonal statistics of ~300k parcels over 10 scenes (bincount) vs pandas groupby.

    python bench/imagery.py                 # full tile (needs ~8 GB of memory and a few minutes)
    python bench/imagery.py --size 3000     # quick look

Both change methods read the same stored COGs and use the same thresholds; the script checks that they find
the same number of candidates. All data are synthetic.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np
import shapely

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from imagery_data import EPSG, landscape, write_scene  # noqa: E402
from imagery_naive import naive_change  # noqa: E402

from gengbao.adapters.raster.grid import snapped  # noqa: E402
from gengbao.adapters.raster.reader import SceneReader, common_grid  # noqa: E402
from gengbao.adapters.raster.store import get_scene  # noqa: E402
from gengbao.adapters.raster.store import write_scene as store_scene  # noqa: E402
from gengbao.sensing.abandonment import SeasonAccumulator  # noqa: E402
from gengbao.sensing.bands import SENTINEL2  # noqa: E402
from gengbao.services.imagery.bands import scene_source  # noqa: E402
from gengbao.services.imagery.compute import CHANGE_CODES, Timer, candidates, change_rasters  # noqa: E402
from gengbao.services.imagery.overlay import Reference, after_class_of, overlay  # noqa: E402
from gengbao.spatial.crs import to_cgcs2000  # noqa: E402

MMU = 400.0


def _import(raw: Path, store: Path, day: str) -> tuple[object, float]:
    t0 = time.perf_counter()
    src = scene_source([raw], SENTINEL2)
    grid = snapped(EPSG, src.bounds, 10.0)
    rec = store_scene(store, day, src, grid, "sentinel2", None, {})
    return rec, time.perf_counter() - t0


def _reference(land: object) -> Reference:
    b = land.crop_boxes()  # type: ignore[attr-defined]
    tr = land.transform  # type: ignore[attr-defined]
    boxes = shapely.box(tr.c + b[:, 1] * 10.0, tr.f - b[:, 2] * 10.0, tr.c + b[:, 3] * 10.0, tr.f - b[:, 0] * 10.0)
    farm = to_cgcs2000(boxes, EPSG)
    return Reference(0, farm, np.full(len(farm), "0101", dtype=object), farm[::2], (), np.empty(0, object))


def ours(recs: list, land: object) -> tuple[dict[str, float], int]:
    t = Timer()
    grid = common_grid(recs)
    with SceneReader(recs[0]) as b, SceneReader(recs[1]) as a:
        rasters = change_rasters(b, a, grid, t)
    cand = candidates(rasters, grid, MMU, t)
    real = cand.change != 3
    with t("overlay"):
        codes = np.array([CHANGE_CODES[int(v)] for v in cand.change], dtype=object)
        ref = _reference(land)
        ov = overlay(cand.geometry[real], EPSG, 10.0, after_class_of(codes[real]), ref, date(2024, 10, 1))
    spent = dict(t.spent)
    spent["parts"] = float(len(ov.source))
    return spent, int(real.sum())


def zonal(land: object, scenes: int) -> dict[str, float]:
    import pandas as pd

    rng = np.random.default_rng(7)
    ids, n = land.fields, land.n_fields  # type: ignore[attr-defined]
    base = rng.uniform(0.1, 0.8, n + 1).astype(np.float32)
    acc = SeasonAccumulator(ids, n)
    spent, check = 0.0, None
    for k in range(scenes):
        ndvi = base[ids] + rng.normal(0, 0.02, ids.shape).astype(np.float32)
        clear = rng.random(ids.shape, dtype=np.float32) > 0.1
        t0 = time.perf_counter()
        acc.add(ndvi, clear)
        spent += time.perf_counter() - t0
        if k == 0:
            t0 = time.perf_counter()
            sel = clear.ravel()
            check = pd.Series(ndvi.ravel()[sel].astype(np.float64)).groupby(ids.ravel()[sel]).mean()
            peer = time.perf_counter() - t0
            with np.errstate(invalid="ignore", divide="ignore"):
                mine = acc.total  # after one scene: per-field mean where observed
            ok = np.isclose(mine[check.index.to_numpy()], check.to_numpy(), atol=1e-5) | (acc.observed[check.index] == 0)
            assert ok.all(), "bincount and groupby disagree"
    t0 = time.perf_counter()
    acc.result()
    spent += time.perf_counter() - t0
    return {"parcels": n, "scenes": scenes, "pixels": int(ids.size), "bincount_s": spent,
            "pandas_groupby_one_scene_s": peer}


def gpu(size: int) -> dict[str, float] | None:
    """The per-pixel change on a CUDA device (PyTorch), data already on the device; GB/s of the bytes it must
    touch (8 input bands + 3 float outputs + 3 byte masks per pixel) against the device's memory bandwidth."""
    from gengbao.sensing import backend

    if not backend.available():
        print("GPU: PyTorch with CUDA not present: skipped")
        return None
    import torch

    gen = torch.Generator(device="cuda").manual_seed(0)
    bands = ("blue", "green", "red", "nir")
    before = {b: torch.rand((size, size), device="cuda", generator=gen) * 0.5 for b in bands}
    after = {b: torch.rand((size, size), device="cuda", generator=gen) * 0.5 for b in bands}
    backend.change_pixels(before, after)  # warm-up (kernels, allocator)
    torch.cuda.synchronize()
    runs, t0 = 5, time.perf_counter()
    for _ in range(runs):
        backend.change_pixels(before, after)
    torch.cuda.synchronize()
    dt = (time.perf_counter() - t0) / runs
    moved = size * size * (8 * 4 + 3 * 4 + 3)
    print(f"GPU ({torch.cuda.get_device_name()}): per-pixel change {dt * 1e3:.1f} ms, {moved / dt / 1e9:.0f} GB/s "
          f"of compulsory traffic (temporaries not counted)")
    return {"seconds": dt, "gb_per_s": moved / dt / 1e9}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--size", type=int, default=10980)
    ap.add_argument("--scenes", type=int, default=10)
    ap.add_argument("--skip-naive", action="store_true")
    ap.add_argument("--zonal-only", action="store_true", help="only the zonal statistics (no scenes needed)")
    ap.add_argument("--keep", type=Path, default=None,
                    help="keep the synthesised scenes in this folder and reuse them on the next run of the same size")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep / str(args.size) if args.keep else Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        land = landscape(args.size)
        if args.zonal_only:
            z = zonal(land, args.scenes)
            print(f"zonal statistics: {z['parcels']} parcels × {z['scenes']} scenes of {z['pixels']} px: "
                  f"{z['bincount_s']:.1f} s (bincount); pandas groupby, one scene: {z['pandas_groupby_one_scene_s']:.1f} s")
            return
        stored = [get_scene(work / "store", d) for d in ("2024-05-01", "2024-10-01")
                  if (work / "store" / d / "scene.json").is_file()]
        if len(stored) == 2:
            rb, ra = stored
            print(f"reusing the scenes in {work}")
        else:
            write_scene(land, False, work / "before.tif", 1)
            write_scene(land, True, work / "after.tif", 2, cloud=0.1)
            print(f"synthesised {args.size}×{args.size} px, {land.n_fields} fields, {len(land.events)} events: "
                  f"{time.perf_counter() - t0:.1f} s")
            rb, tb = _import(work / "before.tif", work / "store", "2024-05-01")
            ra, ta = _import(work / "after.tif", work / "store", "2024-10-01")
            print(f"import to COG on the county grid: {tb:.1f} s + {ta:.1f} s")
        mine, found = ours([rb, ra], land)
        compute = sum(mine[k] for k in ("indices", "change", "polygonise"))
        print("gengbao: " + ", ".join(f"{k} {v:.2f} s" for k, v in mine.items() if k != "parts")
              + f"; {found} candidates, {int(mine['parts'])} parts after overlay")
        result = {"size": args.size, "gengbao": mine, "candidates": found}
        if not args.skip_naive:
            naive, n_found = naive_change(rb.folder / "scene.tif", ra.folder / "scene.tif", MMU)
            ncompute = sum(naive[k] for k in ("indices", "change", "polygonise"))
            print("naive:   " + ", ".join(f"{k} {v:.2f} s" for k, v in naive.items()) + f"; {n_found} candidates")
            # the peer does not grow cloud masks across its window edges, so a few candidates beside a cloud differ
            assert abs(n_found - found) <= max(3, found // 100), f"the two methods disagree: {n_found} vs {found}"
            print(f"compute (indices + change + polygonise): gengbao {compute:.2f} s, naive {ncompute:.2f} s, "
                  f"ratio {ncompute / compute:.1f}×; read: {naive['read'] / mine['read']:.1f}×; end to end "
                  f"(without overlay): {sum(naive.values()) / (sum(mine.values()) - mine['overlay'] - mine['parts']):.1f}×")
            result["naive"] = naive
        z = zonal(land, args.scenes)
        print(f"zonal statistics: {z['parcels']} parcels × {z['scenes']} scenes of {z['pixels']} px: "
              f"{z['bincount_s']:.1f} s (bincount); pandas groupby, one scene: {z['pandas_groupby_one_scene_s']:.1f} s")
        result["zonal"] = z
        result["gpu"] = gpu(args.size)
        result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(result))


if __name__ == "__main__":
    main()
