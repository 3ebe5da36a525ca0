"""Epoch diff: where did the land class change between two survey epochs?

Performance comes from not doing work (DESIGN.md §3):
1. ``match_by_hash`` pairs parcels whose normalised geometry hash is the same in both epochs using the
   stored ``geom_hash`` column only (no geometry is read): same class → unchanged, other class → the
   whole parcel is a change. Only the rest (re-drawn parcels) need their geometries fetched.
2. ``intersect_redrawn`` overlays only the re-drawn parcels: one STRtree bulk query, pairs of equal
   class are never intersected, pairs that only touch give no polygonal piece and are dropped.
3. ``merge_pieces`` unions the pieces that make up one change patch: the part of one later parcel that
   came from earlier parcels of one class in one located-in unit (a new building over three fields of
   the same class and village is one patch). Partial changes keep only the changed part.

Areas are computed by the caller (``gengbao.spatial.area``), so a run can time them on their own;
``diff_epochs`` chains everything with areas and the sliver filter for callers that want one call.
In a tiling survey layer the re-drawn parcels of the two epochs cover the same ground, so the union of
the pieces is exactly the ground whose class changed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely

from gengbao.spatial.area import ellipsoidal_area

POLYGONAL = (3, 6)
DUST_DEG2 = 1e-14
CLEAN_GRID_DEG = 1e-11  # ≈ 1 µm: collapses zero-width spikes left where two cuts share an edge
Ints = npt.NDArray[np.int64]
Geoms = npt.NDArray[np.object_]


@dataclass(frozen=True, slots=True)
class HashMatch:
    """Indices into the before/after arrays."""

    whole_before: Ints  # same geometry, other class: the whole parcel changed
    whole_after: Ints
    redrawn_before: Ints  # no parcel with the same geometry in the other epoch
    redrawn_after: Ints
    unchanged: int


def _keys(before: npt.ArrayLike, after: npt.ArrayLike) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Integer keys for two hash arrays (uint64 hashes as they are; text through one factorisation)."""
    b, a = np.asarray(before), np.asarray(after)
    if b.dtype.kind in "iu" and a.dtype.kind in "iu":
        return b.view(np.int64) if b.dtype.itemsize == 8 else b.astype(np.int64), \
            a.view(np.int64) if a.dtype.itemsize == 8 else a.astype(np.int64)
    codes, _ = pd.factorize(np.concatenate([b.astype(object), a.astype(object)]))
    return codes[: b.size].astype(np.int64), codes[b.size:].astype(np.int64)


def _once(keys: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
    """True where a key occurs exactly once (hash table, no sort)."""
    dup: npt.NDArray[np.bool_] = pd.Index(keys).duplicated(keep=False)
    return ~dup


def match_by_hash(before_hash: npt.ArrayLike, before_class: npt.ArrayLike,
                  after_hash: npt.ArrayLike, after_class: npt.ArrayLike) -> HashMatch:
    """Match parcels by geometry hash; a hash that occurs twice in one epoch counts as re-drawn."""
    bk, ak = _keys(before_hash, after_hash)
    b_ok, a_ok = np.flatnonzero(_once(bk)), np.flatnonzero(_once(ak))
    pos = pd.Index(ak[a_ok]).get_indexer(bk[b_ok])
    hit = pos >= 0
    mb, ma = b_ok[hit].astype(np.int64), a_ok[pos[hit]].astype(np.int64)
    bc, ac = np.asarray(before_class, dtype=object), np.asarray(after_class, dtype=object)
    changed = bc[mb] != ac[ma]
    matched_b = np.zeros(bk.size, dtype=bool)
    matched_b[mb] = True
    matched_a = np.zeros(ak.size, dtype=bool)
    matched_a[ma] = True
    return HashMatch(
        whole_before=mb[changed], whole_after=ma[changed],
        redrawn_before=np.flatnonzero(~matched_b).astype(np.int64),
        redrawn_after=np.flatnonzero(~matched_a).astype(np.int64),
        unchanged=int((~changed).sum()),
    )


def polygonal_part(geoms: Geoms, dust_deg2: float = DUST_DEG2) -> Geoms:
    """Keep the polygonal part of each geometry: lines and points (where shapes touch) go, and so do
    polygon components below ``dust_deg2`` square degrees (≈ 1e-4 m²), the dust that set operations
    on shapes sharing an edge leave along it."""
    geoms = np.asarray(geoms, dtype=object)
    types = shapely.get_type_id(geoms)
    odd = np.flatnonzero(~np.isin(types, (3,)) & ~shapely.is_empty(geoms))
    if odd.size == 0:
        return geoms
    geoms = geoms.copy()
    parts, idx = shapely.get_parts(geoms[odd], return_index=True)
    keep = np.isin(shapely.get_type_id(parts), POLYGONAL) & (shapely.area(parts) >= dust_deg2)
    counts = np.bincount(idx, minlength=odd.size)
    kept = np.bincount(idx[keep], minlength=odd.size)
    empty = shapely.Polygon()
    for k in np.flatnonzero((kept < counts) | (types[odd] == 7)):
        polys = parts[keep & (idx == k)]
        geoms[odd[k]] = empty if polys.size == 0 else polys[0] if polys.size == 1 else shapely.multipolygons(polys)
    return geoms


def clean(geoms: Geoms) -> Geoms:
    """Snap to a 1 µm grid (collapsing spikes and slivers of width 0) and keep the polygonal part.
    Moves an area by about perimeter × 0.5 µm (≈ 1e-4 m² for a field)."""
    arr = np.asarray(geoms, dtype=object)
    if arr.size == 0:
        return arr
    return polygonal_part(shapely.set_precision(arr, CLEAN_GRID_DEG))


@dataclass(frozen=True, slots=True)
class Pieces:
    """Polygonal pieces where a before parcel and an after parcel of different classes overlap."""

    before: Ints
    after: Ints
    geometry: Geoms
    candidate_pairs: int


def intersect_redrawn(before_geom: Geoms, before_class: npt.ArrayLike,
                      after_geom: Geoms, after_class: npt.ArrayLike) -> Pieces:
    """Overlay two sets of parcels (indices refer to these arrays); equal-class pairs are skipped."""
    bc, ac = np.asarray(before_class, dtype=object), np.asarray(after_class, dtype=object)
    if len(before_geom) == 0 or len(after_geom) == 0:
        return Pieces(np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, object), 0)
    tree = shapely.STRtree(after_geom)
    qi, ti = tree.query(before_geom, predicate="intersects")
    differ = bc[qi] != ac[ti]
    pb, pa = qi[differ].astype(np.int64), ti[differ].astype(np.int64)
    pieces = polygonal_part(shapely.intersection(before_geom[pb], after_geom[pa]))
    real = ~shapely.is_empty(pieces)
    return Pieces(pb[real], pa[real], pieces[real], int(qi.size))


def merge_pieces(keys: npt.ArrayLike, geometry: Geoms) -> tuple[Ints, Geoms]:
    """Union the pieces sharing a key; returns the first piece index of each group (in order of
    first appearance) and the merged geometries."""
    if len(geometry) == 0:
        return np.empty(0, np.int64), np.empty(0, object)
    codes, _ = pd.factorize(pd.Series(np.asarray(keys, dtype=object)), sort=False)
    order = np.argsort(codes, kind="stable")
    starts = np.flatnonzero(np.r_[True, codes[order][1:] != codes[order][:-1]])
    firsts = order[starts].astype(np.int64)
    sizes = np.diff(np.r_[starts, len(order)])
    merged = np.asarray(geometry, dtype=object)[firsts].copy()
    for g in np.flatnonzero(sizes > 1):
        members = order[starts[g]: starts[g] + sizes[g]]
        merged[g] = shapely.union_all(np.asarray(geometry, dtype=object)[members])
    return firsts, merged


@dataclass(frozen=True, slots=True)
class DiffResult:
    """Change patches: index of the parcel before and after, geometry (EPSG:4490) and area (m²)."""

    before: Ints
    after: Ints
    geometry: Geoms
    area_m2: npt.NDArray[np.float64]
    whole: npt.NDArray[np.bool_]
    slivers: int
    sliver_area_m2: float
    redrawn_before: int
    redrawn_after: int
    candidate_pairs: int


def diff_epochs(
    before_hash: npt.ArrayLike, before_class: npt.ArrayLike, before_geom: Geoms,
    after_hash: npt.ArrayLike, after_class: npt.ArrayLike, after_geom: Geoms,
    *, before_unit: npt.ArrayLike | None = None, min_area_m2: float = 1.0,
) -> DiffResult:
    """Patches of ground whose class differs between ``before`` and ``after`` (both tilings).

    ``before_unit`` (e.g. ZLDWDM) keeps patches of different located-in units apart. Patches smaller
    than ``min_area_m2`` are slivers of re-digitised boundaries: dropped and counted.
    """
    bc, ac = np.asarray(before_class, dtype=object), np.asarray(after_class, dtype=object)
    unit = np.asarray(before_unit, dtype=object) if before_unit is not None else np.full(len(bc), "", object)
    m = match_by_hash(before_hash, bc, after_hash, ac)
    rb, ra = m.redrawn_before, m.redrawn_after
    p = intersect_redrawn(before_geom[rb], bc[rb], after_geom[ra], ac[ra])
    pb, pa = rb[p.before], ra[p.after]
    keys = [f"{a}|{bc[b]}|{unit[b]}" for a, b in zip(pa.tolist(), pb.tolist(), strict=True)]
    firsts, merged = merge_pieces(keys, p.geometry)
    before = np.concatenate([m.whole_before, pb[firsts]])
    after = np.concatenate([m.whole_after, pa[firsts]])
    geometry = np.concatenate([before_geom[m.whole_before], merged])
    area = ellipsoidal_area(geometry) if geometry.size else np.empty(0)
    whole = np.r_[np.ones(m.whole_before.size, bool), np.zeros(merged.size, bool)]
    small = area < min_area_m2
    return DiffResult(
        before=before[~small], after=after[~small], geometry=geometry[~small], area_m2=area[~small],
        whole=whole[~small], slivers=int(small.sum()), sliver_area_m2=float(area[small].sum()),
        redrawn_before=int(rb.size), redrawn_after=int(ra.size), candidate_pairs=p.candidate_pairs,
    )
