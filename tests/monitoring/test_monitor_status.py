"""Findings without a class change (撂荒, 永农种植非粮作物, 临时用地到期未复垦), the homestead exception
inside the village construction boundary, and the ecological redline, on hand-built epochs
(``builder_status``) against figures known by construction."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely

from gengbao.adapters.db.models_monitoring import MonitorRun
from gengbao.monitoring.judge import part_widths
from gengbao.services.approvals.importing import import_approvals_frame
from gengbao.services.monitoring.run import MonitorReport, run_monitor
from gengbao.services.survey.importing import import_survey_frame
from gengbao.services.survey.reference import import_reference_file, import_reference_frame
from gengbao.services.workspace import Workspace, init_workspace
from tests.monitoring import builder as b
from tests.monitoring import builder_status as bs
from tests.monitoring.builder import cell, geod_area

TOL = 0.02


def build(root: Path, sc: bs.StatusScenario, village: bool = True, redline: bool = True) -> Workspace:
    ws = init_workspace(root, "360200")
    for epoch, lands in sc.epochs.items():
        import_survey_frame(ws, b.frame(lands), epoch, source=f"dltb{epoch}")
    import_survey_frame(ws, b.frame(bs.pbf_lands(sc)), 2021, "pbf", source="pbf2021")
    import_approvals_frame(ws, b.approvals_frame(sc.approvals), None, "approvals")
    if village:
        frame = gpd.GeoDataFrame({"名称": ["一村", "二村"]}, geometry=sc.village, crs="EPSG:4490")
        import_reference_frame(ws, frame, "village_boundary", source="村庄建设边界")
    if redline:
        path = root.parent / "redline.gpkg"
        gpd.GeoDataFrame({"名称": ["红线一", "红线二"]}, geometry=sc.redline, crs="EPSG:4490").to_file(path)
        import_reference_file(ws, path, "redline")
    return ws


@pytest.fixture(scope="module")
def scenario() -> bs.StatusScenario:
    return bs.status_scenario()


def parts_by_name(report: MonitorReport, expected: list[b.Expected]) -> dict[str, dict[str, object]]:
    rows = report.patches
    points = shapely.point_on_surface(rows.geometry.to_numpy())
    found, used = {}, set()
    for x in expected:
        hits = [i for i in range(len(rows)) if x.geom.contains(points[i])]
        assert len(hits) == 1, f"{x.name}: {len(hits)} parts"
        used.add(hits[0])
        found[x.name] = rows.iloc[hits[0]].to_dict()
    assert used == set(range(len(rows))), "parts without an expected finding"
    return found


def run_params(ws: Workspace, run_id: int) -> tuple[object, object, object]:
    """The run record's PBF, redline and village-boundary epochs."""
    with ws.sessions() as s:
        p = s.get_one(MonitorRun, run_id).params
    return p["pbf_epoch"], p["redline_epoch"], p["village_boundary_epoch"]


def test_findings_without_class_change_homesteads_and_redline(tmp_path: Path, scenario: bs.StatusScenario) -> None:
    ws = build(tmp_path / "ws", scenario)
    report = run_monitor(ws, 2021, 2022)
    assert run_params(ws, report.run_id)[1:] == (2020, 2020)  # the layers' default epoch: the first survey
    got = parts_by_name(report, scenario.expected)
    red = {"aband_whole@" + bs.V0: cell(0, 0, w=0.5), "home_out@" + bs.V2: cell(2, 3, w=0.5)}
    for x in scenario.expected:
        row = got[x.name]
        assert (row["from_class"], row["to_class"], row["change_type"], row["legality"], row["approval"]) == (
            x.from_class, x.to_class, x.change_type, x.legality, x.approval), x.name
        assert abs(row["area_m2"] - x.area) <= TOL and abs(row["farmland_m2"] - x.farmland) <= TOL, x.name
        assert abs(row["pbf_m2"] - x.pbf_area) <= TOL, x.name
        assert abs(row["redline_m2"] - (geod_area(red[x.name]) if x.name in red else 0.0)) <= TOL, x.name
        assert row["region"].startswith(x.village), x.name
    # the two re-drawn halves of one unrestored parcel are two patches (one per later parcel)
    assert got["redrawn_left@" + bs.V1]["patch"] != got["redrawn_right@" + bs.V1]["patch"]
    # span: one patch, split at the village boundary
    assert got["span_in@" + bs.V2]["patch"] == got["span_out@" + bs.V2]["patch"]

    county = {r.region: r for r in report.regions if r.level == "county"}
    a = geod_area
    c0 = county["360202"]
    assert abs(float(c0.abandonment_m2) - (a(cell(0, 0)) + a(cell(0, 1, w=0.5)))) <= TOL
    assert c0.abandonment_pbf_m2 == Decimal("0.00")
    assert abs(float(c0.non_grain_crop_pbf_m2) - a(cell(0, 3, h=0.5))) <= TOL  # not in the outflow:
    narrow, wide = a(cell(0, 2, w=0.05, h=1.0, dx=0.1)), a(cell(0, 2, w=0.2, h=1.0, dx=0.4))
    assert abs(float(c0.non_grain_outflow_m2) - (narrow + wide)) <= TOL  # only the roads on PBF
    expired = a(cell(1, 0)) + a(cell(1, 3, w=0.5)) + a(cell(1, 4)) + a(cell(1, 5)) + a(cell(1, 6))
    assert abs(float(c0.temporary_expired_m2) - expired) <= 3 * TOL
    took = a(cell(1, 0)) + a(cell(1, 3, w=0.5)) + a(cell(1, 4))  # farmland before the temporary use
    assert abs(float(c0.illegal_farmland_m2) - (took + wide)) <= 3 * TOL
    assert abs(float(c0.illegal_pbf_m2) - wide) <= TOL
    assert c0.new_construction_farmland_m2 == Decimal("0.00") and c0.key_ratio is None
    assert abs(float(c0.redline_m2) - a(cell(0, 0, w=0.5))) <= TOL

    c2 = county["360222"]
    built = a(cell(2, 0)) + a(cell(2, 1.5, w=1.0)) + a(cell(2, 3)) + a(cell(2, 4)) + a(cell(2, 5)) + a(cell(2, 6))
    illegal = a(cell(2, 2, w=0.5)) + a(cell(2, 3)) + a(cell(2, 4, h=0.5)) + a(cell(2, 5))
    assert abs(float(c2.new_construction_farmland_m2) - built) <= 3 * TOL
    assert abs(float(c2.illegal_construction_farmland_m2) - illegal) <= 3 * TOL
    assert c2.key_ratio == (c2.illegal_construction_farmland_m2 / c2.new_construction_farmland_m2).quantize(
        Decimal("0.000001"))
    assert abs(float(c2.illegal_pbf_m2) - a(cell(2, 4, h=0.5))) <= TOL
    assert abs(float(c2.redline_m2) - a(cell(2, 3, w=0.5))) <= TOL
    assert c2.abandonment_m2 == Decimal("0.00") and c2.temporary_expired_m2 == Decimal("0.00")
    assert abs(float(c2.by_legality_m2["lawful_exception"]) - (a(cell(2, 0)) + a(cell(2, 1.5, w=0.5))
                                                               + a(cell(2, 4, h=0.5, dy=0.5)))) <= 3 * TOL


def test_without_a_village_boundary_homesteads_are_suspected(tmp_path: Path, scenario: bs.StatusScenario) -> None:
    ws = build(tmp_path / "ws", scenario, village=False, redline=False)
    report = run_monitor(ws, 2021, 2022)
    assert run_params(ws, report.run_id) == (2021, None, None)  # PBF imported as of 2021
    rows = report.patches[report.patches["county"] == "360222"]
    assert "lawful_exception" not in set(rows["legality"])
    assert (rows["to_class"] == "0702").sum() == 5  # no split at PBF or at a boundary: one part per patch
    assert report.patches["redline_m2"].sum() == 0.0
    home_in = rows[rows.geometry.within(cell(2, 0).buffer(1e-9))]
    assert home_in["legality"].tolist() == ["suspected_illegal"]
    assert {r.region: r.redline_m2 for r in report.regions if r.level == "county"}["360222"] == Decimal("0.00")


def test_part_widths_are_the_short_side_in_metres() -> None:
    strip, square = cell(0, 2, w=0.05, h=1.0), cell(0, 0)
    lat = b.LAT0 + 0.5 * b.SIZE
    across = b.GEOD.inv(b.LON0, lat, b.LON0 + 0.05 * b.SIZE, lat)[2]  # geodesic width of the strip
    side = b.GEOD.inv(b.LON0, lat, b.LON0 + b.SIZE, lat)[2]
    got = part_widths(np.array([strip, square], dtype=object))
    assert abs(got[0] - across) < 0.05 and abs(got[1] - side) / side < 0.1
