"""Abandonment (撂荒) from a growing season's scenes: per farmland parcel, no green-up.

For each scene, the mean NDVI of each parcel over its clear pixels (one bincount over the parcel id raster,
rasterised once). A parcel is *observed* in a scene when at least ``min_clear_share`` of its pixels are clear.
Its season peak is the highest observed mean NDVI. A parcel with at least ``min_scenes`` observations whose
peak stays below ``green_up`` is an abandonment candidate; with fewer observations it is undetermined
(reported, never called cultivated). Two consecutive candidate years on PBF are flagged (seed 002).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from gengbao.sensing.zonal import zonal_sums

F32 = npt.NDArray[np.float32]
F64 = npt.NDArray[np.float64]
Bool = npt.NDArray[np.bool_]


class Verdict(StrEnum):
    CULTIVATED = "cultivated"
    CANDIDATE = "candidate"
    UNDETERMINED = "undetermined"

    @property
    def label(self) -> str:
        return {"cultivated": "正常耕种", "candidate": "疑似撂荒", "undetermined": "观测不足"}[self.value]


@dataclass(frozen=True, slots=True)
class GreenUpRule:
    green_up: float = 0.45
    min_clear_share: float = 0.6
    min_scenes: int = 2


@dataclass(frozen=True, slots=True)
class SeasonFigures:
    """Per parcel id 1..n (index 0 unused)."""

    pixels: npt.NDArray[np.int64]
    observed: npt.NDArray[np.int64]
    peak_ndvi: F64
    mean_ndvi: F64
    verdict: npt.NDArray[np.object_]


class SeasonAccumulator:
    """Add a season's scenes one at a time (memory: a few arrays of n parcels)."""

    def __init__(self, ids: npt.NDArray[np.integer], n: int, rule: GreenUpRule = GreenUpRule()) -> None:
        self.ids = ids
        self.n, self.rule = n, rule
        self.pixels = zonal_sums(ids, n, {}).count
        self.pixels[0] = 0
        self.observed = np.zeros(n + 1, np.int64)
        self.peak = np.full(n + 1, -np.inf)
        self.total = np.zeros(n + 1)

    def add(self, ndvi: F32, clear: Bool) -> None:
        """One scene over the whole id raster."""
        s = zonal_sums(self.ids, self.n, {"ndvi": ndvi}, clear)
        self.add_sums(s.count, s.sums["ndvi"])

    def add_sums(self, count: npt.NDArray[np.int64], total: F64) -> None:
        """One scene given as clear-pixel counts and NDVI sums per parcel (accumulated window by window)."""
        enough = count >= np.maximum(1, np.ceil(self.rule.min_clear_share * self.pixels))
        enough[0] = False
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = total / count
        self.observed += enough
        self.peak = np.where(enough, np.maximum(self.peak, mean), self.peak)
        self.total += np.where(enough, mean, 0.0)

    def result(self) -> SeasonFigures:
        seen = self.observed >= self.rule.min_scenes
        peak = np.where(self.observed > 0, self.peak, np.nan)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = np.where(self.observed > 0, self.total / self.observed, np.nan)
        verdict = np.full(self.n + 1, Verdict.UNDETERMINED.value, dtype=object)
        verdict[seen & (peak < self.rule.green_up)] = Verdict.CANDIDATE.value
        verdict[seen & (peak >= self.rule.green_up)] = Verdict.CULTIVATED.value
        verdict[self.pixels == 0] = Verdict.UNDETERMINED.value
        return SeasonFigures(self.pixels, self.observed, peak, mean, verdict)


def season(ids: npt.NDArray[np.integer], n: int, scenes: Iterable[tuple[F32, Bool]],
           rule: GreenUpRule = GreenUpRule()) -> SeasonFigures:
    acc = SeasonAccumulator(ids, n, rule)
    for ndvi, clear in scenes:
        acc.add(ndvi, clear)
    return acc.result()


def consecutive_on_pbf(this_year: Bool, last_year: Bool, on_pbf: Bool) -> Bool:
    """Seed 002: abandoned two years running on PBF."""
    return this_year & last_year & on_pbf
