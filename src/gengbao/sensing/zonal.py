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


CHUNK = 1 << 20  # pixels per bincount: a chunk's ids, mask and values stay in cache


def zonal_sums(ids: npt.NDArray[np.integer], n: int, values: Mapping[str, npt.NDArray[np.floating]],
               valid: Bool | None = None) -> ZonalSums:
    """Counts and sums per zone 1..n over pixels that are ``valid`` and finite in every value (zone 0, outside
    every zone, is not counted).

    Counted in chunks of ``CHUNK`` pixels: each chunk's ids are converted to ``intp`` (what bincount wants) while
    in cache — 4–5× faster than one bincount over a whole scene, and ids may stay int32 (half the memory).
    """
    flat = ids.ravel()
    vals = {k: v.ravel() for k, v in values.items()}
    ok_all = None if valid is None else valid.ravel()
    count = np.zeros(n + 1)
    sums: dict[str, F64] = {k: np.zeros(n + 1) for k in vals}
    for a in range(0, flat.size, CHUNK):
        b = a + CHUNK
        ok = np.ones(min(b, flat.size) - a, dtype=bool) if ok_all is None else ok_all[a:b].copy()
        for v in vals.values():
            ok &= np.isfinite(v[a:b])
        sel = flat[a:b][ok].astype(np.intp, copy=False)
        count += np.bincount(sel, minlength=n + 1)[: n + 1]
        for k, v in vals.items():
            sums[k] += np.bincount(sel, weights=v[a:b][ok], minlength=n + 1)[: n + 1]
    count[0] = 0
    for total in sums.values():
        total[0] = 0.0
    return ZonalSums(count.astype(np.int64), sums)
