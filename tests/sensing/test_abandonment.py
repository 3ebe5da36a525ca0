"""Abandonment candidates against a scenario's truth (farmland parcels with planting attribute WG), from a
growing season of synthesised scenes; seed 002's two consecutive years on PBF."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import shapely

from gengbao.adapters import layer_store
from gengbao.domain.errors import GengbaoError
from gengbao.services.imagery.abandonment import AbandonmentReport, detect_abandonment
from gengbao.services.imagery.scenes import import_scene
from tests.sensing.conftest import EPOCHS, GK, World, day
from tests.sensing.synth import render

SEASON = (120, 150, 180, 210, 240, 270)
FARMLAND = ("0101", "0102", "0103")


def _season(world: World, tmp: Path, year: int, cloud: float, parcels_epoch: int) -> None:
    win = world.abandonment_window()
    for k, doy in enumerate(SEASON):
        r = render(world.parcels[parcels_epoch], win, doy, tmp / f"s{year}_{doy}.tif", seed=year * 10 + k,
                   cloud_share=cloud)
        import_scene(world.ws, [r.path], day(year, doy), replace=True)


@pytest.fixture(scope="module")
def clear_year(world_a: World, tmp_path_factory: pytest.TempPathFactory) -> AbandonmentReport:
    tmp = tmp_path_factory.mktemp("season_a")
    _season(world_a, tmp, 2022, 0.0, 2022)
    _season(world_a, tmp, 2021, 0.0, 2022)  # the same parcels left idle the year before as well
    return detect_abandonment(world_a.ws, 2022, out=tmp / "out")


@pytest.fixture(scope="module")
def cloudy_year(world_b: World, tmp_path_factory: pytest.TempPathFactory) -> AbandonmentReport:
    tmp = tmp_path_factory.mktemp("season_b")
    _season(world_b, tmp, 2022, 0.2, 2022)
    return detect_abandonment(world_b.ws, 2022, out=tmp / "out")


def _truth(world: World) -> set[str]:
    p = world.parcels[EPOCHS[-1]]
    return set(p.loc[(p["ZZSXDM"] == "WG") & p["DLBM"].isin(FARMLAND), "BSM"])


@pytest.mark.parametrize(("report", "world"), [("clear_year", "world_a"), ("cloudy_year", "world_b")])
def test_recall_and_precision(report: str, world: str, request: pytest.FixtureRequest) -> None:
    rep: AbandonmentReport = request.getfixturevalue(report)
    w: World = request.getfixturevalue(world)
    f = rep.frame
    measurable = f[f["pixels"] >= 4]  # a parcel needs a few 10 m pixels to be seen at all
    truth = _truth(w) & set(measurable["bsm"])
    found = set(f.loc[f["verdict"] == "candidate", "bsm"])
    assert len(truth) >= 8
    assert len(found & truth) / len(truth) >= 0.90  # undetermined counts as missed
    assert len(found & truth) / len(found) >= 0.85


def test_figures_behind_each_call(clear_year: AbandonmentReport) -> None:
    f = clear_year.frame
    cand, cult = f[f["verdict"] == "candidate"], f[f["verdict"] == "cultivated"]
    assert (cand["peak_ndvi"] < 0.45).all() and (cult["peak_ndvi"] >= 0.45).all()
    assert (f.loc[f["verdict"] != "undetermined", "scenes_observed"] >= 2).all()
    assert (cand["scenes_observed"] == len(SEASON)).all()  # clear season: every scene observes every parcel
    assert set(f["dlbm"]) <= set(FARMLAND)
    assert clear_year.counts["candidate"] == len(cand)
    assert clear_year.candidate_m2 == pytest.approx(float(cand["farmland_m2"].sum()))


def test_two_years_on_pbf(clear_year: AbandonmentReport, world_a: World) -> None:
    f = clear_year.frame
    assert clear_year.previous_scenes and (f["previous_verdict"].notna()).all()
    pbf = layer_store.read_dataset(world_a.root / "layers", "pbf", EPOCHS[0]).to_crs(GK).geometry.to_numpy()
    cand = f[(f["verdict"] == "candidate") & (f["previous_verdict"] == "candidate")].to_crs(GK)
    tree = shapely.STRtree(pbf)
    share = np.array([shapely.area(shapely.intersection(g, shapely.union_all(pbf[tree.query(g)]))) / g.area
                      for g in cand.geometry])
    expect = set(cand.loc[share >= 0.5, "bsm"])
    assert expect  # the scenario puts some abandonment on PBF
    assert set(f.loc[f["two_years_on_pbf"], "bsm"]) == expect


def test_too_few_scenes(world_a: World) -> None:
    with pytest.raises(GengbaoError) as exc:
        detect_abandonment(world_a.ws, 2019)
    assert exc.value.code == "imagery.season_scenes"
