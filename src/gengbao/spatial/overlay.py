"""Overlay of change patches with other layers: PBF, ecological redline, approvals, survey parcels.

Everything is a bulk STRtree query followed by vectorised intersections; a Python loop runs only for
the few parts that meet two or more polygons of the other layer. Areas are left to the caller
(``gengbao.spatial.area``). Polygon layers overlaid here (PBF, redline, parcels) are taken to be
non-overlapping within themselves, as survey layers are; approvals may overlap each other, and a part
covered by several is given to the first in the caller's order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import shapely

from gengbao.spatial.diff import clean, polygonal_part

Ints = npt.NDArray[np.int64]
Geoms = npt.NDArray[np.object_]
Floats = npt.NDArray[np.float64]
AreaFn = Callable[[Geoms], Floats]


def _pairs(parts: Geoms, layer: Geoms, tree: shapely.STRtree | None = None) -> tuple[Ints, Ints]:
    """(part index, layer index) of pairs whose interiors may overlap, sorted by part then layer."""
    if len(parts) == 0 or len(layer) == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    qi, ti = (tree or shapely.STRtree(layer)).query(parts, predicate="intersects")
    order = np.lexsort((ti, qi))
    return qi[order].astype(np.int64), ti[order].astype(np.int64)


def _union_by_part(n: int, pi: Ints, geoms: Geoms) -> Geoms:
    """Per part index 0..n-1 the union of its geometries (None where it has none)."""
    out = np.full(n, None, dtype=object)
    if pi.size == 0:
        return out
    starts = np.flatnonzero(np.r_[True, pi[1:] != pi[:-1]])
    sizes = np.diff(np.r_[starts, pi.size])
    single = sizes == 1
    out[pi[starts[single]]] = geoms[starts[single]]
    for s, k in zip(starts[~single].tolist(), sizes[~single].tolist(), strict=True):
        out[pi[s]] = shapely.union_all(geoms[s: s + k])
    return out


def intersections(parts: Geoms, layer: Geoms) -> tuple[Ints, Ints, Geoms]:
    """Non-empty polygonal intersections of parts with the layer's polygons: (part, layer, geometry)."""
    pi, li = _pairs(parts, layer)
    if pi.size == 0:
        return pi, li, np.empty(0, object)
    pieces = polygonal_part(shapely.intersection(parts[pi], layer[li]))
    keep = ~shapely.is_empty(pieces)
    return pi[keep], li[keep], pieces[keep]


@dataclass(frozen=True, slots=True)
class Split:
    """Parts of parts: ``source`` indexes the input parts; ``inside`` says on which side it lies."""

    source: Ints
    geometry: Geoms
    inside: npt.NDArray[np.bool_]


def split_inside(parts: Geoms, layer: Geoms, which: npt.NDArray[np.bool_] | None = None,
                 tree: shapely.STRtree | None = None) -> Split:
    """Split the parts selected by ``which`` (default all) at the boundary of the layer's polygons.

    Parts not selected, or not meeting the layer, come back whole with ``inside`` False.
    """
    n = len(parts)
    chosen = np.ones(n, bool) if which is None else np.asarray(which, bool)
    sel = np.flatnonzero(chosen)
    pi, li = _pairs(parts[sel], layer, tree)
    cover = _union_by_part(sel.size, pi, layer[li])
    has = np.array([c is not None for c in cover], dtype=bool) if sel.size else np.zeros(0, bool)
    touched = sel[has]
    whole = np.setdiff1d(np.arange(n), touched)
    inner = clean(shapely.intersection(parts[touched], cover[has]))
    outer = clean(shapely.difference(parts[touched], cover[has]))
    source = np.concatenate([whole, touched, touched]).astype(np.int64)
    geometry = np.concatenate([parts[whole], inner, outer])
    inside = np.r_[np.zeros(whole.size, bool), np.ones(touched.size, bool), np.zeros(touched.size, bool)]
    keep = ~shapely.is_empty(geometry)
    order = np.lexsort((~inside[keep], source[keep]))
    return Split(source[keep][order], geometry[keep][order], inside[keep][order])


def split_by_covers(parts: Geoms, covers: Geoms, part_idx: Ints, cover_idx: Ints) -> tuple[Ints, Ints, Geoms]:
    """Split parts by the covers that may apply to them, given as (part, cover) pairs in priority order.

    Returns (part index, cover index or -1 for the uncovered rest, geometry). A part meeting no cover
    comes back whole with -1. Each piece of ground goes to the first cover in the given order.
    """
    n = len(parts)
    if part_idx.size:
        hit = shapely.intersects(parts[part_idx], covers[cover_idx]) & ~shapely.touches(
            parts[part_idx], covers[cover_idx])
        part_idx, cover_idx = part_idx[hit], cover_idx[hit]
    src: list[npt.NDArray[np.int64]] = []
    cov: list[npt.NDArray[np.int64]] = []
    geo: list[Geoms] = []
    uncovered = np.setdiff1d(np.arange(n), part_idx)
    src.append(uncovered.astype(np.int64))
    cov.append(np.full(uncovered.size, -1, np.int64))
    geo.append(parts[uncovered])
    starts = np.flatnonzero(np.r_[True, part_idx[1:] != part_idx[:-1]]) if part_idx.size else np.empty(0, np.intp)
    sizes = np.diff(np.r_[starts, part_idx.size])
    one = starts[sizes == 1]
    p1, c1 = part_idx[one], cover_idx[one]
    whole = shapely.covered_by(parts[p1], covers[c1])  # most approvals cover their patch whole
    src.append(p1[whole])
    cov.append(c1[whole])
    geo.append(parts[p1[whole]])
    p1, c1 = p1[~whole], c1[~whole]
    inner = clean(shapely.intersection(parts[p1], covers[c1]))
    rest = clean(shapely.difference(parts[p1], covers[c1]))
    src += [p1, p1]
    cov += [c1, np.full(p1.size, -1, np.int64)]
    geo += [inner, rest]
    for s, k in zip(starts[sizes > 1].tolist(), sizes[sizes > 1].tolist(), strict=True):
        p = int(part_idx[s])
        remaining = parts[p]
        for c in cover_idx[s: s + k].tolist():
            piece = clean(np.array([shapely.intersection(remaining, covers[c])], dtype=object))[0]
            if not shapely.is_empty(piece):
                src.append(np.array([p], np.int64))
                cov.append(np.array([c], np.int64))
                geo.append(np.array([piece], dtype=object))
                remaining = shapely.difference(remaining, covers[c])
        src.append(np.array([p], np.int64))
        cov.append(np.array([-1], np.int64))
        geo.append(clean(np.array([remaining], dtype=object)))
    source, cover, geometry = np.concatenate(src), np.concatenate(cov), np.concatenate(geo)
    keep = ~shapely.is_empty(geometry)
    order = np.lexsort((np.where(cover[keep] < 0, np.iinfo(np.int64).max, cover[keep]), source[keep]))
    return source[keep][order], cover[keep][order], geometry[keep][order]


def area_on(parts: Geoms, layer: Geoms, area: AreaFn, part_area: Floats | None = None,
            tree: shapely.STRtree | None = None) -> Floats:
    """Σ over the layer's polygons of the area of each part lying on them (m²).

    Bulk predicates first: a part covered by a polygon lies on it whole, a polygon covered by a part lies
    in it whole; only the remaining pairs whose interiors meet are intersected.
    """
    n = len(parts)
    out = np.zeros(n)
    if n == 0 or len(layer) == 0:
        return out
    own = area(parts) if part_area is None else part_area
    tree = tree or shapely.STRtree(layer)
    pi, _ = tree.query(parts, predicate="covered_by")
    inside = np.zeros(n, bool)
    inside[pi] = True
    out[inside] = own[inside]
    rest = np.flatnonzero(~inside)
    qi, li = tree.query(parts[rest], predicate="intersects")
    qi = rest[qi]
    whole = shapely.covers(parts[qi], layer[li])
    if whole.any():
        np.add.at(out, qi[whole], area(layer[li[whole]]))
    qi, li = qi[~whole], li[~whole]
    meet = ~shapely.touches(parts[qi], layer[li])
    qi, li = qi[meet], li[meet]
    if qi.size:
        pieces = polygonal_part(shapely.intersection(parts[qi], layer[li]))
        np.add.at(out, qi, area(pieces))
    return out
