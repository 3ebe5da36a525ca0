"""Approvals import: Chinese headers, all-or-nothing, stable error codes naming file/row/field (both back ends)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from sqlalchemy import func, select
from typer.testing import CliRunner

from gengbao.adapters.db.models import ImportRecord
from gengbao.adapters.db.models_monitoring import ApprovalRecord
from gengbao.domain.errors import ValidationFailed
from gengbao.interfaces.cli.app import app
from gengbao.services.approvals.importing import import_approvals_frame
from gengbao.services.intake import parse_date
from gengbao.services.workspace import init_workspace
from tests.monitoring import builder as b

runner = CliRunner()


def facility_file(path: Path, rows: list[dict[str, object]], crs: str | None = "EPSG:4490") -> Path:
    gdf = gpd.GeoDataFrame([{k: v for k, v in r.items() if k != "geometry"} for r in rows],
                           geometry=[r["geometry"] for r in rows], crs=crs)
    gdf.to_file(path, driver="GPKG", layer="SSNYD")
    return path


def good_rows() -> list[dict[str, object]]:
    return [
        {"备案编号": "浮设施备〔2022〕1号", "备案日期": "2022/3/5", "有效期至": "", "备案面积": "1200.5",
         "geometry": b.cell(2, 0, w=0.3, h=0.3)},
        {"备案编号": "浮设施备〔2022〕2号", "备案日期": "2022年4月1日", "有效期至": "2030-12-31", "备案面积": 800,
         "geometry": b.cell(2, 1, w=0.3, h=0.3)},
    ]


def count(ws: object) -> int:
    with ws.sessions() as s:  # type: ignore[attr-defined]
        return int(s.scalar(select(func.count()).select_from(ApprovalRecord)) or 0)


def test_chinese_headers_via_cli_then_duplicates_refused(tmp_path: Path, db_url: str | None) -> None:
    ws = init_workspace(tmp_path / "ws", "360200", db_url)
    src = facility_file(tmp_path / "filings.gpkg", good_rows())
    args = ["approvals", "import", str(tmp_path / "ws"), str(src), "--kind", "facility", "--json"]
    if db_url:
        args += ["--db", db_url]
    res = runner.invoke(app, args)
    doc = json.loads(res.stdout)
    assert res.exit_code == 0 and doc["imported"] == 2 and doc["kinds"] == {"facility": 2}
    with ws.sessions() as s:
        rec = s.scalars(select(ApprovalRecord).order_by(ApprovalRecord.approval_id)).all()
        assert [(r.approval_id, r.issued.isoformat(), r.filed_area_m2) for r in rec] == [
            ("浮设施备〔2022〕1号", "2022-03-05", Decimal("1200.5")), ("浮设施备〔2022〕2号", "2022-04-01", Decimal("800"))]
        assert rec[1].valid_until is not None and rec[1].valid_until.isoformat() == "2030-12-31"
        assert abs(float(rec[0].area_m2) - b.geod_area(b.cell(2, 0, w=0.3, h=0.3))) <= 0.01
        assert (rec[0].minx, rec[0].miny) == pytest.approx(b.cell(2, 0, w=0.3, h=0.3).bounds[:2])
        assert shapely.equals(shapely.from_wkb(rec[0].geometry), b.cell(2, 0, w=0.3, h=0.3))
    res = runner.invoke(app, args)
    doc = json.loads(res.stdout)["error"]["report"]
    assert res.exit_code == 3 and doc["imported"] == 0
    assert [e["code"] for e in doc["errors"]] == ["approval.id_exists", "approval.id_exists"]
    assert count(ws) == 2


def test_every_bad_row_reported_and_nothing_stored(tmp_path: Path, db_url: str | None) -> None:
    ws = init_workspace(tmp_path / "ws", "360200", db_url)
    bowtie = shapely.Polygon([(117.2, 29.3), (117.201, 29.301), (117.201, 29.3), (117.2, 29.301)])
    rows = good_rows() + [
        {"备案编号": "", "备案日期": "2022-01-01", "有效期至": "", "备案面积": 10, "geometry": b.cell(0, 0)},
        {"备案编号": "X1", "备案日期": "2022-13-01", "有效期至": "", "备案面积": 10, "geometry": b.cell(0, 1)},
        {"备案编号": "X2", "备案日期": "2022-05-01", "有效期至": "2021-01-01", "备案面积": 10, "geometry": b.cell(0, 2)},
        {"备案编号": "X3", "备案日期": "2022-05-01", "有效期至": "", "备案面积": "很多", "geometry": b.cell(0, 3)},
        {"备案编号": "X4", "备案日期": "2022-05-01", "有效期至": "", "备案面积": 10, "geometry": bowtie},
        {"备案编号": "X5", "备案日期": "2022-05-01", "有效期至": "", "备案面积": None, "geometry": b.cell(0, 4)},
        {"备案编号": "浮设施备〔2022〕1号", "备案日期": "2022-05-01", "有效期至": "", "备案面积": 5,
         "geometry": b.cell(0, 5)},
        {"备案编号": "长" * 129, "备案日期": "2022-05-01", "有效期至": "", "备案面积": 5, "geometry": b.cell(0, 6)},
    ]
    frame = gpd.GeoDataFrame([{k: v for k, v in r.items() if k != "geometry"} for r in rows],
                             geometry=[r["geometry"] for r in rows], crs="EPSG:4490")
    with pytest.raises(ValidationFailed) as caught:
        import_approvals_frame(ws, frame, "facility", "bad.gpkg")
    got = sorted((f.code, f.feature, f.field) for f in caught.value.report.errors)
    assert got == sorted([
        ("approval.duplicate_id", "浮设施备〔2022〕1号", "id"), ("approval.duplicate_id", "浮设施备〔2022〕1号", "id"),
        ("approval.id_missing", "第3行", "id"), ("approval.date_invalid", "X1", "issued"),
        ("approval.date_order", "X2", "valid_until"), ("approval.area_invalid", "X3", "filed_area"),
        ("geometry.invalid", "X4", None), ("approval.area_missing", "X5", "filed_area"),
        ("approval.id_too_long", "长" * 129, "id")])  # refused here, on SQLite too, not by PostgreSQL
    assert all(f.message.startswith("bad.gpkg 第") for f in caught.value.report.errors)
    assert count(ws) == 0
    with ws.sessions() as s:
        assert s.scalars(select(ImportRecord.ok).where(ImportRecord.what == "approvals")).all() == [False]


def test_missing_field_and_missing_crs_refused(tmp_path: Path) -> None:
    ws = init_workspace(tmp_path / "ws", "360200")
    rows = [{k: v for k, v in r.items() if k != "备案面积"} for r in good_rows()]
    frame = gpd.GeoDataFrame([{"备案编号": r["备案编号"], "备案日期": r["备案日期"]} for r in rows],
                             geometry=[r["geometry"] for r in rows], crs="EPSG:4490")
    with pytest.raises(ValidationFailed) as caught:
        import_approvals_frame(ws, frame, "facility", "f.gpkg")
    assert [(f.code, f.field) for f in caught.value.report.errors] == [("approval.field_missing", "filed_area")]
    temp = frame.assign(有效期至="2023-01-01")
    with pytest.raises(ValidationFailed) as caught:
        import_approvals_frame(ws, temp.set_crs(None, allow_override=True), "temporary", "t.gpkg")
    assert [f.code for f in caught.value.report.errors] == ["crs.missing"]
    assert count(ws) == 0


@pytest.mark.parametrize(("text", "day"), [("2021-05-01", "2021-05-01"), ("2021/5/1", "2021-05-01"),
                                           ("2021年5月1日", "2021-05-01"), ("20210501", "2021-05-01"), ("", None)])
def test_parse_date(text: str, day: str | None) -> None:
    got = parse_date(text)
    assert (got.isoformat() if got else None) == day


def test_monitoring_rows_equal_the_typed_records(tmp_path: Path, db_url: str | None) -> None:
    """The plain-SQL load a monitoring run uses gives what the ORM's typed columns give (both back ends)."""
    from gengbao.adapters.db import approvals_store

    ws = init_workspace(tmp_path / "ws", "360200", db_url)
    src = facility_file(tmp_path / "filings.gpkg", good_rows())
    runner.invoke(app, ["approvals", "import", str(tmp_path / "ws"), str(src), "--kind", "facility"]
                  + (["--db", db_url] if db_url else []))
    with ws.sessions() as s:
        fast = approvals_store.load_for_monitoring(s)
        typed = approvals_store.load(s)
    assert len(fast) == 2
    assert fast == [(r.approval_id, r.kind, r.issued, r.valid_until, r.filed_area_m2, r.wkb, *r.bounds) for r in typed]
    assert fast[1][3] is not None and fast[1][3].isoformat() == "2030-12-31" and fast[0][4] == Decimal("1200.5")
