"""Which boxes meet which: a conservative extent filter over whole arrays, in NumPy alone.

``meets_any(own, query)`` marks the rows of ``own`` whose box may meet one of ``query``'s boxes. Both
sets are rasterised on one grid over their common extent: query boxes are painted with a 2-D
difference array, and each own box looks up its cell range in the summed-area table of the painted
cells. Two boxes that meet share a point, whose cell lies in both ranges, so no meeting box is ever
missed; a box that only shares a cell is let through (callers test the real geometry after). Cost is
O(n + m + cells²), with no geometry objects: a reader can pick rows by a stored bbox column before it
decodes any WKB (creating 10⁵ GEOS boxes for an STRtree would cost more than decoding them).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

Boxes = npt.NDArray[np.float64]  # rows of xmin, ymin, xmax, ymax


def _cells(lo: npt.NDArray[np.float64], hi: npt.NDArray[np.float64], origin: float, size: float, n: int
           ) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    first = np.clip(np.floor((lo - origin) / size), 0, n - 1).astype(np.intp)
    last = np.clip(np.floor((hi - origin) / size), 0, n - 1).astype(np.intp)
    return first, last


def _prefix_2d(a: npt.NDArray[np.int32]) -> npt.NDArray[np.int32]:
    """Inclusive 2-D prefix sums. Rows are added one after another: NumPy's cumsum along axis 0 walks
    memory with a stride and is three times slower than this loop of contiguous row additions."""
    out = a.cumsum(1, dtype=np.int32)
    for i in range(1, out.shape[0]):
        np.add(out[i], out[i - 1], out=out[i])
    return out


def meets_any(own: Boxes, query: Boxes, cells: int = 512) -> npt.NDArray[np.bool_]:
    """True for each row of ``own`` whose box may meet a box of ``query`` (never False where one does)."""
    own, query = np.asarray(own, np.float64).reshape(-1, 4), np.asarray(query, np.float64).reshape(-1, 4)
    query = query[np.isfinite(query).all(axis=1)]  # an empty geometry's box is NaN: it meets nothing
    real = np.isfinite(own).all(axis=1)
    if not real.all():
        out = np.zeros(len(own), bool)
        out[real] = meets_any(own[real], query, cells)
        return out
    if len(own) == 0 or len(query) == 0:
        return np.zeros(len(own), bool)
    x0, y0 = min(own[:, 0].min(), query[:, 0].min()), min(own[:, 1].min(), query[:, 1].min())
    x1, y1 = max(own[:, 2].max(), query[:, 2].max()), max(own[:, 3].max(), query[:, 3].max())
    sx, sy = max((x1 - x0) / cells, 1e-12), max((y1 - y0) / cells, 1e-12)
    qx0, qx1 = _cells(query[:, 0], query[:, 2], x0, sx, cells)
    qy0, qy1 = _cells(query[:, 1], query[:, 3], y0, sy, cells)
    side = cells + 1  # difference array of the query boxes' cell ranges, accumulated by bincount
    corners = np.concatenate([qx0 * side + qy0, (qx1 + 1) * side + qy0, qx0 * side + qy1 + 1,
                              (qx1 + 1) * side + qy1 + 1])
    signs = np.repeat(np.array([1, -1, -1, 1], np.int32), len(query))
    paint = np.bincount(corners, weights=signs, minlength=side * side).astype(np.int32).reshape(side, side)
    covered = (_prefix_2d(paint)[:cells, :cells] > 0).astype(np.int32)
    table = np.zeros((side, side), np.int32)  # summed-area table: table[i, j] = Σ covered[:i, :j]
    table[1:, 1:] = _prefix_2d(covered)
    ox0, ox1 = _cells(own[:, 0], own[:, 2], x0, sx, cells)
    oy0, oy1 = _cells(own[:, 1], own[:, 3], y0, sy, cells)
    hits = table[ox1 + 1, oy1 + 1] - table[ox0, oy1 + 1] - table[ox1 + 1, oy0] + table[ox0, oy0]
    result: npt.NDArray[np.bool_] = hits > 0
    return result
