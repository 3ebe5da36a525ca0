"""The review chain on SQLite and PostgreSQL: open, evidence, judge, submit, city and province review,
return with a reason, dispute; refusals (wrong state, role, region, missing evidence, unknown
approval) with their codes and nothing changed; every change audited with the real actor."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from gengbao.adapters.db import audit_store as audit
from gengbao.domain.access import AccessDenied
from gengbao.domain.cases.judgement import Category, Judgement
from gengbao.domain.cases.numbers import ClueSource
from gengbao.domain.cases.states import TransitionRefused
from gengbao.domain.errors import ConflictError, GengbaoError, InputError
from gengbao.services.cases import workflow
from gengbao.services.cases.clues import open_manual
from gengbao.services.cases.evidence import add_evidence
from gengbao.services.cases.queries import show
from gengbao.services.context import Context
from tests.cases import photos
from tests.cases.conftest import CITY, COUNTY, DAY, FILLER, LAND, OTHER_COUNTY, PROVINCE

ILLEGAL = Judgement(Category.ILLEGAL_NON_AGRICULTURAL, "industry_commerce", project="仓库", builder="某公司",
                    build_date=date(2024, 3, 1), description="新建仓库")


def add_views(ws: Context, number: str, tmp_path: Path, seed: int = 1) -> None:
    far, near = tmp_path / f"far{seed}.jpg", tmp_path / f"near{seed}.jpg"
    far.write_bytes(photos.jpeg(seed, lon=117.2005, lat=29.3004))
    near.write_bytes(photos.jpeg(seed + 50, lon=117.2005, lat=29.3004))
    add_evidence(ws.acting_as(FILLER), number, [far], "远景", DAY)
    add_evidence(ws.acting_as(FILLER), number, [near], "近景", DAY)


def state(ws: Context, number: str) -> tuple[str, int]:
    v = show(ws, number)
    return str(v.state), v.version


def test_number_and_full_chain(ws: Context, case_no: str, tmp_path: Path) -> None:
    assert case_no == f"{COUNTY}JB2024000001"
    second = open_manual(ws.acting_as(FILLER), ClueSource.REPORT, COUNTY, DAY, location="某村东头").opened[0]
    assert second == f"{COUNTY}JB2024000002"
    add_views(ws, case_no, tmp_path)
    f = ws.acting_as(FILLER)
    workflow.judge(f, case_no, ILLEGAL, DAY)
    workflow.submit(f, case_no, DAY)
    workflow.return_case(ws.acting_as(CITY), case_no, "建设时间与影像不符", DAY)
    assert state(ws, case_no)[0] == "returned" and show(ws, case_no).note == "建设时间与影像不符"
    workflow.judge(f, case_no, ILLEGAL, DAY)
    workflow.submit(f, case_no, DAY)
    workflow.review(ws.acting_as(CITY), case_no, DAY)
    workflow.review(ws.acting_as(PROVINCE), case_no, DAY)
    assert state(ws, case_no) == ("review_done", 8)
    workflow.dispute(f, case_no, "认定有误", DAY)
    workflow.resolve(ws.acting_as(PROVINCE), case_no, "重新审核", DAY)
    assert state(ws, case_no)[0] == "province_review"
    with ws.sessions() as s:
        assert audit.verify(s) == []
        actions = [(r.actor, r.action) for r in audit_records(s) if r.subject == f"case/{case_no}"]
    assert actions[-2:] == [("wang", "cases.dispute"), ("chen", "cases.resolve")]
    assert actions[0] == ("wang", "cases.open")
    assert ("li", "cases.return") in actions and ("chen", "cases.province_approve") in actions
    assert sum(1 for _, a in actions if a == "cases.judge") == 2


def audit_records(s):  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from gengbao.adapters.db.models import AuditRecord
    return list(s.scalars(select(AuditRecord).order_by(AuditRecord.seq)))


def test_refusals_change_nothing(ws: Context, case_no: str, tmp_path: Path) -> None:
    f = ws.acting_as(FILLER)
    before = state(ws, case_no)
    with pytest.raises(InputError) as exc:  # no photos, builder given: photos missing
        workflow.judge(f, case_no, ILLEGAL, DAY)
    assert exc.value.code == "cases.missing_photos"
    add_views(ws, case_no, tmp_path)
    with pytest.raises(TransitionRefused) as exc2:
        workflow.submit(f, case_no, DAY)
    assert exc2.value.code == "cases.wrong_state"
    with pytest.raises(AccessDenied) as exc3:
        workflow.judge(ws.acting_as(OTHER_COUNTY), case_no, ILLEGAL, DAY)
    assert exc3.value.code == "access.region"
    with pytest.raises(TransitionRefused) as exc4:
        workflow.judge(ws.acting_as(CITY), case_no, ILLEGAL, DAY)
    assert exc4.value.code == "cases.wrong_role"
    lawful = Judgement(Category.LAWFUL, "approval", approval_ids=("不存在-2024-001",))
    with pytest.raises(InputError) as exc5:
        workflow.judge(f, case_no, lawful, DAY)
    assert exc5.value.code == "cases.approval_not_found" and "不存在-2024-001" in exc5.value.message
    assert state(ws, case_no) == before
    workflow.judge(f, case_no, ILLEGAL, DAY)
    with pytest.raises(ConflictError) as exc6:
        workflow.submit(f, case_no, DAY, expected_version=before[1])
    assert exc6.value.code == "cases.conflict"
    with pytest.raises(TransitionRefused) as exc7:
        workflow.return_case(ws.acting_as(CITY), case_no, "", DAY)
    assert exc7.value.code == "cases.wrong_state"


def test_overlapping_clue_is_linked(ws: Context, case_no: str) -> None:
    again = open_manual(ws.acting_as(FILLER), ClueSource.AUDIT, COUNTY, DAY, geometry=LAND.buffer(-0.0001),
                        reference="审计发现 7")
    assert again.opened == () and again.linked == (("审计发现 7", case_no),)
    v = show(ws, case_no)
    assert [c["source"] for c in v.clues] == ["report", "audit"]


def test_split_and_bad_split(ws: Context, case_no: str) -> None:
    from shapely.geometry import box
    minx, miny, maxx, maxy = LAND.bounds
    mid = (minx + maxx) / 2
    f = ws.acting_as(FILLER)
    with pytest.raises(GengbaoError) as exc:
        workflow.split(f, case_no, [box(minx, miny, mid + 0.0001, maxy), box(mid, miny, maxx, maxy)], DAY)
    assert exc.value.code == "cases.split_overlap"
    with pytest.raises(GengbaoError) as exc2:
        workflow.split(f, case_no, [box(minx, miny, mid - 0.0001, maxy), box(mid, miny, maxx, maxy)], DAY)
    assert exc2.value.code == "cases.split_gap"
    assert state(ws, case_no)[0] == "pending_check"
    res = workflow.split(f, case_no, [box(minx, miny, mid, maxy), box(mid, miny, maxx, maxy)], DAY)
    parent, a, b = res.cases
    assert str(parent.state) == "split" and parent.children == (f"{case_no}-1", f"{case_no}-2")
    assert abs(a.areas["area_m2"] + b.areas["area_m2"] - show(ws, case_no).areas["area_m2"]) <= 0.02
