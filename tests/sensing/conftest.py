"""Small synthetic worlds for the imagery tests: a generated scenario (昌江区, 2000 parcels, epochs 2021–2022,
events concentrated by a profile) and scenes rendered from it over a few km² (see ``synth``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pytest

from gengbao.adapters import layer_store
from gengbao.scenario import make_scenario
from gengbao.services.context import Context
from gengbao.services.workspace import open_workspace
from tests.sensing.synth import Window, densest_window

PROFILE = """
per_parcels: 1000
events:
  illegal_construction: {rate: 20, min: 0, area_m2: [400, 6000], to: {"0702": 0.5, "0601": 0.5}}
  approved_construction: {rate: 10, min: 0, area_m2: [800, 8000], to: {"0601": 1.0}}
  pond: {rate: 10, min: 0, area_m2: [800, 8000], on_pbf_share: 0.3, to: {"1104A": 1.0}}
  abandonment: {rate: 20, min: 0, area_m2: [1000, 10000], on_pbf_share: 0.4}
"""
EPOCHS = [2021, 2022]
GK = 4548  # 昌江区 117°E: 3° Gauss-Krüger zone 39 without prefix
VISIBLE = ("illegal_construction", "approved_construction", "pond")


@dataclass
class World:
    root: Path
    parcels: dict[int, gpd.GeoDataFrame]
    events: gpd.GeoDataFrame

    @property
    def ws(self) -> Context:
        return open_workspace(self.root)

    def change_window(self, size_m: float = 3000) -> Window:
        vis = self.events[self.events["type"].isin(VISIBLE)].to_crs(GK)
        return densest_window(vis.geometry.centroid, GK, size_m)

    def abandonment_window(self, size_m: float = 4000) -> Window:
        p = self.parcels[EPOCHS[-1]]
        wg = p[(p["ZZSXDM"] == "WG") & p["DLBM"].isin(["0101", "0102", "0103"])].to_crs(GK)
        return densest_window(wg.geometry.centroid, GK, size_m)


def day(year: int, doy: int) -> str:
    return (dt.date(year, 1, 1) + dt.timedelta(days=doy - 1)).isoformat()


def _world(tmp: Path, seed: int) -> World:
    profile = tmp / "profile.yaml"
    profile.write_text(PROFILE, encoding="utf-8")
    root = tmp / "ws"
    make_scenario(root, ["360202"], 2000, EPOCHS, seed, events=profile, workers=1)
    parcels = {e: layer_store.read_dataset(root / "layers", "parcels", e) for e in EPOCHS}
    return World(root, parcels, gpd.read_parquet(root / "truth" / "events.parquet"))


@pytest.fixture(scope="session")
def world_a(tmp_path_factory: pytest.TempPathFactory) -> World:
    return _world(tmp_path_factory.mktemp("world_a"), 5)


@pytest.fixture(scope="session")
def world_b(tmp_path_factory: pytest.TempPathFactory) -> World:
    return _world(tmp_path_factory.mktemp("world_b"), 8)


@pytest.fixture(scope="session")
def world_c(tmp_path_factory: pytest.TempPathFactory) -> World:
    """The CLI and import tests' own workspace (their scenes must not join another test's season)."""
    return _world(tmp_path_factory.mktemp("world_c"), 5)
