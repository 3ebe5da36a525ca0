"""Statistics and exports: the figures of ``gengbao.domain.cases.statistics`` per county and year, the
case register (.xlsx, one row per case and sub-patch, areas in 亩 with declared rounding), the cases as
GeoPackage with their state, and the 周报/月报 table of a period."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import geopandas as gpd
import shapely

from gengbao.adapters import case_exports
from gengbao.adapters.db import case_store
from gengbao.domain.access import Action
from gengbao.domain.area_units import AreaUnit, convert
from gengbao.domain.cases.judgement import DICTIONARY, Category
from gengbao.domain.cases.numbers import ClueSource
from gengbao.domain.cases.states import CaseState
from gengbao.domain.cases.statistics import CaseRow, CaseStats, summarise
from gengbao.domain.errors import UsageError
from gengbao.services.cases.common import progress_of
from gengbao.services.context import Context

REGISTER_HEADERS = ("案件编号", "上级案件", "县级代码", "坐落单位代码", "线索来源", "年度", "状态", "前期预判",
                    "认定分类", "用途细化", "新增/存量", "项目名称", "项目主体", "建设时间", "图斑面积（亩）", "占耕地（亩）",
                    "占永久基本农田（亩）", "占其他农用地（亩）", "占未利用地（亩）", "占生态保护红线（亩）",
                    "整改方式", "整改期限", "已拆除（亩）", "已补办（亩）", "未整改（亩）", "逾期天数", "销号日期",
                    "问题")
PERIOD_HEADERS = ("县级代码", "期间", "新增线索", "本期核查填报", "本期认定违法", "违法占耕地（亩）",
                  "本期整改到位", "本期销号", "累计未销号违法案件", "逾期未整改")


def mu(m2: Decimal) -> Decimal:
    """m² → 亩, rounded half-up to 2 decimals (the unit's declared rounding)."""
    return convert(m2, AreaUnit.M2, AreaUnit.MU, rounded=True)


def _records(ctx: Context) -> list[Any]:
    ctx.authorise(Action.READ)
    with ctx.sessions() as s:
        recs = case_store.list_cases(s, ctx.actor.jurisdiction)
        for r in recs:
            s.expunge(r)
        return recs


def _row(r: Any, today: date) -> CaseRow:
    p = progress_of(r)
    complete = p is not None and p.complete
    late = r.state == "rectifying" and r.deadline is not None and not complete and today > r.deadline
    return CaseRow(r.county, r.year, CaseState(r.state), Category(r.category) if r.category else None, r.area_m2,
                   r.farmland_m2, r.pbf_m2, p.rectified_m2 if p else Decimal(0), late,
                   bool((r.judgement or {}).get("key_project")))


def statistics(ctx: Context, today: date, year: int | None = None) -> list[CaseStats]:
    rows = [_row(r, today) for r in _records(ctx)]
    return [s for s in summarise(rows) if year is None or s.year == year]


def _register(recs: list[Any], today: date) -> list[list[Any]]:
    by_id = {r.id: r.number for r in recs}
    out = []
    for r in recs:
        p = progress_of(r)
        cat = Category(r.category) if r.category else None
        j = r.judgement or {}
        late = (today - r.deadline).days if r.state == "rectifying" and r.deadline and p and not p.complete else 0
        out.append([
            r.number, by_id.get(r.parent_id, ""), r.county, r.region, ClueSource(r.source).label, r.year,
            CaseState(r.state).label, r.prejudged, cat.label if cat else "",
            DICTIONARY[cat][r.subtype] if cat and r.subtype else "",
            {True: "新增", False: "存量"}.get(bool(j["new"]), "") if j.get("new") is not None else "", j.get("project", ""), j.get("builder", ""),
            j.get("build_date") or "", *(float(mu(getattr(r, f))) for f in
                                         ("area_m2", "farmland_m2", "pbf_m2", "agricultural_m2", "unused_m2",
                                          "redline_m2")),
            r.plan_way or "", r.deadline.isoformat() if r.deadline else "",
            float(mu(r.demolished_m2)) if p else "", float(mu(r.legalised_m2)) if p else "",
            float(mu(p.unrectified_m2)) if p else "", max(0, late),
            r.closed_on.isoformat() if r.closed_on else "", "；".join(f["code"] for f in r.findings or [])])
    return out


def period_bounds(kind: str, on: date) -> tuple[date, date]:
    if kind == "week":
        start = on - timedelta(days=on.weekday())
        return start, start + timedelta(days=6)
    if kind == "month":
        nxt = date(on.year + on.month // 12, on.month % 12 + 1, 1)
        return date(on.year, on.month, 1), nxt - timedelta(days=1)
    raise UsageError(f"报表周期须为 week（周报）或 month（月报），收到“{kind}”。", code="cases.bad_period")


def _period(recs: list[Any], start: date, end: date) -> list[list[Any]]:
    def within(d: date | None) -> bool:
        return d is not None and start <= d <= end
    out = []
    for county in sorted({r.county for r in recs}):
        rs = [r for r in recs if r.county == county and r.state != "split"]
        viol = [r for r in rs if r.category and Category(r.category).is_violation]
        out.append([county, f"{start}至{end}", sum(within(r.opened_on) for r in rs),
                    sum(within(r.judged_on) for r in rs), sum(within(r.judged_on) for r in viol),
                    float(mu(sum((r.farmland_m2 for r in viol if within(r.judged_on)), Decimal(0)))),
                    sum(within(r.rectified_on) for r in viol), sum(within(r.closed_on) for r in viol),
                    sum(r.state != "closed" and r.opened_on <= end for r in viol),
                    sum(r.state == "rectifying" and r.deadline is not None and r.deadline < end and r.rectified_on is None
                        for r in viol)])
    return out


@dataclass(frozen=True, slots=True)
class ExportResult:
    files: tuple[str, ...]
    cases: int

    def to_dict(self) -> dict[str, Any]:
        return {"files": list(self.files), "cases": self.cases}


def export(ctx: Context, out: Path, today: date, period: str = "month") -> ExportResult:
    recs = _records(ctx)
    start, end = period_bounds(period, today)
    label = "周报" if period == "week" else "月报"
    xlsx = case_exports.write_workbook(Path(out) / "cases.xlsx", [
        ("案件台账", REGISTER_HEADERS, _register(recs, today)),
        (label, PERIOD_HEADERS, _period(recs, start, end)),
    ])
    geo = [r for r in recs if r.geometry is not None]
    frame = gpd.GeoDataFrame(
        {"AJBH": [r.number for r in geo], "XZQDM": [r.county for r in geo], "ZT": [CaseState(r.state).label for r in geo],
         "ZTDM": [r.state for r in geo], "RDFL": [Category(r.category).label if r.category else "" for r in geo],
         "MJ_MU": [float(mu(r.area_m2)) for r in geo], "GDMJ_MU": [float(mu(r.farmland_m2)) for r in geo]},
        geometry=[shapely.from_wkb(r.geometry) for r in geo], crs="EPSG:4490")
    gpkg = case_exports.write_gpkg(frame, Path(out) / "cases.gpkg")
    return ExportResult((str(xlsx), str(gpkg)), len(recs))
