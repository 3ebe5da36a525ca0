"""Shared synthetic workspaces for the scenario tests (session scope: generated once)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from gengbao.adapters import layer_store
from gengbao.scenario import ScenarioReport, make_scenario

# A profile with every kind of event and enough temporary uses and earlier violations that the
# follow-ups (restoration on expiry, expiry unrestored, demolition, fake rectification) all occur.
RICH_PROFILE = """
per_parcels: 100000
events:
  temporary_use: {rate: 0, min: 4, area_m2: [500, 6000], term_years: [1, 1], restored_share: 0.5}
  illegal_construction: {rate: 0, min: 4, area_m2: [150, 6000], to: {"0702": 0.5, "0601": 0.5}}
  illegal_construction_pbf: {rate: 0, min: 2, area_m2: [150, 4000], to: {"0702": 1.0}}
  demolition: {share: 0.4}
  fake_rectification: {share: 0.4}
"""
EPOCHS = [2020, 2021, 2022, 2023]


@dataclass
class Scenario:
    report: ScenarioReport
    root: Path

    def parcels(self, epoch: int) -> gpd.GeoDataFrame:
        return layer_store.read_dataset(self.root / "layers", "parcels", epoch)

    def pbf(self) -> gpd.GeoDataFrame:
        return layer_store.read_dataset(self.root / "layers", "pbf", EPOCHS[0])

    def truth(self, name: str) -> gpd.GeoDataFrame:
        return gpd.read_parquet(self.root / "truth" / f"{name}.parquet")


@pytest.fixture(scope="session")
def rich_profile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("profile") / "rich.yaml"
    path.write_text(RICH_PROFILE, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def rich(tmp_path_factory: pytest.TempPathFactory, rich_profile: Path) -> Scenario:
    """昌江区, about 4000 parcels, four epochs, every kind of event, with GeoPackage export."""
    root = tmp_path_factory.mktemp("rich") / "ws"
    report = make_scenario(root, ["360202"], 4000, EPOCHS, 11, events=rich_profile, gpkg=True, workers=1)
    return Scenario(report, root)


@pytest.fixture(scope="session")
def rich_layers(rich: Scenario) -> dict[int, gpd.GeoDataFrame]:
    return {e: rich.parcels(e) for e in EPOCHS}


def concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    return pd.concat(frames, ignore_index=True)
