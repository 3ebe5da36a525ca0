"""The peer for bench/imagery.py: a two-date change written the obvious way — a loop over 512 × 512 windows
reading each band with rasterio, float64 NumPy for reflectance, indices and masks, a full label raster, then
``rasterio.features.shapes`` over it and per-polygon statistics through ``geometry_mask`` on each polygon's
window. Same thresholds as gengbao's defaults (``ChangeRule``, ``CloudTest``), so both find the same candidates."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import rasterio
import shapely.geometry
from rasterio import features
from rasterio.windows import Window, from_bounds

WIN = 512


def _read(ds: rasterio.DatasetReader, win: Window) -> list[np.ndarray]:
    out = []
    for k in range(1, 5):
        dn = ds.read(k, window=win).astype(np.float64)
        refl = dn * ds.scales[k - 1] + ds.offsets[k - 1]
        refl[dn == 0] = np.nan
        out.append(refl)
    return out


def _nd(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(a + b != 0, (a - b) / (a + b), np.nan)


def _clear(blue: np.ndarray, green: np.ndarray, red: np.ndarray, nir: np.ndarray) -> np.ndarray:
    vis = (blue + green + red) / 3
    spread = np.maximum(np.maximum(blue, green), red) - np.minimum(np.minimum(blue, green), red)
    cloud = (blue >= 0.2) & (vis >= 0.22) & (spread <= 0.35 * vis) & (blue - 0.5 * red >= 0.08)
    wet = _nd(green, nir) >= 0
    shadow = (blue + green + red + nir <= 0.22) & ~wet & ~cloud
    bad = cloud | shadow
    grown = bad.copy()  # one-pixel buffer (the window edge is not grown across: a naive script's habit)
    grown[1:, :] |= bad[:-1, :]
    grown[:-1, :] |= bad[1:, :]
    g2 = grown.copy()
    g2[:, 1:] |= grown[:, :-1]
    g2[:, :-1] |= grown[:, 1:]
    return ~g2 & ~np.isnan(blue + green + red + nir)


def naive_change(before: Path, after: Path, mmu: float) -> tuple[dict[str, float], int]:
    t = {"read": 0.0, "indices": 0.0, "change": 0.0, "polygonise": 0.0}
    with rasterio.open(before) as b, rasterio.open(after) as a:
        h, w, transform = b.height, b.width, b.transform
        labels = np.zeros((h, w), np.uint8)
        nb_all, na_all = np.zeros((h, w), np.float32), np.zeros((h, w), np.float32)
        for r in range(0, h, WIN):
            for c in range(0, w, WIN):
                win = Window(c, r, min(WIN, w - c), min(WIN, h - r))
                t0 = time.perf_counter()
                bb, ba = _read(b, win), _read(a, win)
                t1 = time.perf_counter()
                nb, na = _nd(bb[3], bb[2]), _nd(ba[3], ba[2])
                wb, wa = _nd(bb[1], bb[3]), _nd(ba[1], ba[3])
                vis_a = (ba[0] + ba[1] + ba[2]) / 3
                built_a = _nd(vis_a, ba[3])
                ok = _clear(*bb) & _clear(*ba)
                t2 = time.perf_counter()
                lab = np.zeros(nb.shape, np.uint8)
                lab[(nb >= 0.4) & (na <= 0.25) & (nb - na >= 0.25) & (built_a >= -0.4) & ~(wa >= 0.1) & ok] = 1
                lab[(wa >= 0.1) & (wb < 0.0) & ok] = 2
                lab[~ok] = 3
                labels[r:r + win.height, c:c + win.width] = lab
                nb_all[r:r + win.height, c:c + win.width] = nb
                na_all[r:r + win.height, c:c + win.width] = na
                t3 = time.perf_counter()
                t["read"] += t1 - t0
                t["indices"] += t2 - t1
                t["change"] += t3 - t2
    t0 = time.perf_counter()
    found = 0
    for geom, value in features.shapes(labels, transform=transform, connectivity=8):
        if value == 0:
            continue
        poly = shapely.geometry.shape(geom)
        if round(poly.area) < mmu:
            continue
        win = from_bounds(*poly.bounds, transform=transform).round_offsets().round_lengths()
        sub = (slice(int(win.row_off), int(win.row_off + win.height)), slice(int(win.col_off), int(win.col_off + win.width)))
        inside = features.geometry_mask([geom], out_shape=(int(win.height), int(win.width)),
                                        transform=rasterio.windows.transform(win, transform), invert=True)
        float(np.nanmean(nb_all[sub][inside])), float(np.nanmean(na_all[sub][inside]))
        found += value != 3
    t["polygonise"] = time.perf_counter() - t0
    return t, found
