"""Invariants of the epoch diff (Hypothesis): patches never exceed their parcel, and their areas add up
to the area whose class changed, computed independently cell by cell with pyproj's geodesic area."""

from __future__ import annotations

import numpy as np
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Geod

from gengbao.spatial.diff import diff_epochs
from gengbao.spatial.geometry_hash import geometry_hashes

GEOD = Geod(ellps="GRS80")
ROWS, COLS, SIZE = 3, 5, 0.0005
CLASSES = ("0101", "0103", "0201", "0601")


def cell(r: int, c: int) -> shapely.Polygon:
    return shapely.box(116.5 + c * SIZE, 30.1 + r * SIZE, 116.5 + (c + 1) * SIZE, 30.1 + (r + 1) * SIZE)


def layer(raster: list[list[int]], cuts: list[list[bool]]) -> tuple[np.ndarray, np.ndarray, list[set[tuple[int, int]]]]:
    """Parcels = runs of equal class along each row, also cut where ``cuts`` says (a re-drawn layout)."""
    geoms, classes, cells = [], [], []
    for r in range(ROWS):
        start = 0
        for c in range(1, COLS + 1):
            if c == COLS or raster[r][c] != raster[r][start] or cuts[r][c - 1]:
                geoms.append(shapely.box(116.5 + start * SIZE, 30.1 + r * SIZE, 116.5 + c * SIZE, 30.1 + (r + 1) * SIZE))
                classes.append(CLASSES[raster[r][start]])
                cells.append({(r, k) for k in range(start, c)})
                start = c
    return np.array(geoms, dtype=object), np.array(classes, dtype=object), cells


rasters = st.lists(st.lists(st.integers(0, len(CLASSES) - 1), min_size=COLS, max_size=COLS), min_size=ROWS,
                   max_size=ROWS)
cut_lists = st.lists(st.lists(st.booleans(), min_size=COLS, max_size=COLS), min_size=ROWS, max_size=ROWS)


@settings(max_examples=60, deadline=None)
@given(rasters, rasters, cut_lists, cut_lists)
def test_patch_areas_add_up_and_stay_in_their_parcel(r1: list[list[int]], r2: list[list[int]],
                                                     c1: list[list[bool]], c2: list[list[bool]]) -> None:
    bg, bc, bcells = layer(r1, c1)
    ag, ac, _ = layer(r2, c2)
    d = diff_epochs(geometry_hashes(bg), bc, bg, geometry_hashes(ag), ac, ag, min_area_m2=0.0)
    changed = sum(abs(GEOD.geometry_area_perimeter(cell(r, c))[0])
                  for r in range(ROWS) for c in range(COLS) if r1[r][c] != r2[r][c])
    assert abs(d.area_m2.sum() - changed) <= 1e-3 * (1 + len(d.area_m2))
    assert (bc[d.before] != ac[d.after]).all()
    assert all(shapely.covers(ag[j].buffer(1e-9), g) for j, g in zip(d.after, d.geometry, strict=True))
    for i in range(len(bg)):  # the patch area lying on each earlier parcel: never more than the parcel
        on = sum(abs(GEOD.geometry_area_perimeter(shapely.intersection(g, bg[i]))[0]) for g in d.geometry
                 if shapely.intersects(g, bg[i]))
        parcel = abs(GEOD.geometry_area_perimeter(bg[i])[0])
        assert on <= parcel + 1e-3
        want = sum(abs(GEOD.geometry_area_perimeter(cell(r, c))[0]) for r, c in bcells[i] if r1[r][c] != r2[r][c])
        assert abs(on - want) <= 1e-3 * (1 + len(d.geometry))


@settings(max_examples=30, deadline=None)
@given(rasters, cut_lists)
def test_unchanged_layer_gives_no_patch(r1: list[list[int]], c1: list[list[bool]]) -> None:
    bg, bc, _ = layer(r1, c1)
    d = diff_epochs(geometry_hashes(bg), bc, bg, geometry_hashes(bg), bc, bg)
    assert d.geometry.size == 0 and d.redrawn_before == 0 and d.candidate_pairs == 0
