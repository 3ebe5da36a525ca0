"""A monitoring run on hand-built epochs, against figures known by construction (SQLite and PostgreSQL)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pyogrio
import shapely
from sqlalchemy import select

from gengbao.adapters.db import audit_store as audit
from gengbao.adapters.db.models_monitoring import MonitorRegion, MonitorRun
from gengbao.adapters.monitor_io import read_patches
from gengbao.services.monitoring.run import MonitorReport, run_monitor
from gengbao.services.workspace import open_workspace
from tests.monitoring import builder as b
from tests.monitoring.conftest import build_workspace

TOL = 0.02  # m²: gengbao's ellipsoidal area agrees with pyproj's geodesic area within 0.01 m²


def match(report: MonitorReport, sc: b.Scenario) -> dict[str, dict[str, object]]:
    """Each expected part ↔ exactly one patch part whose interior point lies in it; no part left over."""
    rows = report.patches
    points = shapely.point_on_surface(rows.geometry.to_numpy())
    found: dict[str, dict[str, object]] = {}
    used: set[int] = set()
    for x in sc.expected:
        hits = [i for i in range(len(rows)) if x.geom.contains(points[i])]
        assert len(hits) == 1, f"{x.name}: {len(hits)} parts"
        used.add(hits[0])
        found[x.name] = rows.iloc[hits[0]].to_dict()
    assert used == set(range(len(rows))), "patches without an expected change"
    return found


def check_against_construction(report: MonitorReport, sc: b.Scenario) -> None:
    got = match(report, sc)
    for x in sc.expected:
        row = got[x.name]
        assert (row["from_class"], row["to_class"]) == (x.from_class, x.to_class), x.name
        assert (row["change_type"], row["legality"], row["approval"]) == (x.change_type, x.legality, x.approval), x.name
        assert abs(row["area_m2"] - x.area) <= TOL, (x.name, row["area_m2"], x.area)
        assert abs(row["farmland_m2"] - x.farmland) <= TOL, x.name
        assert abs(row["pbf_m2"] - x.pbf_area) <= TOL, x.name
        assert row["region"].startswith(x.village), x.name
    assert report.slivers == sc.slivers and 0.3 < report.sliver_area_m2 < 0.8


def expected_regions(sc: b.Scenario, digits: int) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    illegal = {"suspected_illegal", "facility_excess", "temporary_expired"}
    for x in sc.expected:
        r = out.setdefault(x.village[:digits], dict.fromkeys(
            ("built", "built_illegal", "illegal_farm", "illegal_pbf", "non_grain", "inflow"), 0.0))
        built = x.change_type == "non_agricultural_conversion"
        r["built"] += x.farmland if built else 0
        r["built_illegal"] += x.farmland if built and x.legality in illegal else 0
        r["illegal_farm"] += x.farmland if x.legality in illegal else 0
        r["illegal_pbf"] += x.pbf_area if x.legality in illegal else 0
        r["non_grain"] += x.farmland if x.change_type == "non_grain_conversion" else 0
        r["inflow"] += x.area if x.change_type == "inflow" else 0
    return out


def check_regions(report: MonitorReport, sc: b.Scenario) -> None:
    for level, digits in (("county", 6), ("township", 9)):
        want = expected_regions(sc, digits)
        got = {r.region: r for r in report.regions if r.level == level}
        assert set(got) == set(want)
        for code, w in want.items():
            g = got[code]
            pairs = [(g.new_construction_farmland_m2, w["built"]), (g.illegal_construction_farmland_m2, w["built_illegal"]),
                     (g.illegal_farmland_m2, w["illegal_farm"]), (g.illegal_pbf_m2, w["illegal_pbf"]),
                     (g.non_grain_outflow_m2, w["non_grain"]), (g.inflow_m2, w["inflow"])]
            for value, expected in pairs:
                assert abs(float(value) - expected) <= 0.1, (code, value, expected)
            assert g.key_ratio == (g.illegal_construction_farmland_m2 / g.new_construction_farmland_m2).quantize(
                Decimal("0.000001"))
            assert abs(float(g.key_ratio) - w["built_illegal"] / w["built"]) < 1e-5


def test_hand_scenario_against_construction(tmp_path: Path, db_url: str | None, scenario: b.Scenario) -> None:
    ws = build_workspace(tmp_path / "ws", scenario, db_url)
    report = run_monitor(ws, 2021, 2022, out_dir=tmp_path / "out")
    check_against_construction(report, scenario)
    check_regions(report, scenario)
    county = {r.region: r for r in report.regions if r.level == "county"}
    # 昌江区 by hand: 非农化 on farmland = whole 0101 cell + span + 2 temporary + half-approved + late quarter.
    assert county["360281"].key_ratio == Decimal("1.000000")
    assert county["360202"].patches == 14

    ws = open_workspace(tmp_path / "ws", db_url)  # everything comes back from storage
    with ws.sessions() as s:
        run = s.scalars(select(MonitorRun)).one()
        assert (run.from_epoch, run.to_epoch, run.patches, run.slivers) == (2021, 2022, len(report.patches), 1)
        stored = {(r.region, r.level): r.figures for r in s.scalars(select(MonitorRegion))}
        assert stored[("360202", "county")] == county["360202"].to_dict()
        assert audit.verify(s) == []
    back = read_patches(ws.layout.layers, run.id).sort_values("id").reset_index(drop=True)
    mine = report.patches.sort_values("id").reset_index(drop=True)
    assert back["id"].tolist() == mine["id"].tolist()
    assert back["area_m2"].tolist() == mine["area_m2"].tolist()
    assert shapely.equals(back.geometry.to_numpy(), mine.geometry.to_numpy()).all()
    gpkg = pyogrio.read_dataframe(tmp_path / "out" / "patches.gpkg", layer="BHTB")
    assert sorted(gpkg["id"]) == sorted(mine["id"]) and gpkg.crs.to_epsg() == 4490


def test_without_approvals_everything_needing_one_is_suspected(tmp_path: Path, scenario: b.Scenario) -> None:
    ws = build_workspace(tmp_path / "ws", scenario, approvals=False)
    report = run_monitor(ws, 2021, 2022)
    legal = dict(zip(report.patches["id"], report.patches["legality"], strict=True))
    assert "lawful" not in legal.values() and "facility_filed" not in legal.values()
    assert report.patches["approval"].isna().all()
    # the facility patch is no longer split: one suspected-illegal part of 0.36 cell
    fac = report.patches[report.patches["to_class"] == "1202"]
    assert len(fac) == 1 and fac["legality"].iloc[0] == "suspected_illegal"
    assert abs(fac["area_m2"].iloc[0] - b.geod_area(b.cell(1, 1, w=0.6, h=0.6, dx=0.2, dy=0.2))) <= TOL


def test_ecological_redline_area_when_the_workspace_has_one(tmp_path: Path, scenario: b.Scenario) -> None:
    from gengbao.adapters import layer_store

    ws = build_workspace(tmp_path / "ws", scenario, approvals=False)
    red = b.cell(0, 0.5, w=1.5)  # over half the whole-parcel change and half of the span patch
    frame = b.pbf_frame([red]).assign(county="360202")
    layer_store.write_dataset(ws.layout.layers, "redline", 2020, frame)
    report = run_monitor(ws, 2021, 2022)
    got = dict(zip(report.patches["id"], report.patches["redline_m2"], strict=True))
    rows = report.patches.set_index("id")
    for pid, geom in zip(rows.index, rows.geometry, strict=True):
        assert abs(got[pid] - b.geod_area(geom.intersection(red))) <= TOL, pid
    assert sum(v > 0 for v in got.values()) == 2
