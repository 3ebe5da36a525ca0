"""Enforcement cases over HTTP: thin routes over ``services.cases`` acting as the request's user. Every
record route checks the case's own region in its use case (``guard(..., workspace_wide=False)`` only
checks the role, reads use the workspace-wide guard like every other read route); lists are cut to the
caller's jurisdiction by the store query."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from pathlib import Path as FsPath
from typing import Any

import shapely
from fastapi import APIRouter, Depends, File, Form, Path, Query, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from gengbao.domain.access import AccessDenied, Action
from gengbao.domain.cases.judgement import (
    DICTIONARY,
    Category,
    Judgement,
    needs,
    parse_category,
    parse_subtype,
)
from gengbao.domain.cases.numbers import parse_source
from gengbao.domain.cases.rectification import Way, parse_way
from gengbao.domain.cases.states import TABLE, CaseState
from gengbao.domain.errors import InputError, UsageError
from gengbao.interfaces.http.auth import guard
from gengbao.services.cases import clues, history, queries, rectify, workflow
from gengbao.services.cases.evidence import add_evidence
from gengbao.services.context import Context

router = APIRouter(prefix="/api/cases", tags=["cases"])
NUMBER = Path(min_length=6, max_length=40, pattern=r"^[0-9A-Z]+(-[0-9]+)*$", description="案件编号")
READ, EDIT = guard(Action.READ), guard(Action.EDIT, workspace_wide=False)


class Step(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: int | None = Field(default=None, ge=1, le=2**31 - 1, description="读到的版本号（并发修改检查）")
    date: dt.date | None = None


class ReasonStep(Step):
    reason: str = Field(min_length=1, max_length=500)


class JudgeBody(Step):
    category: str = Field(max_length=40)
    subtype: str = Field(max_length=40)
    project: str = Field(default="", max_length=200)
    builder: str = Field(default="", max_length=200)
    build_date: dt.date | None = None
    description: str = Field(default="", max_length=2000)
    approval_ids: list[str] = Field(default_factory=list, max_length=20)
    filing_id: str = Field(default="", max_length=100)
    road_width_m: Decimal | None = Field(default=None, ge=0, le=1000)
    key_project: bool = False


class PlanBody(Step):
    way: str = Field(max_length=20)
    deadline: dt.date | None = None
    approval_id: str = Field(default="", max_length=100)


class ProgressBody(Step):
    demolished_m2: Decimal = Field(default=Decimal(0), ge=0, le=10**9)
    legalised_m2: Decimal = Field(default=Decimal(0), ge=0, le=10**9)


class CloseBody(Step):
    epoch: int | None = Field(default=None, ge=1900, le=2199)
    run_id: int | None = Field(default=None, ge=1, le=2**31 - 1)


class OpenBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    run_id: int | None = Field(default=None, ge=1, le=2**31 - 1)
    source: str | None = Field(default=None, max_length=20)
    region: str | None = Field(default=None, pattern=r"^[0-9]{2,12}$")
    wkt: str | None = Field(default=None, max_length=200_000)
    location: str = Field(default="", max_length=500)
    reference: str = Field(default="", max_length=200)
    date: dt.date | None = None


@contextmanager
def _case_region_hidden(number: str) -> Iterator[None]:
    """A refusal for a case outside the caller's jurisdiction names the case the caller asked for, not
    the region (village) it lies in."""
    try:
        yield
    except AccessDenied as exc:
        if exc.code != "access.region":
            raise
        raise AccessDenied(f"案件 {number} 不在您的管辖区域内，无权查看或修改。", code="access.region",
                           number=number) from None


def _day(d: date | None) -> date:
    return d or date.today()


def _changed(res: Any) -> dict[str, Any]:
    return {"ok": True, **res.to_dict()}


@router.get("/dictionary", summary="认定字典：分类、用途细化及各自所需证据；案件状态；整改方式")
def dictionary(ctx: Context = Depends(READ)) -> dict[str, Any]:
    return {"ok": True, "categories": [
        {"code": str(c), "label": c.label, "violation": c.is_violation,
         "subtypes": [{"code": k, "label": v, "needs": sorted(str(n) for n in needs(c, k))}
                      for k, v in DICTIONARY[c].items()]} for c in Category],
        "states": [{"code": str(s), "label": s.label} for s in CaseState],
        "ways": [{"code": str(w), "label": w.label} for w in Way],
        "transitions": [{"code": str(r.name), "label": r.name.label, "sources": sorted(str(s) for s in r.sources),
                         "roles": sorted(str(x) for x in r.roles)} for r in TABLE.values()]}


@router.get("", summary="案件列表（仅当前用户管辖区域；可按状态、县、逾期筛选）")
def list_cases(state: str | None = Query(default=None, max_length=40),
               county: str | None = Query(default=None, pattern=r"^[0-9]{2,12}$"),
               overdue: bool = False, as_of: date | None = None,
               ctx: Context = Depends(READ)) -> dict[str, Any]:
    today = _day(as_of)
    st = None
    if state:
        st = next((s for s in CaseState if state in (s.value, s.label)), None)
        if st is None:
            raise UsageError(f"不认识的案件状态“{state}”。", code="usage.state", value=state)
    if overdue:
        rows = [(c, d) for c, d in queries.overdue(ctx, today)]
    else:
        rows = [(c, c.overdue_days(today)) for c in queries.list_cases(ctx, st)]
    if county:
        rows = [(c, d) for c, d in rows if c.county.startswith(county) or county.startswith(c.county)]
    cases = []
    for c, d in rows:
        item = c.to_dict()
        item["days_overdue"] = d
        cases.append(item)
    return {"ok": True, "as_of": today.isoformat(), "count": len(cases), "cases": cases}


@router.post("", summary="打开线索：监测批次中需核查的图斑（run_id），或手工线索")
def open_clues(body: OpenBody, ctx: Context = Depends(guard(Action.EDIT, workspace_wide=False))) -> dict[str, Any]:
    on = _day(body.date)
    if body.run_id is not None:
        return {"ok": True, **clues.open_from_run(ctx, body.run_id, on).to_dict()}
    if body.source is None or body.region is None:
        raise UsageError("请给出 run_id，或手工线索的 source 与 region。", code="usage.missing")
    geom = None
    if body.wkt:
        try:
            geom = shapely.from_wkt(body.wkt)
        except (ValueError, shapely.errors.GEOSException) as exc:
            raise InputError(f"线索几何无法解析：{exc}", code="cases.bad_geometry") from None
    return {"ok": True, **clues.open_manual(ctx, parse_source(body.source), body.region, on, geometry=geom,
                                            location=body.location, reference=body.reference).to_dict()}


@router.get("/{number}", summary="案件详情：认定、面积、问题、照片（位置与方位角）、审计历史")
def detail(number: str = NUMBER, ctx: Context = Depends(READ)) -> dict[str, Any]:
    with _case_region_hidden(number):
        view = queries.show(ctx, number)
        case = view.to_dict()
        for e in case["evidence"]:
            e.pop("path", None)
            e["url"] = f"/api/cases/{number}/photos/{e['sha256']}"
        return {"ok": True, "case": case, "geometry": history.geometry(ctx, number),
                "history": history.history(ctx, number)}


@router.post("/{number}/judge", summary="核查填报（分类与用途细化来自认定字典）")
def judge(body: JudgeBody, number: str = NUMBER, ctx: Context = Depends(EDIT)) -> dict[str, Any]:
    with _case_region_hidden(number):
        cat = parse_category(body.category)
        j = Judgement(cat, parse_subtype(cat, body.subtype), body.project, body.builder, body.build_date,
                      body.description, tuple(body.approval_ids), body.filing_id, body.road_width_m, body.key_project)
        return _changed(workflow.judge(ctx, number, j, _day(body.date), body.version))


@router.post("/{number}/submit", summary="提交审核")
def submit(body: Step, number: str = NUMBER, ctx: Context = Depends(EDIT)) -> dict[str, Any]:
    with _case_region_hidden(number):
        return _changed(workflow.submit(ctx, number, _day(body.date), body.version))


@router.post("/{number}/review", summary="审核通过（市级，再省级）")
def review(body: Step, number: str = NUMBER, ctx: Context = Depends(EDIT)) -> dict[str, Any]:
    with _case_region_hidden(number):
        return _changed(workflow.review(ctx, number, _day(body.date), body.version))


@router.post("/{number}/return", summary="退回县级重新填报（须填理由）")
def return_case(body: ReasonStep, number: str = NUMBER, ctx: Context = Depends(EDIT)) -> dict[str, Any]:
    with _case_region_hidden(number):
        return _changed(workflow.return_case(ctx, number, body.reason, _day(body.date), body.version))


@router.post("/{number}/dispute", summary="提出异议（须填理由）")
def dispute(body: ReasonStep, number: str = NUMBER, ctx: Context = Depends(EDIT)) -> dict[str, Any]:
    with _case_region_hidden(number):
        return _changed(workflow.dispute(ctx, number, body.reason, _day(body.date), body.version))


@router.post("/{number}/plan", summary="制定整改方案（一案一策）")
def plan(body: PlanBody, number: str = NUMBER, ctx: Context = Depends(EDIT)) -> dict[str, Any]:
    with _case_region_hidden(number):
        return _changed(rectify.plan(ctx, number, parse_way(body.way), _day(body.date), body.deadline,
                                     body.approval_id, expected_version=body.version))


@router.post("/{number}/progress", summary="报送整改进度（面积）")
def progress(body: ProgressBody, number: str = NUMBER, ctx: Context = Depends(EDIT)) -> dict[str, Any]:
    with _case_region_hidden(number):
        return _changed(rectify.report(ctx, number, _day(body.date), body.demolished_m2, body.legalised_m2,
                                       body.version))


@router.post("/{number}/close", summary="销号（核验下一期调查或下发图斑）")
def close(body: CloseBody, number: str = NUMBER, ctx: Context = Depends(EDIT)) -> dict[str, Any]:
    with _case_region_hidden(number):
        return _changed(rectify.close(ctx, number, _day(body.date), body.epoch, expected_version=body.version,
                                      run_id=body.run_id))


@router.post("/{number}/photos", summary="上传举证照片（JPEG 等，须含 GPS 位置与拍摄时间；单次 30 MB 以内）")
def upload(number: str = NUMBER, files: list[UploadFile] = File(...),
           kind: str = Form(default="近景", max_length=10), on: date | None = Form(default=None),
           ctx: Context = Depends(EDIT)) -> dict[str, Any]:
    with _case_region_hidden(number):
        if not files or len(files) > 20:
            raise UsageError("请上传 1 至 20 张照片。", code="usage.files")
        with tempfile.TemporaryDirectory(prefix="gengbao-upload-") as tmp:
            paths = []
            for i, f in enumerate(files):
                name = FsPath(f.filename or f"photo{i}.jpg").name.replace("\x00", "")[-100:] or f"photo{i}.jpg"
                target = FsPath(tmp) / f"{i:02d}" / name
                target.parent.mkdir()
                target.write_bytes(f.file.read())
                paths.append(target)
            return {"ok": True, **add_evidence(ctx, number, paths, kind, _day(on)).to_dict()}


@router.get("/{number}/photos/{sha256}", summary="读取案件的一张照片（按 SHA-256）",
            response_class=Response, responses={200: {"content": {"image/jpeg": {}}}})
def photo(number: str = NUMBER, sha256: str = Path(pattern=r"^[0-9a-f]{64}$"),
          ctx: Context = Depends(READ)) -> Response:
    with _case_region_hidden(number):
        data, media = history.photo(ctx, number, sha256)
        return Response(data, media_type=media, headers={"Cache-Control": "private, max-age=86400",
                                                        "X-Content-Type-Options": "nosniff"})
