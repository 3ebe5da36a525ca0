"""Zonal statistics over an id raster (0 = outside every zone): one ``np.bincount`` per figure.

Rasterise the zones (parcels, candidates) once, then every scene and every figure is a bincount over the
same ids: no per-zone Python loop, O(pixels) per figure.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

F64 = npt.NDArray[np.float64]
Bool = npt.NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class ZonalSums:
    """Per zone id 0..n: the count of valid pixels and the sum of each figure over them."""

    count: npt.NDArray[np.int64]
    sums: dict[str, F64]

    def mean(self, key: str) -> F64:
        with np.errstate(invalid="ignore", divide="ignore"):
            return self.sums[key] / self.count


def zonal_sums(ids: npt.NDArray[np.integer], n: int, values: Mapping[str, npt.NDArray[np.floating]],
               valid: Bool | None = None) -> ZonalSums:
    """Counts and sums per zone over pixels that are ``valid`` and finite in every value."""
    flat = ids.ravel()
    ok = np.ones(flat.shape, dtype=bool) if valid is None else valid.ravel().copy()
    for v in values.values():
        ok &= np.isfinite(v.ravel())
    sel = flat[ok] if not ok.all() else flat
    count = np.bincount(sel, minlength=n + 1)[: n + 1].astype(np.int64)
    sums: dict[str, F64] = {}
    for k, v in values.items():
        w = v.ravel()[ok] if not ok.all() else v.ravel()
        sums[k] = np.bincount(sel, weights=w.astype(np.float64, copy=False), minlength=n + 1)[: n + 1].astype(np.float64)
    return ZonalSums(count, sums)
