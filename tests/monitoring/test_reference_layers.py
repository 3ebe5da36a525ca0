"""``gengbao layers import``: reference layers (生态保护红线, 村庄建设边界) — good files in any accepted CRS
and encoding, and the bad-input corpus: every case its own stable code, nothing stored."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pyarrow.parquet as pq
import pytest
import shapely
from sqlalchemy import select
from typer.testing import CliRunner

from gengbao.adapters.db import audit_store as audit
from gengbao.adapters.db.models import ImportRecord
from gengbao.domain.errors import ConflictError, UsageError, ValidationFailed
from gengbao.interfaces.cli.app import app
from gengbao.services.survey.importing import import_survey_frame
from gengbao.services.survey.reference import import_reference_file
from gengbao.services.workspace import Workspace, init_workspace
from tests.monitoring import builder as b
from tests.monitoring.builder import cell

NAMES = ["新平村宅基地", "浮梁红线"]


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    w = init_workspace(tmp_path / "ws", "360200")
    import_survey_frame(w, b.frame(b.hand_scenario().before), 2021, source="dltb2021")
    return w


def layer(geoms: list[object] | None = None, names: list[str] | None = None) -> gpd.GeoDataFrame:
    geoms = geoms if geoms is not None else [cell(0, 0, w=2.0), cell(2, 1)]  # 昌江区, 浮梁县
    return gpd.GeoDataFrame({"名称": names or NAMES[: len(geoms)]}, geometry=geoms, crs="EPSG:4490")


def stored(w: Workspace, kind: str = "redline") -> list[str]:
    root = w.layout.layers / kind
    return sorted(str(p.relative_to(w.layout.layers)) for p in root.rglob("*.parquet")) if root.exists() else []


def test_gk_geopackage_is_reprojected_and_partitioned_by_county(ws: Workspace, tmp_path: Path) -> None:
    far = shapely.box(118.6, 29.8, 118.61, 29.81)  # in China, in none of the workspace's counties
    path = tmp_path / "hx.gpkg"
    layer([cell(0, 0, w=2.0), cell(2, 1), far], ["a", "b", "c"]).to_crs(4548).to_file(path)
    report = import_reference_file(ws, path, "redline", 2020)
    assert (report.ok, report.imported, report.outside, report.counties) == (True, 2, 1, ["360202", "360222"])
    assert sorted(f.code for f in report.warnings) == ["layers.county_uncovered", "layers.outside_counties"]
    assert stored(ws) == ["redline/2020/v-1/county=360202/part-0.parquet", "redline/2020/v-1/county=360222/part-0.parquet"]
    back = gpd.read_parquet(ws.layout.layers / "redline/2020/v-1/county=360202/part-0.parquet")
    assert back["名称"].tolist() == ["a"] and back.crs.to_epsg() == 4490
    assert shapely.equals_exact(back.geometry.iloc[0].normalize(), cell(0, 0, w=2.0).normalize(), tolerance=1e-8)
    with ws.sessions() as s:
        rec = s.scalars(select(ImportRecord)).all()[-1]
        assert (rec.what, rec.ok, rec.imported) == ("layers.redline", True, 2)
        assert audit.verify(s) == []


def test_gbk_shapefile_without_cpg_and_default_epoch(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "czbj.shp"
    layer().to_file(path, encoding="GBK")
    path.with_suffix(".cpg").unlink()
    report = import_reference_file(ws, path, "village_boundary")
    assert report.epoch == 2021  # the earliest parcels epoch of the workspace
    assert any(f.code == "input.note" and "GBK" in f.message for f in report.warnings)
    table = pq.read_table(ws.layout.layers / "village_boundary/2021/v-1/county=360222/part-0.parquet")
    assert table.column("名称").to_pylist() == ["浮梁红线"]


def test_existing_layer_needs_replace(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "hx.gpkg"
    layer().to_file(path)
    import_reference_file(ws, path, "redline", 2021)
    with pytest.raises(ConflictError) as caught:
        import_reference_file(ws, path, "redline", 2021)
    assert caught.value.code == "layers.exists"
    layer([cell(2, 1)], ["only"]).to_file(path)
    assert import_reference_file(ws, path, "redline", 2021, replace=True).counties == ["360222"]
    assert stored(ws) == ["redline/2021/v-2/county=360222/part-0.parquet"]  # replaced: version 1 removed


def shp(d: Path, frame: gpd.GeoDataFrame, encoding: str = "UTF-8") -> Path:
    p = d / "bad.shp"
    frame.to_file(p, encoding=encoding)
    return p


def bowtie() -> shapely.Polygon:
    x, y = b.LON0, b.LAT0
    return shapely.Polygon([(x, y), (x + 0.001, y + 0.001), (x + 0.001, y), (x, y + 0.001), (x, y)])


def case_gbk_invalid(d: Path) -> Path:  # GBK attributes, no .cpg: the finding names the feature in Chinese
    p = shp(d, layer([bowtie(), cell(2, 1)]), "GBK")
    p.with_suffix(".cpg").unlink()
    return p


def case_wrong_crs(d: Path) -> Path:
    p = d / "bad.gpkg"
    layer().to_crs(3857).to_file(p)
    return p


def case_missing_prj(d: Path) -> Path:
    p = shp(d, layer())
    p.with_suffix(".prj").unlink()
    return p


def case_empty_layer(d: Path) -> Path:
    p = d / "bad.gpkg"
    gpd.GeoDataFrame({"名称": []}, geometry=gpd.GeoSeries([], crs="EPSG:4490")).to_file(p)
    return p


def case_empty_file(d: Path) -> Path:
    p = d / "bad.gpkg"
    p.write_bytes(b"")
    return p


def case_outside(d: Path) -> Path:
    p = d / "bad.gpkg"
    layer([shapely.box(118.6, 29.8, 118.61, 29.81)]).to_file(p)
    return p


def case_point(d: Path) -> Path:
    p = d / "bad.gpkg"
    layer([shapely.Point(b.LON0, b.LAT0), cell(2, 1)]).to_file(p)
    return p


CASES: dict[str, tuple[Callable[[Path], Path], str]] = {
    "missing_file": (lambda d: d / "nothing.shp", "file.not_found"),
    "empty_file": (case_empty_file, "file.empty"),
    "empty_layer": (case_empty_layer, "layers.empty"),
    "wrong_crs": (case_wrong_crs, "crs.unsupported"),
    "missing_prj": (case_missing_prj, "crs.missing"),
    "gbk_invalid_geometry": (case_gbk_invalid, "geometry.invalid"),
    "not_a_polygon": (case_point, "geometry.wrong_type"),
    "outside_every_county": (case_outside, "layers.no_county_coverage"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_stores_nothing(case: str, ws: Workspace, tmp_path: Path) -> None:
    make, code = CASES[case]
    src = tmp_path / "src"
    src.mkdir()
    with pytest.raises(ValidationFailed) as caught:
        import_reference_file(ws, make(src), "redline", 2021)
    errors = caught.value.report.errors
    assert [f.code for f in errors] == [code]
    if case == "gbk_invalid_geometry":
        assert errors[0].feature == "名称=新平村宅基地" and "新平村宅基地" in errors[0].message
    assert stored(ws) == [] and not (ws.layout.layers / "redline").exists()
    with ws.sessions() as s:
        rec = s.scalars(select(ImportRecord).where(ImportRecord.what == "layers.redline")).one()
        assert (rec.ok, rec.imported, rec.error_count) == (False, 0, 1)


def test_a_workspace_without_parcels(tmp_path: Path) -> None:
    w = init_workspace(tmp_path / "ws", "360200")
    path = tmp_path / "hx.gpkg"
    layer().to_file(path)
    with pytest.raises(UsageError) as usage:
        import_reference_file(w, path, "redline")
    assert usage.value.code == "layers.epoch_required"
    with pytest.raises(ValidationFailed) as caught:
        import_reference_file(w, path, "redline", 2021)
    assert [f.code for f in caught.value.report.errors] == ["layers.no_parcels"]
    assert stored(w) == []


runner = CliRunner()


def test_cli_import_list_and_exit_codes(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "czbj.gpkg"
    layer().to_file(path)
    res = runner.invoke(app, ["layers", "import", str(ws.root), str(path), "--kind", "village_boundary", "--epoch",
                              "2020", "--json"])
    assert res.exit_code == 0, res.stdout
    doc = json.loads(res.stdout)
    assert (doc["ok"], doc["kind"], doc["epoch"], doc["imported"]) == (True, "village_boundary", 2020, 2)
    res = runner.invoke(app, ["layers", "list", str(ws.root), "--json"])
    assert json.loads(res.stdout)["layers"] == [{"kind": "village_boundary", "label": "村庄建设边界", "epoch": 2020,
                                                 "counties": ["360202", "360222"]}]
    res = runner.invoke(app, ["layers", "import", str(ws.root), str(tmp_path / "none.gpkg"), "--kind", "redline",
                              "--json"])
    assert res.exit_code == 4 and json.loads(res.stdout)["error"]["report"]["errors"][0]["code"] == "file.not_found"
    res = runner.invoke(app, ["layers", "import", str(ws.root), str(path), "--kind", "village_boundary", "--epoch",
                              "2020", "--json"])
    assert res.exit_code == 7 and json.loads(res.stdout)["error"]["code"] == "layers.exists"
    res = runner.invoke(app, ["layers", "import", str(ws.root), str(path), "--kind", "forest"])
    assert res.exit_code == 2
    res = runner.invoke(app, ["layers", "import", str(ws.root), str(path), "--kind", "redline"])
    assert res.exit_code == 0 and "已导入" in res.stdout and "生态保护红线" in res.stdout
