"""Cutting a parcel in two: the exact area function and the cut that meets a share (properties)."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from gengbao.scenario.cut import _halfplanes, area_below, split_share


@st.composite
def polygons(draw: st.DrawFn) -> shapely.Geometry:
    """Star-shaped rings (3–12 vertices), sometimes with a hole, sometimes two parts."""
    n = draw(st.integers(3, 12))
    radii = np.array(draw(st.lists(st.floats(0.5, 1.0), min_size=n, max_size=n)))
    jitter = np.array(draw(st.lists(st.floats(0, 0.5), min_size=n, max_size=n)))
    ang = 2 * np.pi * (np.arange(n) + jitter) / n  # a simple ring around the centre
    x0, y0 = 117.0 + draw(st.floats(0, 0.01)), 29.0 + draw(st.floats(0, 0.01))
    ring = np.column_stack([x0 + 1e-3 * radii * np.cos(ang), y0 + 1e-3 * radii * np.sin(ang)])
    poly = shapely.Polygon(ring)
    if draw(st.booleans()):
        poly = shapely.difference(poly, shapely.Point(x0, y0).buffer(1e-4))
    if draw(st.booleans()):
        poly = shapely.union(poly, shapely.box(x0 + 2e-3, y0, x0 + 2.5e-3, y0 + 1e-3))
    parts = [p for p in shapely.get_parts(poly) if p.geom_type == "Polygon" and p.area > 1e-9]
    return shapely.MultiPolygon(parts) if len(parts) > 1 else parts[0]


@settings(max_examples=60, deadline=None)
@given(polygons(), st.floats(0, np.pi), st.floats(0, 1))
def test_area_below_is_the_clipped_area(geom: shapely.Geometry, theta: float, frac: float) -> None:
    s = shapely.get_coordinates(geom) @ np.array([np.cos(theta), np.sin(theta)])
    t = s.min() + frac * (s.max() - s.min())
    clipped = shapely.area(shapely.intersection(geom, _halfplanes(theta, np.array([t]), shapely.bounds(geom))[0]))
    assert area_below(geom, theta, np.array([t]))[0] == pytest.approx(clipped, rel=1e-9, abs=1e-15)


@settings(max_examples=60, deadline=None)
@given(polygons(), st.floats(0.02, 0.98))
def test_split_meets_the_share_and_tiles_the_parcel(geom: shapely.Geometry, share: float) -> None:
    part, rest = split_share(geom, share)
    total = geom.area
    assert part.area / total == pytest.approx(share, abs=1e-6)
    assert (part.area + rest.area) / total == pytest.approx(1.0, abs=1e-9)
    assert shapely.area(shapely.intersection(part, rest)) / total < 1e-9
    assert shapely.is_valid(part) and shapely.is_valid(rest)
