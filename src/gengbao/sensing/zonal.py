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
               valid: Bool | None = None, *, sparse: bool = False) -> ZonalSums:
    """Counts and sums per zone 1..n over pixels that are ``valid`` and finite in every value (zone 0, outside
    every zone, is not counted).

    Give ``ids`` as ``np.intp`` (bincount converts anything else on every call: 6× slower). With ``sparse`` the
    pixels outside every zone are dropped first (cheap when zones cover little of the raster: change candidates).
    """
    flat = ids.ravel()
    if sparse:
        where = np.flatnonzero(flat)
        flat = flat[where]
        ok = np.ones(where.shape, dtype=bool) if valid is None else valid.ravel()[where]
        picked = {k: v.ravel()[where] for k, v in values.items()}
    else:
        ok = np.ones(flat.shape, dtype=bool) if valid is None else valid.ravel()
        picked = {k: v.ravel() for k, v in values.items()}
    for v in picked.values():
        ok = ok & np.isfinite(v)
    if not ok.all():
        flat = flat[ok]
        picked = {k: v[ok] for k, v in picked.items()}
    count = np.bincount(flat, minlength=n + 1)[: n + 1].astype(np.int64)
    count[0] = 0
    sums: dict[str, F64] = {}
    for k, v in picked.items():
        total = np.bincount(flat, weights=v, minlength=n + 1)[: n + 1].astype(np.float64)
        total[0] = 0.0
        sums[k] = total
    return ZonalSums(count, sums)
