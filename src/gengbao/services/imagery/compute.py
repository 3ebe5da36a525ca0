"""The compute pipeline of a two-date change, on stored scenes: read windows → indices and masks → per-pixel
classes → polygons with a minimum mapping unit → evidence per candidate. Timed per stage (read, indices, change,
polygonise) so the bench and ``--json`` can show where the time goes."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
import shapely

from gengbao.adapters.raster.grid import Grid
from gengbao.adapters.raster.reader import SceneReader
from gengbao.adapters.raster.store import row_blocks
from gengbao.adapters.raster.vector import polygonise, rasterise
from gengbao.sensing.bands import Band
from gengbao.sensing.change import ChangeClass, ChangedPixels, ChangeRule, Evidence, classify_bands, evidence
from gengbao.sensing.indices import ndvi
from gengbao.sensing.masks import CloudTest, grow, nodata, spectral_test


@dataclass
class Timer:
    spent: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        t0 = time.perf_counter()
        try:
            yield
        finally:
            self.spent[stage] = self.spent.get(stage, 0.0) + time.perf_counter() - t0

    def rounded(self) -> dict[str, float]:
        return {k: round(v, 3) for k, v in self.spent.items()}


@dataclass(frozen=True, slots=True)
class ChangeRasters:
    """What a change keeps of the whole grid: classes, the clear mask, the figures at changed pixels, and (for
    previews only) full NDVI and true-colour rasters."""

    labels: np.ndarray  # uint8 ChangeClass
    clear: np.ndarray  # clear on both dates
    pixels: ChangedPixels
    ndvi_before: np.ndarray | None = None
    ndvi_after: np.ndarray | None = None
    true_colour: tuple[np.ndarray, np.ndarray] | None = None  # (before, after) rows×cols×3 reflectance


SUB_PIXELS = 1 << 17  # pixels per compute step: a step's arrays stay in cache


def _sub(bands: dict[str, np.ndarray], a: int, b: int) -> dict[str, np.ndarray]:
    return {k: v[a:b] for k, v in bands.items()}


def change_rasters(before: SceneReader, after: SceneReader, grid: Grid, t: Timer, rule: ChangeRule = ChangeRule(),
                   keep_colour: bool = False, test: CloudTest = CloudTest()) -> ChangeRasters:
    """Read in blocks of rows (I/O), compute in cache-sized steps; spectral cloud/shadow masks of both dates are
    gathered over the whole grid and grown once at the end (a buffer crosses block edges; a mask file is taken
    as given)."""
    shape = (grid.height, grid.width)
    labels = np.zeros(shape, np.uint8)
    spectral = np.zeros(shape, bool)  # cloud or shadow by the spectral test, either date
    given = np.zeros(shape, bool)  # cloud/shadow from mask files, or no data, either date
    full = {k: np.empty(shape, np.float32) for k in ("nb", "na")} if keep_colour else None
    colour = (np.empty((*shape, 3), np.float32), np.empty((*shape, 3), np.float32)) if keep_colour else None
    changed: list[ChangedPixels] = []
    step = max(1, SUB_PIXELS // max(1, grid.width))
    for r, h in row_blocks(grid.height):
        with t("read"):
            db, mb = before.read_dn(grid, r, h)
            da, ma = after.read_dn(grid, r, h)
        for s0 in range(0, h, step):
            s1, g0, g1 = min(h, s0 + step), r + s0, r + min(h, s0 + step)
            with t("read"):  # DN → reflectance step by step, while the step is in cache
                sb, sa = before.reflectance(_sub(db, s0, s1)), after.reflectance(_sub(da, s0, s1))
            with t("indices"):
                for bands, mask in ((sb, mb), (sa, ma)):
                    if mask is None:
                        cloud, shadow, missing = spectral_test(bands[Band.BLUE], bands[Band.GREEN], bands[Band.RED],
                                                               bands[Band.NIR], test)
                        spectral[g0:g1] |= cloud | shadow
                    else:
                        missing = nodata(bands[Band.BLUE], bands[Band.GREEN], bands[Band.RED], bands[Band.NIR])
                        given[g0:g1] |= mask[s0:s1]
                    given[g0:g1] |= missing
            with t("change"):
                labels[g0:g1], px = classify_bands(sb, sa, rule)
                changed.append(ChangedPixels(px.index + g0 * grid.width, px.ndvi_before, px.ndvi_after,
                                             px.ndwi_after))
            if full is not None:
                full["nb"][g0:g1] = ndvi(sb[Band.RED], sb[Band.NIR])
                full["na"][g0:g1] = ndvi(sa[Band.RED], sa[Band.NIR])
            if colour is not None:
                for c, band in enumerate((Band.RED, Band.GREEN, Band.BLUE)):
                    colour[0][g0:g1, :, c] = sb[band]
                    colour[1][g0:g1, :, c] = sa[band]
    with t("change"):
        clear = ~(grow(spectral, test.buffer_px) | given)
        labels[~clear] = ChangeClass.OBSCURED
    return ChangeRasters(labels, clear, ChangedPixels.concat(changed), full["nb"] if full else None,
                         full["na"] if full else None, colour)


@dataclass(frozen=True, slots=True)
class Candidates:
    """Change candidates first, then obscured (cloud/shadow) areas; evidence per candidate 1..n."""

    geometry: np.ndarray  # polygons in the grid's CRS
    change: np.ndarray  # ChangeClass values
    evidence: Evidence
    ids: np.ndarray  # id raster of the change candidates (candidate i has id i + 1; obscured areas: 0)


def _with_obscured(ev: Evidence, k: int) -> Evidence:
    """Evidence extended by ``k`` obscured areas: nothing seen there, inconclusive, confidence 0."""
    nan = np.full(k, np.nan)
    return Evidence(np.r_[ev.pixels, np.zeros(k, np.int64)], np.r_[ev.ndvi_before, nan], np.r_[ev.ndvi_after, nan],
                    np.r_[ev.ndwi_after, nan], np.r_[ev.clear_share, np.zeros(k)], np.r_[ev.confidence, np.zeros(k)],
                    np.r_[ev.inconclusive, np.ones(k, bool)])


def candidates(rasters: ChangeRasters, grid: Grid, mmu_m2: float, t: Timer, rule: ChangeRule = ChangeRule()) -> Candidates:
    """Polygons of each class ≥ the mapping unit; only change candidates are rasterised back for their evidence
    (an obscured area has none to give), so the id raster is sparse and the evidence cheap."""
    with t("polygonise"):
        geoms, values = polygonise(rasters.labels, grid.transform)
        keep = np.rint(shapely.area(geoms)) >= mmu_m2 if len(geoms) else np.zeros(0, bool)
        real = keep & (values != ChangeClass.OBSCURED)
        cloudy = keep & (values == ChangeClass.OBSCURED)
        geoms, values = np.r_[geoms[real], geoms[cloudy]], np.r_[values[real], values[cloudy]]
        n_real = int(real.sum())
        ids = rasterise(geoms[:n_real], rasters.labels.shape, grid.transform)
    with t("change"):
        min_px = int(np.ceil(mmu_m2 / (grid.pixel * grid.pixel)))
        ev = evidence(ids, n_real, values[:n_real], rasters.pixels, rasters.clear, min_px, rule)
    return Candidates(geoms, values, _with_obscured(ev, len(geoms) - n_real), ids)


CHANGE_CODES = {c.value: c.code for c in ChangeClass}
CHANGE_LABELS = {c.value: c.label for c in ChangeClass}
__all__ = ["CHANGE_CODES", "CHANGE_LABELS", "Candidates", "ChangeRasters", "Timer", "candidates", "change_rasters"]
