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
from gengbao.sensing.change import ChangeClass, ChangeRule, Evidence, classify, evidence
from gengbao.sensing.indices import IndexSet, index_set, vnbi
from gengbao.sensing.masks import clear_mask


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
    """What a change keeps of the whole grid: classes, the figures evidence needs, and the clear mask."""

    labels: np.ndarray  # uint8 ChangeClass
    ndvi_before: np.ndarray
    ndvi_after: np.ndarray
    ndwi_after: np.ndarray
    clear: np.ndarray  # clear on both dates
    true_colour: tuple[np.ndarray, np.ndarray] | None  # (before, after) rows×cols×3 reflectance, for previews


def _indices(bands: dict[str, np.ndarray], given: np.ndarray | None) -> tuple[IndexSet, np.ndarray]:
    clear = clear_mask(bands[Band.BLUE], bands[Band.GREEN], bands[Band.RED], bands[Band.NIR], given)
    return index_set(bands), clear


def change_rasters(before: SceneReader, after: SceneReader, grid: Grid, t: Timer, rule: ChangeRule = ChangeRule(),
                   keep_colour: bool = False) -> ChangeRasters:
    shape = (grid.height, grid.width)
    labels = np.zeros(shape, np.uint8)
    clear = np.zeros(shape, bool)
    figs = {k: np.empty(shape, np.float32) for k in ("nb", "na", "wa")}
    colour = (np.empty((*shape, 3), np.float32), np.empty((*shape, 3), np.float32)) if keep_colour else None
    for r, h in row_blocks(grid.height):
        with t("read"):
            bb, mb = before.read(grid, r, h)
            ba, ma = after.read(grid, r, h)
        with t("indices"):
            ib, cb = _indices(bb, mb)
            ia, ca = _indices(ba, ma)
            if (ib.builtup_kind, ia.builtup_kind) != ("ndbi", "ndbi"):  # compare like with like
                ib = IndexSet(ib.ndvi, ib.ndwi, vnbi(bb[Band.BLUE], bb[Band.GREEN], bb[Band.RED], bb[Band.NIR]), "vnbi")
                ia = IndexSet(ia.ndvi, ia.ndwi, vnbi(ba[Band.BLUE], ba[Band.GREEN], ba[Band.RED], ba[Band.NIR]), "vnbi")
            for key, arr in (("nb", ib.ndvi), ("na", ia.ndvi), ("wa", ia.ndwi)):
                figs[key][r:r + h] = arr
            if colour is not None:
                for c, band in enumerate((Band.RED, Band.GREEN, Band.BLUE)):
                    colour[0][r:r + h, :, c] = bb[band]
                    colour[1][r:r + h, :, c] = ba[band]
        with t("change"):
            labels[r:r + h] = classify(ib, ia, cb, ca, rule)
            clear[r:r + h] = cb & ca
    return ChangeRasters(labels, figs["nb"], figs["na"], figs["wa"], clear, colour)


@dataclass(frozen=True, slots=True)
class Candidates:
    geometry: np.ndarray  # polygons in the grid's CRS
    change: np.ndarray  # ChangeClass values
    evidence: Evidence  # per candidate 1..n
    ids: np.ndarray  # id raster (candidate i has id i + 1)


def candidates(rasters: ChangeRasters, grid: Grid, mmu_m2: float, t: Timer, rule: ChangeRule = ChangeRule()) -> Candidates:
    with t("polygonise"):
        geoms, values = polygonise(rasters.labels, grid.transform)
        keep = np.flatnonzero(np.rint(shapely.area(geoms)) >= mmu_m2) if len(geoms) else np.empty(0, np.int64)
        geoms, values = geoms[keep], values[keep]
        ids = rasterise(geoms, rasters.labels.shape, grid.transform)
    with t("change"):
        min_px = int(np.ceil(mmu_m2 / (grid.pixel * grid.pixel)))
        ev = evidence(ids, len(geoms), values, rasters.ndvi_before, rasters.ndvi_after, rasters.ndwi_after,
                      rasters.clear, min_px, rule)
    return Candidates(geoms, values, ev, ids)


CHANGE_CODES = {c.value: c.code for c in ChangeClass}
CHANGE_LABELS = {c.value: c.label for c in ChangeClass}
__all__ = ["CHANGE_CODES", "CHANGE_LABELS", "Candidates", "ChangeRasters", "Timer", "candidates", "change_rasters"]
