"""Survey import, statistics and export on a small hand-checkable layer, on SQLite and PostgreSQL."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pyogrio
import pytest
from sqlalchemy import select

from gengbao.adapters.db import audit_store as audit
from gengbao.adapters.db.models import Epoch, ImportRecord
from gengbao.domain.errors import ConflictError
from gengbao.domain.regions import RegionLevel
from gengbao.services.survey.export import export_layer
from gengbao.services.survey.importing import import_survey_file
from gengbao.services.survey.stats import region_stats
from gengbao.services.workspace import init_workspace, open_workspace
from tests.support import survey_factory as sf

FARMLAND = ("0101", "0102", "0103")


def expected_farmland(items: list[sf.Parcel], digits: int) -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    for p in items:
        if p.dlbm in FARMLAND:
            key = p.zldwdm[:digits]
            out[key] = out.get(key, Decimal("0")) + p.tbdlmj
    return out


@pytest.fixture
def items() -> list[sf.Parcel]:
    return sf.parcels()


def test_import_stats_and_export_roundtrip(tmp_path: Path, db_url: str | None, items: list[sf.Parcel]) -> None:
    ws = init_workspace(tmp_path / "ws", "360200", db_url)
    src = tmp_path / "dltb.gpkg"
    sf.frame(items).to_file(src, layer="DLTB", driver="GPKG")
    sf.pbf_frame(items).to_file(tmp_path / "pbf.gpkg", layer="YJJBNTTB", driver="GPKG")

    report = import_survey_file(ws, src, 2023)
    assert report.ok and report.imported == 32 and report.errors == []
    assert report.counties == ["360202", "360222", "360281"]
    assert import_survey_file(ws, tmp_path / "pbf.gpkg", 2023, "pbf").imported == sum(
        p.dlbm in ("0101", "0103") for p in items)

    ws = open_workspace(tmp_path / "ws", db_url)  # reopen: everything comes from storage
    rows = region_stats(ws, 2023, RegionLevel.COUNTY)
    want = expected_farmland(items, 6)
    assert {r.region: r.farmland_m2 for r in rows} == want
    assert {r.region: r.name for r in rows} == {"360202": "昌江区", "360222": "浮梁县", "360281": "乐平市"}
    pbf_want: dict[str, Decimal] = {}
    for p in items:
        if p.dlbm in ("0101", "0103"):
            pbf_want[p.zldwdm[:6]] = pbf_want.get(p.zldwdm[:6], Decimal(0)) + p.tbdlmj
    assert {r.region: r.pbf_m2 for r in rows} == {k: pbf_want.get(k, Decimal("0.00")) for k in want}
    village_rows = region_stats(ws, 2023, RegionLevel.VILLAGE)
    assert {r.region: r.farmland_m2 for r in village_rows} == expected_farmland(items, 12)
    assert next(r for r in village_rows if r.region == "360202101201").name == "凤岗村委会"
    by_class = {r.region: r.by_class for r in rows}["360202"]
    assert by_class["0101"] == sum((p.tbdlmj for p in items if p.zldwdm.startswith("360202") and p.dlbm == "0101"),
                                   Decimal(0))

    out = tmp_path / "out.gpkg"
    assert export_layer(ws, 2023, out) == 32
    back = pyogrio.read_dataframe(out, layer="DLTB")
    assert sorted(back["BSM"]) == sorted(p.bsm for p in items)
    assert dict(zip(back["BSM"], back["TBMJ"], strict=True)) == {p.bsm: float(p.tbmj) for p in items}
    assert back.crs.to_epsg() == 4490

    with ws.sessions() as s:
        epochs = s.scalars(select(Epoch).order_by(Epoch.kind)).all()
        n_pbf = sum(p.dlbm in ("0101", "0103") for p in items)
        assert n_pbf == 8
        assert [(e.year, e.kind, e.feature_count) for e in epochs] == [(2023, "parcels", 32), (2023, "pbf", n_pbf)]
        assert audit.verify(s) == []
        assert audit.count(s) == 3  # init + two imports


def test_same_epoch_twice_is_refused_unless_replace(tmp_path: Path, items: list[sf.Parcel]) -> None:
    ws = init_workspace(tmp_path / "ws", "3602")
    src = tmp_path / "dltb.gpkg"
    sf.frame(items).to_file(src, driver="GPKG")
    import_survey_file(ws, src, 2022)
    with pytest.raises(ConflictError) as err:
        import_survey_file(ws, src, 2022)
    assert err.value.code == "survey.epoch_exists"
    fewer = tmp_path / "fewer.gpkg"
    sf.frame(items[:10]).to_file(fewer, driver="GPKG")
    assert import_survey_file(ws, fewer, 2022, replace=True).imported == 10
    assert sum(r.farmland_m2 for r in region_stats(ws, 2022)) == sum(
        (p.tbdlmj for p in items[:10] if p.dlbm in FARMLAND), Decimal(0))


def test_shapefile_in_gauss_kruger_zone_is_reprojected(tmp_path: Path, items: list[sf.Parcel]) -> None:
    ws = init_workspace(tmp_path / "ws", "360200")
    f = sf.frame(items).to_crs(4548)  # CGCS2000 3° GK zone 39, no zone prefix (景德镇 117°E)
    f.to_file(tmp_path / "gk.shp", encoding="UTF-8")
    report = import_survey_file(ws, tmp_path / "gk.shp", 2021)
    assert report.ok and report.imported == 32
    assert [w.code for w in report.warnings if w.code == "survey.tbmj_area_mismatch"] == []
    assert {r.region: r.farmland_m2 for r in region_stats(ws, 2021)} == expected_farmland(items, 6)


def test_rejected_import_is_recorded_but_stores_nothing(tmp_path: Path, items: list[sf.Parcel]) -> None:
    ws = init_workspace(tmp_path / "ws", "360200")
    f = sf.frame(items)
    f.loc[5, "DLBM"] = "9999"
    f.to_file(tmp_path / "bad.gpkg", driver="GPKG")
    with pytest.raises(Exception) as err:
        import_survey_file(ws, tmp_path / "bad.gpkg", 2023)
    report = err.value.report  # type: ignore[attr-defined]
    assert [(e.code, e.feature, e.field) for e in report.errors] == [("survey.unknown_class", items[5].bsm, "DLBM")]
    assert not (ws.layout.layers / "parcels" / "2023").exists()
    with ws.sessions() as s:
        assert s.scalars(select(Epoch)).all() == []
        rec = s.scalars(select(ImportRecord)).one()
        assert (rec.ok, rec.error_count, rec.imported) == (False, 1, 0)


def test_pbf_layer_of_an_earlier_epoch_stays_in_force(tmp_path: Path, items: list[sf.Parcel]) -> None:
    ws = init_workspace(tmp_path / "ws", "360200")
    sf.frame(items).to_file(tmp_path / "a.gpkg", driver="GPKG")
    sf.pbf_frame(items).to_file(tmp_path / "p.gpkg", driver="GPKG")
    import_survey_file(ws, tmp_path / "a.gpkg", 2020)
    import_survey_file(ws, tmp_path / "a.gpkg", 2023)
    import_survey_file(ws, tmp_path / "p.gpkg", 2020, "pbf")
    pbf = sum((p.tbdlmj for p in items if p.dlbm in ("0101", "0103")), Decimal(0))
    assert sum(r.pbf_m2 for r in region_stats(ws, 2023)) == pbf
    assert sum(r.pbf_m2 for r in region_stats(ws, 2020)) == pbf


def test_file_geodatabase_written_by_gdal_imports(tmp_path: Path) -> None:
    """A File Geodatabase (.gdb, GDAL's OpenFileGDB driver) imports like a GeoPackage: same parcels, same
    farmland as summed by hand."""
    import warnings


    items = sf.parcels()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # GDPDJB written as Float64 by the driver: still a number
        sf.frame(items).to_file(tmp_path / "dltb.gdb", driver="OpenFileGDB", layer="DLTB")
    ws = init_workspace(tmp_path / "ws", "360200")
    report = import_survey_file(ws, tmp_path / "dltb.gdb", 2023)
    assert (report.ok, report.imported, report.warnings) == (True, len(items), [])
    farm = sum((r.farmland_m2 for r in region_stats(ws, 2023)), Decimal(0))
    assert farm == sum((p.tbdlmj for p in items if p.dlbm in ("0101", "0102", "0103")), Decimal(0))
