"""CRS zones, classification, coordinate checks and reprojection."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from pyproj import CRS, Geod, Transformer
from shapely import Polygon

from gengbao.domain.errors import CrsError
from gengbao.spatial.crs import (
    CrsInfo,
    CrsKind,
    bounds_of,
    check_coordinates,
    classify_crs,
    county_gk_epsg,
    from_cgcs2000,
    gk_epsg,
    gk_zone,
    suggest_epsg,
    to_cgcs2000,
    zone_of_epsg,
)

# --- zones: DOMAIN.md §3 -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("place", "lon", "zone", "with_prefix", "without_prefix"),
    [
        ("景德镇", 117.2, 39, 4527, 4548),
        ("东莞", 113.75, 38, 4526, 4547),
        ("安岳", 105.3, 35, 4523, 4544),
        ("中卫", 105.2, 35, 4523, 4544),
    ],
)
def test_domain_examples(place: str, lon: float, zone: int, with_prefix: int, without_prefix: int) -> None:
    assert gk_zone(lon) == zone
    assert gk_epsg(zone, True) == with_prefix
    assert gk_epsg(zone, False) == without_prefix
    assert county_gk_epsg(lon) == without_prefix
    assert county_gk_epsg(lon, prefix=True) == with_prefix
    assert zone_of_epsg(with_prefix) == (zone, True)
    assert zone_of_epsg(without_prefix) == (zone, False)


def test_zone_boundaries() -> None:
    assert [gk_zone(x) for x in (73.6, 76.49, 76.5, 114.0, 115.49, 115.5, 134.9)] == [
        25,
        25,
        26,
        38,
        38,
        39,
        45,
    ]


@pytest.mark.parametrize("zone", range(25, 46))
def test_every_zone_matches_the_epsg_registry(zone: int) -> None:
    for prefix in (True, False):
        crs = CRS.from_epsg(gk_epsg(zone, prefix))
        params = {p.name: p.value for p in crs.coordinate_operation.params}
        assert params["Longitude of natural origin"] == zone * 3
        assert params["False easting"] == (zone * 1_000_000 if prefix else 0) + 500_000
        assert params["Scale factor at natural origin"] == 1
        assert "CGCS2000 / 3-degree Gauss-Kruger" in crs.name


def test_outside_zones() -> None:
    assert zone_of_epsg(4512) is None and zone_of_epsg(4555) is None and zone_of_epsg(4490) is None
    assert zone_of_epsg(4533) == (45, True) and zone_of_epsg(4534) == (25, False)
    for zone in (24, 46):
        with pytest.raises(CrsError) as info:
            gk_epsg(zone, False)
        assert info.value.code == "crs.out_of_china"
    with pytest.raises(CrsError):
        county_gk_epsg(150.0)


# --- classification ------------------------------------------------------------------------------

CUSTOM_PRJ = (
    'PROJCS["My_GK39",GEOGCS["GCS_Custom",DATUM["D_Custom",SPHEROID["CGCS2000",6378137.0,298.257222101]],'
    'PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],'
    'PARAMETER["False_Easting",{fe}],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",{cm}],'
    'PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]'
)


def test_classify_known_codes() -> None:
    assert classify_crs(4490) == CrsInfo(
        CrsKind.CGCS2000_GEOGRAPHIC, 4490, name="China Geodetic Coordinate System 2000"
    )
    gk = classify_crs("EPSG:4548")
    assert (gk.kind, gk.epsg, gk.zone, gk.prefix, gk.central_meridian) == (
        CrsKind.CGCS2000_GK,
        4548,
        39,
        False,
        117,
    )
    prefixed = classify_crs(CRS.from_epsg(4527))
    assert (prefixed.zone, prefixed.prefix) == (39, True)
    wgs = classify_crs(4326)
    assert wgs.kind is CrsKind.WGS84 and wgs.is_geographic and wgs.is_supported
    assert wgs.warning is not None and "厘米" in wgs.warning
    assert classify_crs(4490).warning is None


def test_classify_prj_texts() -> None:
    esri = CRS.from_epsg(4548).to_wkt("WKT1_ESRI")
    assert "CGCS2000_3_Degree_GK_CM_117E" in esri
    assert classify_crs(esri).epsg == 4548
    # renamed datum and projection: recognised by its parameters
    assert classify_crs(CUSTOM_PRJ.format(fe=39500000.0, cm=117.0)).epsg == 4527
    assert classify_crs(CUSTOM_PRJ.format(fe=500000.0, cm=114.0)).epsg == 4547
    assert (
        classify_crs(CUSTOM_PRJ.format(fe=500000.0, cm=116.0)).kind is CrsKind.UNSUPPORTED
    )  # not a 3° meridian
    geographic = (
        'GEOGCS["GCS_Custom",DATUM["D_X",SPHEROID["CGCS2000",6378137.0,298.257222101]],'
        'PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]'
    )
    assert classify_crs(geographic).kind is CrsKind.CGCS2000_GEOGRAPHIC


@pytest.mark.parametrize("epsg", [4491, 4502, 32650, 2383, 3857])  # 6° zones, UTM, Xian 1980, web mercator
def test_unsupported(epsg: int) -> None:
    info = classify_crs(epsg)
    assert info.kind is CrsKind.UNSUPPORTED and info.epsg == epsg and not info.is_supported


def test_missing_and_garbage() -> None:
    assert classify_crs(None).kind is CrsKind.MISSING
    assert classify_crs("not a crs").kind is CrsKind.UNSUPPORTED


# --- checks --------------------------------------------------------------------------------------

JDZ = Transformer.from_crs(4490, 4548, always_xy=True)
LON, LAT = [117.1, 117.3], [29.2, 29.4]
X, Y = JDZ.transform(LON, LAT)
PLAIN = (X[0], Y[0], X[1], Y[1])  # 景德镇 in 4548
PREFIXED = (X[0] + 39e6, Y[0], X[1] + 39e6, Y[1])  # the same in 4527


def raises(bounds: tuple[float, ...], crs: int | None) -> CrsError:
    with pytest.raises(CrsError) as info:
        check_coordinates(bounds, classify_crs(crs))
    return info.value


def test_valid_layers_return_lonlat_bounds() -> None:
    assert check_coordinates((117.1, 29.2, 117.3, 29.4), classify_crs(4490)) == (117.1, 29.2, 117.3, 29.4)
    for bounds, epsg in ((PLAIN, 4548), (PREFIXED, 4527)):
        lonlat = check_coordinates(bounds, classify_crs(epsg))
        assert lonlat == pytest.approx((117.1, 29.1997, 117.3, 29.4003), abs=1e-3)
    xs, ys = np.array([X[0], X[1], np.nan]), np.array([Y[0], Y[1], np.nan])
    assert check_coordinates((xs, ys), classify_crs(4548)) == pytest.approx(
        (117.1, 29.1997, 117.3, 29.4003), abs=1e-3
    )
    assert check_coordinates((117.1, 29.2, 117.3, 29.4), classify_crs(4326)) == (117.1, 29.2, 117.3, 29.4)


def test_missing_crs_suggests_from_the_numbers() -> None:
    e = raises(PREFIXED, None)
    assert e.code == "crs.missing" and "--crs 4527" in e.message and "39509725.08" in e.message
    assert e.details["suggested_epsg"] == 4527
    e = raises((117.1, 29.2, 117.3, 29.4), None)
    assert e.code == "crs.missing" and "--crs 4490" in e.message
    e = raises(PLAIN, None)
    assert e.code == "crs.missing" and "4534–4554" in e.message and "--crs 4548" in e.message


def test_unsupported_crs() -> None:
    e = raises(PLAIN, 32650)
    assert e.code == "crs.unsupported" and "EPSG:32650" in e.message and "4490" in e.message


def test_swapped_lonlat() -> None:
    e = raises((29.2, 117.1, 29.4, 117.3), 4490)
    assert e.code == "crs.swapped_axes" and "29.200000" in e.message and "117.100000" in e.message


def test_swapped_projected_axes() -> None:
    e = raises((Y[0], X[0], Y[1], X[1]), 4548)
    assert e.code == "crs.swapped_axes" and "交换" in e.message
    e = raises((Y[0], X[0] + 39e6, Y[1], X[1] + 39e6), 4527)
    assert e.code == "crs.swapped_axes"


def test_zone_prefix_missing() -> None:
    e = raises(PLAIN, 4527)
    assert e.code == "crs.zone_prefix_missing"
    assert "--crs 4548" in e.message and "509725.08" in e.message
    assert e.details["suggested_epsg"] == 4548


def test_zone_prefix_unexpected() -> None:
    e = raises(PREFIXED, 4548)
    assert e.code == "crs.zone_prefix_unexpected"
    assert "--crs 4527" in e.message and "39509725.08" in e.message
    assert e.details["suggested_epsg"] == 4527


def test_zone_mismatch() -> None:
    in_38 = (X[0] + 38e6, Y[0], X[1] + 38e6, Y[1])
    e = raises(in_38, 4527)
    assert e.code == "crs.zone_mismatch"
    assert "38" in e.message and "39 带" in e.message and "--crs 4526" in e.message
    assert e.details["found_zone"] == 38


def test_out_of_china() -> None:
    e = raises((-10.0, 29.0, -9.0, 30.0), 4490)
    assert e.code == "crs.out_of_china" and "-10.000000" in e.message
    e = raises(PLAIN, 4490)  # metres declared as degrees
    assert e.code == "crs.out_of_china" and "米" in e.message and "4548" in e.message
    e = raises((500000.0, -3e6, 510000.0, -2.9e6), 4548)  # southern hemisphere after transforming
    assert e.code == "crs.out_of_china" and "换算为经纬度" in e.message


def test_bounds_and_suggestion_helpers() -> None:
    assert bounds_of([3, 1, 2], [5, 4, np.nan]) == (1.0, 4.0, 3.0, 5.0)  # the third point has no y
    assert suggest_epsg((117.1, 29.2, 117.3, 29.4)) == 4490
    assert suggest_epsg(PREFIXED) == 4527
    assert suggest_epsg(PLAIN) is None


# --- reprojection --------------------------------------------------------------------------------


def test_central_meridian_northing_is_the_meridian_arc() -> None:
    # on the central meridian Gauss-Krüger (k = 1) gives x = 500000 and y = meridian arc from the equator
    arc = Geod(ellps="GRS80").inv(117.0, 0.0, 117.0, 30.0)[2]
    point = from_cgcs2000(np.array([shapely.Point(117.0, 30.0)]), 4548)[0]
    assert (point.x, point.y) == pytest.approx((500000.0, arc), abs=1e-4)
    prefixed = from_cgcs2000(np.array([shapely.Point(117.0, 30.0)]), 4527)[0]
    assert prefixed.x == pytest.approx(39_500_000.0, abs=1e-4)


def test_to_cgcs2000_matches_pyproj_and_round_trips() -> None:
    lonlat = np.array([Polygon([(117.1, 29.2), (117.3, 29.2), (117.3, 29.4)]), None], dtype=object)
    projected = from_cgcs2000(lonlat, 4548)
    expected = np.column_stack(JDZ.transform([117.1, 117.3, 117.3, 117.1], [29.2, 29.2, 29.4, 29.2]))
    assert np.allclose(shapely.get_coordinates(projected[0]), expected, atol=1e-6, rtol=0)
    assert projected[1] is None
    back = to_cgcs2000(projected, 4548)
    assert np.allclose(
        shapely.get_coordinates(back[0]), shapely.get_coordinates(lonlat[0]), atol=1e-10, rtol=0
    )
    assert to_cgcs2000(projected, classify_crs(4548))[0].equals_exact(back[0], 1e-12)


def test_geographic_input_is_unchanged() -> None:
    lonlat = np.array([Polygon([(117.1, 29.2), (117.3, 29.2), (117.3, 29.4)])], dtype=object)
    for crs in (4490, 4326):
        assert to_cgcs2000(lonlat, crs)[0].equals_exact(lonlat[0], 0.0)
    assert from_cgcs2000(lonlat, 4490)[0].equals_exact(lonlat[0], 0.0)


def test_reprojection_errors() -> None:
    geoms = np.array([shapely.Point(1, 1)])
    with pytest.raises(CrsError) as info:
        to_cgcs2000(geoms, None)
    assert info.value.code == "crs.missing"
    with pytest.raises(CrsError) as info:
        to_cgcs2000(geoms, 32650)
    assert info.value.code == "crs.unsupported"
