"""``gengbao imagery change|list|abandonment`` end to end through the CLI, with PNG quicklooks."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
from PIL import Image
from typer.testing import CliRunner

from gengbao.interfaces.cli.app import app
from tests.sensing.conftest import EPOCHS, GK, World, day
from tests.sensing.synth import render

runner = CliRunner()


def test_change_with_preview(world_c: World, tmp_path: Path) -> None:
    win = world_c.change_window(1500)
    b = render(world_c.parcels[EPOCHS[0]], win, 140, tmp_path / "b.tif", seed=11)
    a = render(world_c.parcels[EPOCHS[1]], win, 280, tmp_path / "a.tif", seed=12)
    for path, d in ((b.path, day(2022, 140)), (a.path, day(2022, 280))):
        r = runner.invoke(app, ["imagery", "import", str(world_c.root), str(path), "--date", d, "--replace"])
        assert r.exit_code == 0, r.output
    listed = json.loads(runner.invoke(app, ["imagery", "list", str(world_c.root), "--json"]).output)
    assert {day(2022, 140), day(2022, 280)} <= {s["date"] for s in listed["scenes"]}
    out = tmp_path / "out"
    r = runner.invoke(app, ["imagery", "change", str(world_c.root), "--before", day(2022, 140), "--after",
                            day(2022, 280), "--out", str(out), "--preview", "--json"])
    assert r.exit_code == 0, r.output
    body = json.loads(r.output)
    assert body["counts"]["candidates"] >= 3 and body["survey_epoch"] == 2021
    assert set(body["timings_s"]) == {"read", "indices", "change", "polygonise", "overlay"}
    pngs = {Path(p).name: Path(p) for p in body["files"] if p.endswith(".png")}
    assert set(pngs) == {"true_colour_before.png", "true_colour_after.png", "ndvi_before.png", "ndvi_after.png",
                         "candidates.png"}
    img = np.asarray(Image.open(pngs["candidates.png"]).convert("RGB"))
    assert img.shape == (win.height, win.width, 3)
    red = (img == (255, 0, 0)).all(axis=2)
    frame = gpd.read_parquet(next(p for p in body["files"] if p.endswith(".parquet"))).to_crs(GK)
    rows, cols = np.nonzero(red)
    xs, ys = win.x0 + (cols + 0.5) * 10, win.y0 - (rows + 0.5) * 10
    inside = gpd.GeoSeries(gpd.points_from_xy(xs, ys), crs=GK).buffer(8).intersects(frame.union_all())
    assert red.sum() > 0 and inside.all()  # every outline pixel lies on a candidate's edge
    nb = np.asarray(Image.open(pngs["ndvi_before.png"]))
    na = np.asarray(Image.open(pngs["ndvi_after.png"]))
    assert nb.shape == na.shape == img.shape and not np.array_equal(nb, na)


def test_change_errors(world_c: World) -> None:
    r = runner.invoke(app, ["imagery", "change", str(world_c.root), "--before", "2022-10-01", "--after",
                            "2022-05-01", "--json"])
    assert r.exit_code != 0 and json.loads(r.output)["error"]["code"] == "imagery.date_order"
    r = runner.invoke(app, ["imagery", "change", str(world_c.root), "--before", "2001-01-01", "--after",
                            "2001-02-01", "--json"])
    assert json.loads(r.output)["error"]["code"] == "imagery.scene_not_found"
    r = runner.invoke(app, ["imagery", "abandonment", str(world_c.root), "--year", "2001", "--json"])
    assert json.loads(r.output)["error"]["code"] == "imagery.season_scenes"
