"""The generated files pass the survey import unchanged, as a user's files would."""

from __future__ import annotations

from pathlib import Path

import pyogrio
import pytest

from gengbao.services.survey.importing import import_survey_file
from gengbao.services.workspace import init_workspace
from tests.scenario.conftest import EPOCHS, Scenario


@pytest.fixture(scope="module")
def gpkg(rich: Scenario) -> Path:
    return rich.root / "exports" / "synthetic_360202.gpkg"


def test_geopackage_is_labelled_synthetic(gpkg: Path) -> None:
    layers = [name for name, _ in pyogrio.list_layers(gpkg)]
    assert layers == [f"synthetic_dltb_{e}" for e in EPOCHS] + [
        "synthetic_pbf", "synthetic_events", "synthetic_approvals", "synthetic_filings",
        "synthetic_temporary_permits", "synthetic_supplementary_projects", "synthetic_regions"]
    meta = pyogrio.read_info(gpkg, layer="synthetic_dltb_2020")["layer_metadata"]
    assert "synthetic" in meta["DESCRIPTION"] and "模拟数据" in meta["DESCRIPTION"]


def test_geopackage_layers_import_without_a_finding(gpkg: Path, rich_layers, tmp_path: Path) -> None:
    ws = init_workspace(tmp_path / "ws", "360202")
    for e in (EPOCHS[0], EPOCHS[-1]):
        report = import_survey_file(ws, gpkg, e, "parcels", layer=f"synthetic_dltb_{e}")
        assert report.ok and report.errors == [] and report.warnings == []
        assert report.imported == len(rich_layers[e])
    report = import_survey_file(ws, gpkg, EPOCHS[0], "pbf", layer="synthetic_pbf")
    assert report.ok and report.errors == [] and report.warnings == []


def test_workspace_epochs_were_imported_through_the_survey_core(rich: Scenario, rich_layers) -> None:
    from sqlalchemy import select

    from gengbao.adapters.db.models import Epoch, ImportRecord
    from gengbao.services.workspace import open_workspace

    ws = open_workspace(rich.root)
    with ws.sessions() as s:
        epochs = {(e.year, e.kind): e.feature_count for e in s.scalars(select(Epoch))}
        records = s.scalars(select(ImportRecord)).all()
    assert epochs == {**{(e, "parcels"): len(rich_layers[e]) for e in EPOCHS}, (EPOCHS[0], "pbf"): len(rich.pbf())}
    assert all(r.ok and r.error_count == 0 and "模拟数据" in r.source_file for r in records)
