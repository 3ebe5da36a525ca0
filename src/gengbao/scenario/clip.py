"""Clip cells to villages and cut out features, so parcels tile each village with no gap or overlap.

Cells wholly inside a village's land (the village minus rivers, reservoirs and highways) are kept as
they are; only cells crossing a boundary are intersected (vectorised, per township). Features are cut
per village into their own parcels.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

from gengbao.scenario.features import Features
from gengbao.scenario.frame import polygon_parts
from gengbao.scenario.regions import Village
from gengbao.scenario.subdivide import FEATURE, Cells


@dataclass
class Pieces:
    geometry: np.ndarray  # planar polygons
    block: np.ndarray  # block index, −1 for features
    role: np.ndarray
    village: np.ndarray
    feature_class: np.ndarray  # DLBM of feature pieces, "" otherwise

    def emptied(self) -> Pieces:
        """No pieces (frees the planar geometry once the parcel table is built)."""
        return Pieces(*(a[:0].copy() for a in (self.geometry, self.block, self.role, self.village, self.feature_class)))


def clip_to_villages(cells: Cells, block_township: np.ndarray, villages: list[Village],
                     features: Features) -> Pieces:
    """Every parcel piece of the county, features included."""
    vgeom = np.array([v.geometry for v in villages], dtype=object)
    vtown = np.array([v.township for v in villages])
    fu = features.union
    land = shapely.difference(vgeom, fu) if not shapely.is_empty(fu) else vgeom
    shapely.prepare(land)
    cell_town = np.where(cells.block >= 0, block_township[np.maximum(cells.block, 0)], -1)
    out_g, out_c, out_v = [], [], []
    for t in np.unique(vtown):
        cidx = np.flatnonzero(cell_town == t)
        vidx = np.flatnonzero(vtown == t)
        if len(cidx) == 0:
            continue
        tree = shapely.STRtree(cells.geometry[cidx])
        inner = tree.query(land[vidx], predicate="contains_properly")
        touch = tree.query(land[vidx], predicate="intersects")
        inner_key = inner[0].astype(np.int64) * len(cidx) + inner[1]
        touch_key = touch[0].astype(np.int64) * len(cidx) + touch[1]
        edge = touch[:, ~np.isin(touch_key, inner_key)]
        out_g.append(cells.geometry[cidx[inner[1]]])
        out_c.append(cidx[inner[1]])
        out_v.append(vidx[inner[0]])
        if edge.shape[1]:
            pieces = shapely.intersection(cells.geometry[cidx[edge[1]]], land[vidx[edge[0]]])
            parts, pi = polygon_parts(pieces)
            out_g.append(parts)
            out_c.append(cidx[edge[1][pi]])
            out_v.append(vidx[edge[0][pi]])
    geom = np.concatenate(out_g)
    cell = np.concatenate(out_c)
    village = np.concatenate(out_v)
    fg, fv, fcode = _feature_parcels(vgeom, features)
    return Pieces(
        np.concatenate([geom, fg]),
        np.concatenate([cells.block[cell], np.full(len(fg), -1)]),
        np.concatenate([cells.role[cell], np.full(len(fg), FEATURE, dtype=np.int8)]),
        np.concatenate([village, fv]).astype(np.int32),
        np.concatenate([np.full(len(geom), "", dtype=object), fcode]),
    )


def _feature_parcels(vgeom: np.ndarray, features: Features) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    tree = shapely.STRtree(vgeom)
    gs, vs, codes = [], [], []
    for code, poly in features.polygons.items():
        hit = tree.query(poly, predicate="intersects")
        if len(hit) == 0:
            continue
        parts, pi = polygon_parts(shapely.intersection(vgeom[hit], poly))
        gs.append(parts)
        vs.append(hit[pi])
        codes.append(np.full(len(parts), code, dtype=object))
    if not gs:
        return np.empty(0, dtype=object), np.empty(0, dtype=np.int32), np.empty(0, dtype=object)
    return np.concatenate(gs), np.concatenate(vs), np.concatenate(codes)
