"""Parcels tile the county in every epoch: no gap, no overlap, areas add up, villages are right."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from gengbao.scenario.frame import geodesic_area
from tests.scenario.conftest import EPOCHS, Scenario

COUNTY = "360202"


def _county(rich: Scenario) -> shapely.Geometry:
    regions = rich.truth("regions")
    return regions.loc[regions["level"] == "county", "geometry"].iloc[0]


@pytest.mark.parametrize("epoch", EPOCHS)
def test_area_adds_up_to_the_county(rich: Scenario, rich_layers, epoch: int) -> None:
    total = float(rich_layers[epoch]["TBMJ"].sum())
    county = geodesic_area(_county(rich))
    assert abs(total / county - 1) < 1e-4  # the requirement: 0.01 %
    # and in fact: unrounded parcel areas add up to the county's to within a few m² over 313 km²
    exact = sum(geodesic_area(g) for g in rich_layers[epoch].geometry)
    assert abs(exact - county) < 5.0
    assert rich.report.summary["counties"][COUNTY]["county_area_m2"] == pytest.approx(county, abs=0.01)


@pytest.mark.parametrize("epoch", [EPOCHS[0], EPOCHS[-1]])
def test_no_overlap_above_one_square_metre(rich_layers, epoch: int) -> None:
    geoms = rich_layers[epoch].geometry.to_numpy()
    a, b = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    pairs = a < b
    inter = shapely.intersection(geoms[a[pairs]], geoms[b[pairs]])
    areas = np.array([geodesic_area(g) if shapely.get_type_id(g) in (3, 6, 7) and g.area > 0 else 0.0
                      for g in inter])
    assert areas.max(initial=0.0) <= 1.0
    assert areas.sum() <= 10.0


@pytest.mark.parametrize("epoch", [EPOCHS[0], EPOCHS[-1]])
def test_no_gap_above_one_square_metre(rich: Scenario, rich_layers, epoch: int) -> None:
    county = _county(rich)
    union = shapely.union_all(rich_layers[epoch].geometry.to_numpy())
    gaps = shapely.get_parts(shapely.difference(county, union))
    outside = shapely.get_parts(shapely.difference(union, county))
    assert max((geodesic_area(g) for g in gaps if g.area > 0), default=0.0) <= 1.0
    assert sum(geodesic_area(g) for g in outside if g.area > 0) <= 1.0


def test_parcels_lie_in_their_village(rich: Scenario, rich_layers) -> None:
    regions = rich.truth("regions")
    villages = regions[regions["level"] == "village"].set_index("code")
    parcels = rich_layers[EPOCHS[-1]]
    codes = parcels["ZLDWDM"].str.slice(0, 12)
    assert set(codes) <= set(villages.index)
    points = shapely.point_on_surface(parcels.geometry.to_numpy())
    inside = shapely.covers(villages.loc[codes.to_numpy(), "geometry"].to_numpy(), points)
    # a crumb under 1 m² may have joined a neighbour across a village line
    assert inside.mean() > 0.999
    assert parcels.loc[~inside, "TBMJ"].sum() < 0.001 * parcels["TBMJ"].sum()


def test_every_village_of_the_county_has_parcels(rich: Scenario, rich_layers) -> None:
    from gengbao.adapters.region_data import load_catalog
    from gengbao.domain.regions import RegionLevel

    expected = {r.code for r in load_catalog().descendants(COUNTY, RegionLevel.VILLAGE)}
    assert set(rich_layers[EPOCHS[0]]["ZLDWDM"].str.slice(0, 12)) == expected
