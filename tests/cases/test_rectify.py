"""Rectification, closure against the next epoch (虚假整改 refused and recorded), relapse on a later
epoch, overdue listing — on SQLite and PostgreSQL, with hand-made parcel layers."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import geopandas as gpd
import pytest

from gengbao.adapters import layer_store
from gengbao.domain.cases.closure import ClosureRefused
from gengbao.domain.cases.rectification import InvariantBroken, Way
from gengbao.domain.cases.states import TransitionRefused
from gengbao.domain.errors import NotFoundError
from gengbao.services.cases import rectify, workflow
from gengbao.services.cases.evidence import add_evidence
from gengbao.services.cases.queries import overdue, show
from gengbao.services.context import Context
from tests.cases import photos
from tests.cases.conftest import CITY, COUNTY, COUNTY_REVIEWER, DAY, FILLER, LAND, PROVINCE
from tests.cases.test_workflow import ILLEGAL, add_views


def parcels(ws: Context, epoch: int, dlbm: str) -> None:
    """A parcel layer of one parcel: the case's land (and a neighbour) with the given class."""
    other = LAND.buffer(0.002).difference(LAND)
    frame = gpd.GeoDataFrame({"DLBM": [dlbm, "0301"], "county": [COUNTY, COUNTY]},
                             geometry=[LAND, other], crs="EPSG:4490")
    layer_store.write_dataset(ws.layout.layers, "parcels", epoch, frame, replace=True)


def reviewed(ws: Context, number: str, tmp_path: Path) -> None:
    add_views(ws, number, tmp_path)
    workflow.judge(ws.acting_as(FILLER), number, ILLEGAL, DAY)
    workflow.submit(ws.acting_as(FILLER), number, DAY)
    workflow.review(ws.acting_as(CITY), number, DAY)
    workflow.review(ws.acting_as(PROVINCE), number, DAY)


def test_plan_progress_close_relapse(ws: Context, case_no: str, tmp_path: Path) -> None:
    reviewed(ws, case_no, tmp_path)
    f, r = ws.acting_as(FILLER), ws.acting_as(COUNTY_REVIEWER)
    total = show(ws, case_no).areas["area_m2"]
    rectify.plan(f, case_no, Way.DEMOLISH, DAY)
    assert show(ws, case_no).deadline == date(2024, 7, 9)  # 10 May + 60 days
    half = (total / 2).quantize(Decimal("0.01"))
    rectify.report(f, case_no, date(2024, 6, 1), demolished_m2=half)
    with pytest.raises(InvariantBroken):
        rectify.report(f, case_no, date(2024, 6, 2), demolished_m2=total)
    assert [(c.number, d) for c, d in overdue(ws, date(2024, 7, 19))] == [(case_no, 10)]
    with pytest.raises(TransitionRefused) as exc:
        rectify.close(r, case_no, date(2024, 7, 1))
    assert exc.value.code == "cases.guard" and "未整改" in exc.value.message
    rectify.report(f, case_no, date(2024, 7, 1), demolished_m2=total - half)
    p = show(ws, case_no).progress
    assert p is not None and p.complete and p.rectified_m2 == total
    with pytest.raises(TransitionRefused) as exc:
        rectify.close(r, case_no, date(2024, 7, 2))
    assert "整改完成后" in exc.value.message  # photos of 10 May predate the work
    after = tmp_path / "after.jpg"
    after.write_bytes(photos.jpeg(77, lon=117.2005, lat=29.3004, taken=datetime(2024, 7, 3, 9, 0)))
    add_evidence(f, case_no, [after], "近景", date(2024, 7, 3))
    with pytest.raises(NotFoundError) as exc2:
        rectify.close(r, case_no, date(2024, 7, 4))
    assert exc2.value.code == "cases.no_later_epoch"
    parcels(ws, 2024, "0601")  # still built: fake rectification
    v = show(ws, case_no).version
    with pytest.raises(ClosureRefused) as exc3:
        rectify.close(r, case_no, date(2025, 1, 10))
    assert exc3.value.code == "cases.fake_rectification"
    shown = show(ws, case_no)
    assert str(shown.state) == "rectifying" and shown.version == v + 1
    assert [x.code for x in shown.findings if x.code.startswith("cases.")] == ["cases.fake_rectification"]
    parcels(ws, 2025, "0101")
    res = rectify.close(r, case_no, date(2026, 1, 10), epoch=2025)
    assert str(res.cases[0].state) == "closed" and res.extra["built_m2"] == "0.00"
    parcels(ws, 2026, "0702")
    out = rectify.recheck(r, 2026, date(2027, 1, 5))
    assert out.extra["relapsed"] == [case_no] and [x.code for x in out.findings] == ["cases.relapse"]
    again = show(ws, case_no)
    assert str(again.state) == "rectifying" and again.progress is not None and again.progress.rectified_m2 == 0
    assert rectify.recheck(r, 2026, date(2027, 1, 6)).extra == {"epoch": 2026, "checked": 0, "relapsed": []}


def test_plan_needs_violation_and_legalise_approval(ws: Context, case_no: str, tmp_path: Path) -> None:
    reviewed(ws, case_no, tmp_path)
    with pytest.raises(Exception) as exc:
        rectify.plan(ws.acting_as(FILLER), case_no, Way.LEGALISE, DAY)
    assert getattr(exc.value, "code", "") == "cases.missing_approval"
    with pytest.raises(Exception) as exc2:
        rectify.plan(ws.acting_as(FILLER), case_no, Way.LEGALISE, DAY, approval="无此批文")
    assert getattr(exc2.value, "code", "") == "cases.approval_not_found"
    assert str(show(ws, case_no).state) == "review_done"


def test_importing_a_new_epoch_reopens_a_relapsed_case(ws: Context, case_no: str, tmp_path: Path) -> None:
    """The re-check runs by itself when a parcels epoch is imported through the public API."""
    import gengbao.api as gb
    from tests.support import survey_factory as sf

    reviewed(ws, case_no, tmp_path)
    f, r = ws.acting_as(FILLER), ws.acting_as(COUNTY_REVIEWER)
    total = show(ws, case_no).areas["area_m2"]
    rectify.plan(f, case_no, Way.DEMOLISH, DAY)
    rectify.report(f, case_no, date(2024, 7, 1), demolished_m2=total)
    after = tmp_path / "after.jpg"
    after.write_bytes(photos.jpeg(78, lon=117.2005, lat=29.3004, taken=datetime(2024, 7, 3, 9, 0)))
    add_evidence(f, case_no, [after], "近景", date(2024, 7, 3))
    parcels(ws, 2025, "0101")
    assert str(rectify.close(r, case_no, date(2026, 1, 10), epoch=2025).cases[0].state) == "closed"
    village = COUNTY + "100201"  # a village of 乐平市
    built = sf.Parcel("3602810000000001", "0702", village + "0000100", LAND, Decimal("0"))
    around = sf.Parcel("3602810000000002", "0301", village + "0000100", LAND.buffer(0.002).difference(LAND),
                       Decimal("0"))
    sf.frame([built, around]).to_file(tmp_path / "dltb2026.gpkg", driver="GPKG")
    gb.import_survey(ws, tmp_path / "dltb2026.gpkg", 2026)
    again = show(ws, case_no)
    assert str(again.state) == "rectifying"
    assert [x.code for x in again.findings if x.code.startswith("cases.")][-1] == "cases.relapse"
