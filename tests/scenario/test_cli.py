"""``gengbao scenario make`` end to end: JSON output, previews, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from PIL import Image
from typer.testing import CliRunner

from gengbao.interfaces.cli.app import app

runner = CliRunner()


def test_make_with_preview(tmp_path: Path) -> None:
    out = tmp_path / "ws"
    result = runner.invoke(app, ["scenario", "make", "--region", "360203", "--parcels", "800", "--epochs",
                                 "2022,2023", "--seed", "4", "--out", str(out), "--preview", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["ok"] and data["synthetic"] and data["counties"] == ["360203"] and data["epochs"] == [2022, 2023]
    cal = data["summary"]["360203"]["calibration"]
    assert abs(cal["farmland_m2"] / (0.5707 * 10000 * 10000 / 15) - 1) < 0.005
    pngs = sorted((out / "exports" / "preview").glob("*.png"))
    assert [p.name for p in pngs] == ["360203_2022.png", "360203_2023.png"]
    with Image.open(pngs[0]) as im:
        assert min(im.size) > 500 and im.info.get("Description") == "synthetic"


def test_existing_workspace_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "ws"
    args = ["scenario", "make", "--region", "360203", "--parcels", "300", "--epochs", "2023", "--out", str(out)]
    assert runner.invoke(app, args).exit_code == 0
    again = runner.invoke(app, [*args, "--json"])
    assert again.exit_code == 7
    assert json.loads(again.stdout)["error"]["code"] == "workspace.exists"


def test_bad_region_and_epochs(tmp_path: Path) -> None:
    r = runner.invoke(app, ["scenario", "make", "--region", "360281100", "--parcels", "300", "--out",
                            str(tmp_path / "a"), "--json"])
    assert r.exit_code == 2 and json.loads(r.stdout)["error"]["code"] == "scenario.region_level"
    r = runner.invoke(app, ["scenario", "make", "--region", "3602,6405", "--parcels", "300", "--out",
                            str(tmp_path / "b"), "--json"])
    assert r.exit_code == 2 and json.loads(r.stdout)["error"]["code"] == "scenario.several_cities"
    r = runner.invoke(app, ["scenario", "make", "--region", "3602", "--parcels", "300", "--epochs", "20x1",
                            "--out", str(tmp_path / "c"), "--json"])
    assert r.exit_code == 2 and json.loads(r.stdout)["error"]["code"] == "scenario.epochs"


def test_target_table_for_another_region(tmp_path: Path) -> None:
    table = tmp_path / "目标.csv"
    table.write_text("行政区名称,耕地保护目标（万亩）,永久基本农田（万亩）\n安岳县,150.1234,128.8765\n", encoding="utf-8")
    out = tmp_path / "ws"
    r = runner.invoke(app, ["scenario", "make", "--region", "512021", "--parcels", "1200", "--epochs", "2023",
                            "--out", str(out), "--targets", str(table), "--json"])
    assert r.exit_code == 0, r.output
    county = json.loads(r.stdout)["summary"]["512021"]
    assert county["target"]["farmland_wan_mu"] == 150.1234 and county["target"]["source"] == "目标.csv"
    wan_mu = 10000 * 10000 / 15
    assert abs(county["calibration"]["farmland_m2"] / (150.1234 * wan_mu) - 1) < 0.005
    assert abs(county["calibration"]["pbf_m2"] / (128.8765 * wan_mu) - 1) < 0.005
