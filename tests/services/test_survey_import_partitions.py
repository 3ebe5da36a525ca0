"""One layer imported as several parts (``import_survey_parts``): the checks of a single-frame import on
every part, BSM unique across parts, stored all or nothing; a county split over parts ends up as one
partition file with GeoParquet metadata covering all of it."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyarrow.parquet as pq
import pytest
from sqlalchemy import select

from gengbao.adapters import layer_store, monitor_io
from gengbao.adapters.db.models import Epoch, ImportRecord
from gengbao.domain.errors import ValidationFailed
from gengbao.services.survey.importing import import_survey_frame, import_survey_parts
from gengbao.services.workspace import Workspace, init_workspace
from tests.support import survey_factory as sf


@pytest.fixture
def layer() -> gpd.GeoDataFrame:
    return sf.frame(sf.parcels())  # 32 parcels: rows 0–15 昌江区, 16–23 浮梁县, 24–31 乐平市


def _parts(frame: gpd.GeoDataFrame) -> list[gpd.GeoDataFrame]:
    # 昌江区 and 浮梁县 are each split over two parts
    return [frame.iloc[:10], frame.iloc[10:20], frame.iloc[20:]]


def _nothing_stored(ws: Workspace) -> None:
    assert list((ws.layout.layers / "parcels").iterdir()) == []  # not even a temporary folder
    with ws.sessions() as s:
        assert s.scalars(select(Epoch)).all() == []
        rec = s.scalars(select(ImportRecord)).one()
        assert (rec.ok, rec.imported) == (False, 0)


def test_parts_store_the_same_layer_as_one_frame(tmp_path: Path, layer: gpd.GeoDataFrame) -> None:
    layer["ZZSXDM"] = pd.Series(["LS"] * 10 + ["FLS"] * 22, dtype=object)
    layer.loc[:9, "ZZSXDM"] = None  # the first part has no value at all: a column of no type in its chunk
    ws = init_workspace(tmp_path / "parts", "360200")
    report = import_survey_parts(ws, iter(_parts(layer)), 2023, source="dltb")
    assert (report.ok, report.imported, report.counties) == (True, 32, ["360202", "360222", "360281"])
    assert report.errors == [] and report.warnings == []
    one = init_workspace(tmp_path / "one", "360200")
    import_survey_frame(one, layer, 2023, source="dltb")
    got = layer_store.read_dataset(ws.layout.layers, "parcels", 2023)
    pd.testing.assert_frame_equal(got, layer_store.read_dataset(one.layout.layers, "parcels", 2023))
    with ws.sessions() as s:
        assert [(e.year, e.kind, e.feature_count, e.counties) for e in s.scalars(select(Epoch))] == [
            (2023, "parcels", 32, ["360202", "360222", "360281"])]
    for county, groups in (("360202", 2), ("360222", 2), ("360281", 1)):
        path = monitor_io.partition(ws.layout.layers, "parcels", 2023, county)
        assert [p.name for p in path.parent.iterdir()] == ["part-0.parquet"]
        assert pq.ParquetFile(path).num_row_groups == groups
        geo = json.loads(pq.read_schema(path).metadata[b"geo"])["columns"]["geometry"]
        rows = got[got["county"] == county]
        assert geo["bbox"] == list(rows.total_bounds) and geo["geometry_types"] == ["Polygon"]
        assert "covering" in geo  # as layer_store writes it
    assert got["ZZSXDM"].isna().sum() == 10 and (got["ZZSXDM"] == "FLS").sum() == 22


def test_one_bad_parcel_in_the_second_part_rejects_the_whole_layer(tmp_path: Path, layer: gpd.GeoDataFrame) -> None:
    ws = init_workspace(tmp_path / "ws", "360200")
    layer.loc[17, "DLBM"] = "9999"  # 浮梁县, second part
    with pytest.raises(ValidationFailed) as err:
        import_survey_parts(ws, iter(_parts(layer)), 2023, source="dltb")
    report = err.value.report
    assert [(e.code, e.feature, e.message) for e in report.errors] == [
        ("survey.unknown_class", layer.at[17, "BSM"],
         f"dltb 第2部分：要素 {layer.at[17, 'BSM']} 的地类编码 DLBM“9999”不在三调工作分类中")]
    assert report.counts == {"survey.unknown_class": 1}
    _nothing_stored(ws)


def test_a_bsm_repeated_in_another_part_rejects_the_layer(tmp_path: Path, layer: gpd.GeoDataFrame) -> None:
    ws = init_workspace(tmp_path / "ws", "360200")
    bsm = layer.at[3, "BSM"]
    layer.loc[25, "BSM"] = bsm  # third part repeats a BSM of the first
    with pytest.raises(ValidationFailed) as err:
        import_survey_parts(ws, iter(_parts(layer)), 2023, source="dltb")
    report = err.value.report
    assert [(e.code, e.message) for e in report.errors] == [
        ("survey.duplicate_bsm", f"dltb：标识码 BSM“{bsm}”重复（第4行）"),
        ("survey.duplicate_bsm", f"dltb：标识码 BSM“{bsm}”重复（第26行）")]
    _nothing_stored(ws)


def test_parts_without_a_row_are_an_empty_layer(tmp_path: Path, layer: gpd.GeoDataFrame) -> None:
    ws = init_workspace(tmp_path / "ws", "360200")
    with pytest.raises(ValidationFailed) as err:
        import_survey_parts(ws, iter([layer.iloc[:0], layer.iloc[:0]]), 2023, source="dltb")
    assert [e.code for e in err.value.report.errors] == ["survey.empty_layer"]
    _nothing_stored(ws)


def test_findings_are_listed_up_to_the_cap_across_parts(tmp_path: Path) -> None:
    ws = init_workspace(tmp_path / "ws", "360200")
    parts = []
    for k in range(3):
        f = sf.frame(sf.parcels(per_village=150))  # 600 parcels
        f["BSM"] = [f"P{k}-{b}" for b in f["BSM"]]
        f["DLBM"] = "9999"
        parts.append(f)
    with pytest.raises(ValidationFailed) as err:
        import_survey_parts(ws, iter(parts), 2023, source="dltb")
    report = err.value.report
    assert report.counts["survey.unknown_class"] == 1800  # every one counted
    assert sum(e.code == "survey.unknown_class" for e in report.errors) == 1000  # MAX_FINDINGS_PER_CODE listed
    assert report.errors[600].message.startswith("dltb 第2部分：")
    _nothing_stored(ws)
