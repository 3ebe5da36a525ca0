"""``gengbao monitor run`` as a user runs it: epoch diff and delivered patches, JSON shape, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely
import shapely.affinity
from typer.testing import CliRunner

from gengbao.interfaces.cli.app import app
from gengbao.services.approvals.importing import import_approvals_frame
from tests.monitoring import builder as b
from tests.monitoring.conftest import build_workspace

runner = CliRunner()
PATCH_KEYS = {"id", "region", "from_class", "to_class", "change_type", "legality", "area_m2", "farmland_m2", "pbf_m2",
              "approval"}


def run(*args: str) -> tuple[int, dict]:
    res = runner.invoke(app, list(args))
    return res.exit_code, json.loads(res.stdout)


def test_diff_json_and_outputs(tmp_path: Path, scenario: b.Scenario) -> None:
    build_workspace(tmp_path / "ws", scenario)
    code, doc = run("monitor", "run", str(tmp_path / "ws"), "--from", "2021", "--to", "2022", "--out",
                    str(tmp_path / "out"), "--json")
    assert code == 0 and set(doc) >= {"patches", "regions"}
    assert len(doc["patches"]) == len(scenario.expected) and set(doc["patches"][0]) >= PATCH_KEYS
    lawful = [p for p in doc["patches"] if p["legality"] == "lawful"]
    assert sorted(p["approval"] for p in lawful) == sorted(x.approval for x in scenario.expected
                                                           if x.legality == "lawful")
    assert {r["region"] for r in doc["regions"]} == {"360202", "360222", "360281", "360202101", "360222100",
                                                     "360281100"}
    assert doc["run"]["slivers"] == 1
    county = {r["region"]: r for r in doc["regions"] if r["level"] == "county"}
    # new figures: no planting attribute in this scenario; one temporary use expired in the period (0.25 cell)
    assert (county["360202"]["abandonment_m2"], county["360202"]["non_grain_crop_pbf_m2"]) == ("0.00", "0.00")
    assert abs(float(county["360202"]["temporary_expired_m2"]) - b.geod_area(b.cell(1, 2, w=0.5, h=0.5))) <= 0.02
    assert county["360222"]["temporary_expired_m2"] == "0.00" and county["360202"]["redline_m2"] == "0.00"
    gpkg = pyogrio.read_dataframe(tmp_path / "out" / "patches.gpkg")
    assert len(gpkg) == len(doc["patches"])
    assert (tmp_path / "out" / "regions.csv").read_text(encoding="utf-8-sig").startswith("region,name,level")


def test_missing_epoch_and_bad_cluster(tmp_path: Path, scenario: b.Scenario) -> None:
    build_workspace(tmp_path / "ws", scenario, approvals=False)
    code, doc = run("monitor", "run", str(tmp_path / "ws"), "--from", "2019", "--to", "2022", "--json")
    assert code == 6 and doc["error"]["code"] == "survey.epoch_missing"
    code, doc = run("monitor", "run", str(tmp_path / "ws"), "--from", "2022", "--to", "2021", "--json")
    assert code == 2 and doc["error"]["code"] == "monitor.epochs"
    code, doc = run("monitor", "run", str(tmp_path / "ws"), "--from", "2021", "--to", "2022", "--cluster", "remote:2",
                    "--json")
    assert code == 2 and doc["error"]["code"] == "monitor.cluster"


def test_delivered_patches(tmp_path: Path, scenario: b.Scenario) -> None:
    """Ministry patches after the latest epoch (2022): split by the 2022 parcels, judged at their after date."""
    ws = build_workspace(tmp_path / "ws", scenario, approvals=False)
    span = b.cell(2, 2.5, w=1.0, h=0.6, dy=0.2)  # over 0102 and 0103 parcels of 浮梁县
    approved = b.cell(3, 0, w=0.5, h=0.5)  # 0103 in 乐平市
    temp = b.cell(1, 7, w=0.5, h=0.5)  # 0103 in 昌江区
    import_approvals_frame(ws, b.approvals_frame([
        {"批准文号": "赣政土批〔2023〕3号", "批准日期": "2023-03-01", "kind": "conversion", "geometry": approved},
        {"批准文号": "临用〔2022〕9号", "批准日期": "2022-10-01", "有效期至": "2023-05-01", "kind": "temporary",
         "geometry": temp}]), None, "approvals")
    rows = [("WP-1", "2023-01-05", "2023-06-30", "", span), ("WP-2", "2023-01-05", "2023-06-30", "0601", approved),
            ("WP-3", "2023-01-05", "2023-06-30", "1301", temp)]
    frame = gpd.GeoDataFrame({"监测编号": [r[0] for r in rows], "前时相": [r[1] for r in rows],
                              "后时相": [r[2] for r in rows], "监测地类": [r[3] for r in rows]},
                             geometry=[r[4] for r in rows], crs="EPSG:4490")
    frame.to_file(tmp_path / "wp.gpkg", driver="GPKG")
    code, doc = run("monitor", "run", str(tmp_path / "ws"), "--patches", str(tmp_path / "wp.gpkg"), "--json")
    assert code == 0 and doc["run"]["mode"] == "delivered" and doc["run"]["from"] == 2022
    got = {(p["source_id"], p["from_class"]): p for p in doc["patches"]}
    assert set(got) == {("WP-1", "0102"), ("WP-1", "0103"), ("WP-2", "0103"), ("WP-3", "0103")}
    for cls, piece in (("0102", span.intersection(b.cell(2, 2))), ("0103", span.intersection(b.cell(2, 3)))):
        p = got[("WP-1", cls)]
        assert (p["to_class"], p["change_type"], p["legality"]) == ("", "non_agricultural_conversion",
                                                                   "suspected_illegal")
        assert abs(p["area_m2"] - b.geod_area(piece)) <= 0.02 and p["farmland_m2"] == p["area_m2"]
    assert (got[("WP-2", "0103")]["legality"], got[("WP-2", "0103")]["approval"]) == ("lawful", "赣政土批〔2023〕3号")
    assert got[("WP-3", "0103")]["legality"] == "temporary_expired"
    county = {r["region"]: r for r in doc["regions"] if r["level"] == "county"}
    assert abs(float(county["360222"]["illegal_construction_farmland_m2"]) - b.geod_area(span)) <= 0.03
    bad = frame.assign(后时相=["2022-12-01", "坏日期", "2023-06-30"])
    bad.to_file(tmp_path / "bad.gpkg", driver="GPKG")
    res = runner.invoke(app, ["monitor", "run", str(tmp_path / "ws"), "--patches", str(tmp_path / "bad.gpkg"),
                              "--json"])
    envelope = json.loads(res.stdout)["error"]
    assert (envelope["code"], envelope["what"]) == ("import.rejected", "patches")  # not an approvals report
    errors = envelope["report"]["errors"]
    assert res.exit_code == 3 and [(e["code"], e["feature"]) for e in errors] == [
        ("patches.date_order", "WP-1"), ("patches.date_invalid", "WP-2")]
    far = frame.assign(geometry=[shapely.affinity.translate(g, xoff=3.0) for g in frame.geometry])  # 300 km east
    far.iloc[:2].to_file(tmp_path / "far.gpkg", driver="GPKG")
    code, doc = run("monitor", "run", str(tmp_path / "ws"), "--patches", str(tmp_path / "far.gpkg"), "--json")
    assert (code, doc["error"]["code"]) == (4, "patches.outside_workspace")  # not exit 0 with 0 patches
    gpd.GeoDataFrame(pd.concat([frame, far.iloc[:1].assign(监测编号="WP-9")]), crs="EPSG:4490").to_file(
        tmp_path / "some.gpkg", driver="GPKG")
    code, doc = run("monitor", "run", str(tmp_path / "ws"), "--patches", str(tmp_path / "some.gpkg"), "--json")
    assert code == 0 and doc["run"]["warnings"] == ["some.gpkg：1 个下发图斑不在工作空间的任何县内，未处理"]


def test_table_shows_the_new_figures(tmp_path: Path, scenario: b.Scenario) -> None:
    build_workspace(tmp_path / "ws", scenario)
    res = runner.invoke(app, ["monitor", "run", str(tmp_path / "ws"), "--from", "2021", "--to", "2022"],
                        env={"COLUMNS": "300"})
    assert res.exit_code == 0
    for column in ("撂荒", "永农种非粮", "临时用地到期未复垦", "占生态红线"):
        assert column in res.stdout, column
