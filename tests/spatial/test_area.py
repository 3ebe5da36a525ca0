"""Ellipsoidal area: agreement with pyproj's geodesic area, an exact graticule formula, and invariants."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Geod
from shapely import MultiPolygon, Polygon

from gengbao.domain.errors import CrsError, InputError
from gengbao.spatial.area import ellipsoidal_area, round_m2

GEOD = Geod(ellps="GRS80")  # the CGCS2000 ellipsoid: a = 6378137, f = 1/298.257222101
A, F = 6378137.0, 1 / 298.257222101
R_MEAN = 6371008.8


def pyproj_area(geoms: np.ndarray) -> np.ndarray:
    return pyproj_area_perimeter(geoms)[0]


def pyproj_area_perimeter(geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    pairs = np.array([GEOD.geometry_area_perimeter(g) for g in geoms]).reshape(-1, 2)
    return np.abs(pairs[:, 0]), pairs[:, 1]


def ours(*geoms: Polygon | MultiPolygon) -> np.ndarray:
    return ellipsoidal_area(np.array(geoms, dtype=object))


# --- a test set of parcels spread across China ---------------------------------------------------


def _to_lonlat(xy: np.ndarray, lon0: float, lat0: float) -> np.ndarray:
    lon = lon0 + np.degrees(xy[:, 0] / (R_MEAN * math.cos(math.radians(lat0))))
    return np.column_stack([lon, lat0 + np.degrees(xy[:, 1] / R_MEAN)])


def _star(
    rng: np.random.Generator, radius: float, k: int, centre: tuple[float, float] = (0, 0)
) -> np.ndarray:
    """Irregular star-shaped ring; with k ≥ 4 it contains the disc of 0.25·radius around ``centre``."""
    angles = 2 * np.pi * (np.arange(k) + rng.uniform(0, 0.5, k)) / k
    radii = radius * rng.uniform(0.65, 1.0, k)
    return np.column_stack([centre[0] + radii * np.cos(angles), centre[1] + radii * np.sin(angles)])


def _scaled(ring: np.ndarray, area: float) -> np.ndarray:
    x, y = ring[:, 0], ring[:, 1]
    planar = abs(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))) / 2
    return ring * math.sqrt(area / planar)


def _field(rng: np.random.Generator) -> tuple[np.ndarray, list[np.ndarray]]:
    ext = _scaled(_star(rng, 1.0, int(rng.integers(4, 16))), rng.uniform(100, 14_800))
    radius = float(np.hypot(ext[:, 0], ext[:, 1]).max())
    holes = [_star(rng, 0.15 * radius, int(rng.integers(3, 7)))] if rng.random() < 0.3 else []
    return ext, holes


def _forest(rng: np.random.Generator) -> tuple[np.ndarray, list[np.ndarray]]:
    ext = _scaled(_star(rng, 1.0, int(rng.integers(12, 120))), rng.uniform(1e5, 2.1e6))
    radius = float(np.hypot(ext[:, 0], ext[:, 1]).max())
    holes = []
    for i in range(int(rng.integers(0, 3))):  # islands, side by side inside the inner disc
        holes.append(_star(rng, 0.1 * radius, int(rng.integers(3, 12)), ((-0.15 + 0.3 * i) * radius, 0)))
    return ext, holes


def _strip(rng: np.random.Generator) -> tuple[np.ndarray, list[np.ndarray]]:
    length, width, theta = rng.uniform(2000, 9000), rng.uniform(5, 30), rng.uniform(0, np.pi)
    t = np.array([math.cos(theta), math.sin(theta)])
    n = np.array([-t[1], t[0]])
    if rng.random() < 0.5:  # straight: four vertices, two edges several km long
        return np.array([-length / 2 * t - width / 2 * n, length / 2 * t - width / 2 * n,
                         length / 2 * t + width / 2 * n, -length / 2 * t + width / 2 * n]), []  # fmt: skip
    m = int(rng.integers(3, 8))
    offsets = np.r_[0, rng.normal(0, 40, m - 2), 0]
    centre_line = shapely.LineString(
        np.linspace(-length / 2, length / 2, m)[:, None] * t + offsets[:, None] * n
    )
    road = centre_line.buffer(width / 2, cap_style="flat", join_style="mitre")
    return np.asarray(road.exterior.coords)[:-1], []


def china_parcels(n: int, seed: int = 2000) -> tuple[np.ndarray, np.ndarray]:
    """``n`` valid parcels across China (lon 74–134, lat 18–53) and their kinds."""
    rng = np.random.default_rng(seed)
    kinds = rng.choice(np.array(["field", "forest", "strip"]), size=n, p=[0.6, 0.2, 0.2])
    makers = {"field": _field, "forest": _forest, "strip": _strip}
    geoms = []
    for kind in kinds:
        lon0, lat0 = rng.uniform(74, 134), rng.uniform(18, 53)
        ext, holes = makers[str(kind)](rng)
        poly = Polygon(_to_lonlat(ext, lon0, lat0), [_to_lonlat(h, lon0, lat0) for h in holes])
        if rng.random() < 0.05:
            poly = MultiPolygon([poly, shapely.affinity.translate(poly, 0.1, 0.1)])
        geoms.append(poly)
    return shapely.orient_polygons(np.array(geoms, dtype=object)), kinds


def test_agrees_with_pyproj_geodesic_area_within_a_hundredth_of_a_square_metre() -> None:
    geoms, kinds = china_parcels(10_000)
    assert shapely.is_valid(geoms).all()
    reference, perimeter = pyproj_area_perimeter(geoms)
    area = ellipsoidal_area(geoms)

    # the set really is what the requirement describes
    single = shapely.get_type_id(geoms) == 3
    assert (
        (kinds == "field").sum() > 5000
        and (kinds == "forest").sum() > 1500
        and (kinds == "strip").sum() > 1500
    )
    field_areas = reference[(kinds == "field") & single]
    assert field_areas.min() > 90 and field_areas.max() < 15_000
    assert reference[(kinds == "forest") & single].max() > 2e6
    strip_lengths = perimeter[(kinds == "strip") & single] / 2
    assert strip_lengths.min() > 1900 and strip_lengths.max() > 8500
    assert (shapely.get_num_interior_rings(geoms[single]) > 0).sum() > 1500
    assert (~single).sum() > 300

    difference = np.abs(area - reference)
    assert difference.max() < 0.01, f"worst {difference.max():.2e} m² on {geoms[difference.argmax()]}"
    assert np.quantile(difference, 0.99) < 0.001


# --- an independent exact figure -----------------------------------------------------------------


def graticule_area(lon1: float, lon2: float, lat1: float, lat2: float) -> float:
    """Exact area of a lon/lat cell bounded by parallels on the ellipsoid (authalic-latitude formula)."""
    e2 = F * (2 - F)
    e = math.sqrt(e2)

    def q(lat: float) -> float:
        s = math.sin(math.radians(lat))
        return s / (1 - e2 * s * s) + math.log((1 + e * s) / (1 - e * s)) / (2 * e)

    return math.radians(lon2 - lon1) * A * A * (1 - e2) / 2 * (q(lat2) - q(lat1))


@pytest.mark.parametrize("size", [0.01, 0.1])
@pytest.mark.parametrize(("lon", "lat"), [(117.0, 29.3), (105.0, 37.5), (87.6, 43.8), (110.3, 20.0)])
def test_cell_bounded_by_parallels_matches_exact_formula(lon: float, lat: float, size: float) -> None:
    # a 1 km or 10 km cell whose parallels are densified to 4000 geodesic chords: their bulge is < 1e-5 m²
    along = np.linspace(lon, lon + size, 4001)
    ring = np.r_[np.column_stack([along, np.full_like(along, lat)]),
                 np.column_stack([along[::-1], np.full_like(along, lat + size)])]  # fmt: skip
    expected = graticule_area(lon, lon + size, lat, lat + size)
    assert ours(Polygon(ring))[0] == pytest.approx(expected, abs=1e-4)


def test_known_small_parcel() -> None:
    # a 1 mu-sized square near 景德镇 computed independently with pyproj
    p = Polygon([(117.2, 29.3), (117.200267, 29.3), (117.200267, 29.30023), (117.2, 29.30023)])
    assert ours(p)[0] == pytest.approx(pyproj_area(np.array([p]))[0], abs=1e-4)
    assert 660 < ours(p)[0] < 670


# --- invariants (Hypothesis) ---------------------------------------------------------------------

centres = st.tuples(st.floats(74, 134), st.floats(18, 53))


@st.composite
def convex_rings(draw: st.DrawFn) -> np.ndarray:
    lon0, lat0 = draw(centres)
    k = draw(st.integers(4, 12))
    semi = draw(st.tuples(st.floats(5, 1500), st.floats(5, 1500)))
    turn = draw(st.floats(0, np.pi))
    gaps = np.array(draw(st.lists(st.floats(0.1, 1.0), min_size=k, max_size=k)))
    angles = 2 * np.pi * np.cumsum(gaps) / gaps.sum()
    xy = np.column_stack([semi[0] * np.cos(angles), semi[1] * np.sin(angles)])
    rot = np.array([[math.cos(turn), -math.sin(turn)], [math.sin(turn), math.cos(turn)]])
    return _to_lonlat(xy @ rot.T, lon0, lat0)


@settings(max_examples=150, deadline=None)
@given(convex_rings(), st.data())
def test_additive_when_split_along_a_diagonal(ring: np.ndarray, data: st.DataObject) -> None:
    k = len(ring)
    i = data.draw(st.integers(0, k - 1))
    j = (i + data.draw(st.integers(2, k - 2))) % k
    lo, hi = min(i, j), max(i, j)
    first, second = ring[lo : hi + 1], np.r_[ring[hi:], ring[: lo + 1]]
    whole, a, b = ours(Polygon(ring), Polygon(first), Polygon(second))
    assert a > 0 and b > 0
    assert whole == pytest.approx(a + b, abs=2e-5)  # float64 noise: ~1 nm per vertex along km edges


@settings(max_examples=150, deadline=None)
@given(convex_rings(), st.integers(0, 11), st.booleans())
def test_invariant_to_orientation_and_start_vertex(ring: np.ndarray, start: int, reverse: bool) -> None:
    moved = np.roll(ring, -(start % len(ring)), axis=0)
    if reverse:
        moved = moved[::-1]
    original, changed = ours(Polygon(ring), Polygon(moved))
    assert changed == pytest.approx(original, abs=1e-7, rel=1e-13)


@settings(max_examples=100, deadline=None)
@given(convex_rings(), st.floats(0.05, 0.6), st.booleans())
def test_hole_subtracts(ring: np.ndarray, scale: float, clockwise_hole: bool) -> None:
    centre = ring.mean(axis=0)
    hole = centre + (ring - centre) * scale
    if clockwise_hole:
        hole = hole[::-1]
    with_hole, outer, inner = ours(Polygon(ring, [hole]), Polygon(ring), Polygon(hole))
    assert with_hole == pytest.approx(outer - inner, abs=1e-7, rel=1e-13)
    assert with_hole < outer


# --- edge cases --------------------------------------------------------------------------------------


def test_multipolygon_is_sum_of_parts_and_shape_is_kept() -> None:
    p = Polygon([(117.0, 29.0), (117.001, 29.0), (117.001, 29.001)])
    q = shapely.affinity.translate(p, 0.01, 0.0)
    area = ellipsoidal_area(np.array([[MultiPolygon([p, q]), p], [q, Polygon()]], dtype=object))
    assert area.shape == (2, 2)
    assert area[0, 0] == pytest.approx(area[0, 1] + area[1, 0], rel=1e-15)
    assert area[1, 1] == 0.0


def test_empty_and_missing() -> None:
    area = ellipsoidal_area(np.array([Polygon(), MultiPolygon(), shapely.Point(), None], dtype=object))
    assert area[:3].tolist() == [0.0, 0.0, 0.0]
    assert math.isnan(area[3])
    assert ellipsoidal_area(np.array([], dtype=object)).shape == (0,)


def test_rejects_lines_and_points() -> None:
    with pytest.raises(InputError) as info:
        ellipsoidal_area(
            [Polygon([(117, 29), (117.1, 29), (117.1, 29.1)]), shapely.LineString([(0, 0), (1, 1)])]
        )
    assert info.value.code == "area.geometry_type"
    assert "第 1 个" in info.value.message


def test_rejects_projected_coordinates() -> None:
    gk = Polygon([(509725.0, 3231440.0), (509825.0, 3231440.0), (509825.0, 3231540.0)])
    with pytest.raises(CrsError) as info:
        ellipsoidal_area([gk])
    assert info.value.code == "crs.not_geographic"


def test_z_coordinates_are_ignored() -> None:
    flat = Polygon([(117, 29), (117.01, 29), (117.01, 29.01)])
    raised = Polygon([(117, 29, 30), (117.01, 29, 50), (117.01, 29.01, 80)])
    assert ours(raised)[0] == ours(flat)[0]


# --- rounding as stored ---------------------------------------------------------------------------


def test_round_area_half_up_on_the_decimal_value() -> None:
    values = [0.125, 1.005, 2.675, 1.0049, 123456789.125, 666.665, 0.0, 12.344999]
    assert round_m2(values).tolist() == [0.13, 1.01, 2.68, 1.0, 123456789.13, 666.67, 0.0, 12.34]
    assert math.isnan(round_m2([math.nan])[0])


@given(st.decimals(min_value=0, max_value=10**10, places=6, allow_nan=False))
def test_round_area_matches_decimal_half_up(value: Decimal) -> None:
    expected = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert round_m2([float(value)])[0] == float(expected)
