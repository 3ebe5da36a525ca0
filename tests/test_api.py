"""The public API as a notebook uses it: open, import, statistics, monitoring, audit — with the acting
user recorded, figures checked against sums made by hand from the factory's parcels."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

import gengbao.api as gb
from gengbao.adapters.db.models import AuditRecord, ImportRecord
from tests.support import survey_factory as sf

FARMLAND = ("0101", "0102", "0103")


def test_import_statistics_and_audit_through_the_public_api(tmp_path: Path) -> None:
    items = sf.parcels()
    sf.frame(items).to_file(tmp_path / "dltb.gpkg", driver="GPKG")
    ws = gb.init_workspace(tmp_path / "ws", region="360200")
    clerk = ws.acting_as(gb.Actor("li", gb.Role.COUNTY_FILLER, "3602"))
    report = gb.import_survey(clerk, tmp_path / "dltb.gpkg", epoch=2023)
    assert (report.ok, report.imported, report.what, report.counties) == (
        True, 32, "survey.parcels", ["360202", "360222", "360281"])
    rows = {r.region: r for r in gb.survey_statistics(ws, 2023, by="county")}
    for county in ("360202", "360222", "360281"):
        expected = sum((p.tbdlmj for p in items if p.zldwdm.startswith(county) and p.dlbm in FARMLAND), Decimal(0))
        assert rows[county].farmland_m2 == expected
    townships = gb.survey_statistics(ws, 2023, by="township")
    assert sum(r.farmland_m2 for r in townships) == sum(r.farmland_m2 for r in rows.values())
    check = gb.verify_audit(ws)
    assert (check.ok, check.records) == (True, 2)
    with ws.sessions() as s:  # the import was recorded for the clerk, the creation for the local operator
        actors = [(r.actor, r.action) for r in s.scalars(select(AuditRecord).order_by(AuditRecord.seq))]
    assert actors == [("local", "workspace.init"), ("li", "survey.import")]
    assert gb.open_workspace(tmp_path / "ws").region == "3602"


def test_errors_are_typed_with_stable_codes(tmp_path: Path) -> None:
    ws = gb.init_workspace(tmp_path / "ws", region="360200")
    with pytest.raises(gb.UsageError) as err:
        gb.survey_statistics(ws, 2023, by="province")
    assert err.value.code == "usage.choice"
    with pytest.raises(gb.NotFoundError) as missing:
        gb.survey_statistics(ws, 2023)
    assert missing.value.code == "survey.epoch_missing"
    with pytest.raises(gb.ValidationFailed) as rejected:
        gb.import_survey(ws, tmp_path / "none.gpkg", epoch=2023)
    assert rejected.value.report.errors[0].code == "file.not_found" and rejected.value.report.ok is False


def test_who_may_import_run_and_see_what(tmp_path: Path) -> None:
    items = sf.parcels()
    sf.frame(items).to_file(tmp_path / "dltb.gpkg", driver="GPKG")
    ws = gb.init_workspace(tmp_path / "ws", region="360200")
    viewer = ws.acting_as(gb.Actor("zhao", gb.Role.VIEWER, "3602"))
    with pytest.raises(gb.AccessDenied) as role:
        gb.import_survey(viewer, tmp_path / "dltb.gpkg", epoch=2023)
    assert role.value.code == "access.role"
    county = ws.acting_as(gb.Actor("qian", gb.Role.COUNTY_FILLER, "360281"))
    with pytest.raises(gb.AccessDenied) as region:  # a city-wide layer is not one county's to import
        gb.import_survey(county, tmp_path / "dltb.gpkg", epoch=2023)
    assert region.value.code == "access.region"
    with ws.sessions() as s:  # refused before anything was read or recorded
        assert s.scalar(select(func.count()).select_from(ImportRecord)) == 0
    gb.import_survey(ws, tmp_path / "dltb.gpkg", epoch=2023)
    with pytest.raises(gb.AccessDenied):
        gb.run_monitoring(viewer, 2022, 2023)
    township = ws.acting_as(gb.Actor("sun", gb.Role.TOWNSHIP, "360281100"))
    assert gb.survey_statistics(township, 2023, by="county") == []  # the county total is not the township's
    rows = gb.survey_statistics(township, 2023, by="village")
    assert [r.region for r in rows] == ["360281100201"]
    assert rows[0].farmland_m2 == sum((p.tbdlmj for p in items if p.zldwdm.startswith("360281100201")
                                       and p.dlbm in FARMLAND), Decimal(0))
    outsider = ws.acting_as(gb.Actor("zhou", gb.Role.COUNTY_FILLER, "360502"))  # 新余市渝水区: another city
    with pytest.raises(gb.AccessDenied):
        gb.survey_statistics(outsider, 2023)
