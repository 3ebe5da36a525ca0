"""进出平衡 (inflow/outflow balance) plans per county and year, and the checks that run on them.

Farmland turned into forest, grass, orchard, other agricultural or facility land is an *outflow*
(出); other land turned back into farmland that can be used stably is an *inflow* (进). The rules:
- 以进定出 ``balance.plan.outflow_exceeds_inflow``: counted outflow ≤ inflow;
- 进大于出 ``balance.plan.inflow_not_greater`` (warning): inflow should exceed the outflow;
- 先进后出 ``balance.plan.outflow_before_inflow``: by each outflow's date, the inflow completed so
  far covers all the outflow so far;
- outflow only from ordinary farmland ``balance.plan.outflow_on_pbf``;
- quality not lower ``balance.plan.quality_lower``: the inflow's area-weighted quality grade is not
  worse (not a higher number) than the outflow's;
- declared exceptions (state ecological retirement, disaster, permanent flooding) are outflows that
  need no inflow; they are listed apart (``balance.plan.exception``, info).
Row problems: ``balance.plan.bad_area``, ``.duplicate_row``, ``.date_out_of_year``,
``.exception_on_inflow``, ``.no_grade`` (warning).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Context, Decimal
from enum import StrEnum
from typing import Any

from gengbao.domain.area_units import AreaUnit, from_m2
from gengbao.domain.findings import Finding, Severity

ZERO = Decimal(0)
_EXACT = Context(prec=100)  # cross products of plan sums stay exact


class Direction(StrEnum):
    OUTFLOW = "out"  # 耕地转为其他农用地（出）
    INFLOW = "in"  # 其他农用地转为耕地（进）

    @property
    def label(self) -> str:
        return "出" if self is Direction.OUTFLOW else "进"


class Exemption(StrEnum):
    ECOLOGICAL_RETIREMENT = "ecological_retirement"  # 国家安排的生态退耕
    DISASTER = "disaster"  # 自然灾害损毁难以复耕
    PERMANENT_FLOODING = "permanent_flooding"  # 河湖水面自然扩大造成永久淹没

    @property
    def label(self) -> str:
        return {"ecological_retirement": "国家安排的生态退耕", "disaster": "灾毁难以复耕",
                "permanent_flooding": "河湖水面扩大永久淹没"}[self]


@dataclass(frozen=True, slots=True)
class PlanRow:
    row_id: str
    direction: Direction
    parcel_id: str
    area_m2: Decimal
    date: dt.date  # planned completion
    on_pbf: bool = False
    quality_grade: int | None = None
    exemption: Exemption | None = None
    other_class: str = ""  # the other land class (e.g. 0201 果园) the parcel goes to or comes from


@dataclass(frozen=True, slots=True)
class Plan:
    county: str
    year: int
    rows: tuple[PlanRow, ...]


@dataclass(frozen=True, slots=True)
class PlanCheck:
    county: str
    year: int
    outflow_m2: Decimal  # counted outflow (exemptions excluded)
    exempt_m2: Decimal
    inflow_m2: Decimal
    findings: tuple[Finding, ...]

    @property
    def ok(self) -> bool:
        return not any(f.severity is Severity.ERROR for f in self.findings)

    def to_dict(self) -> dict[str, Any]:
        return {
            "county": self.county, "year": self.year, "ok": self.ok,
            "outflow_m2": str(self.outflow_m2), "outflow_mu": str(mu4(self.outflow_m2)),
            "exempt_m2": str(self.exempt_m2), "inflow_m2": str(self.inflow_m2),
            "inflow_mu": str(mu4(self.inflow_m2)), "findings": [f.to_dict() for f in self.findings],
        }


def mu4(m2: Decimal) -> Decimal:
    return from_m2(m2, AreaUnit.MU).quantize(Decimal("0.0001"))


def shown_m2(v: Decimal) -> str:
    return f"{v} m²（{mu4(v)} 亩）"


def _grade_sums(rows: Sequence[PlanRow]) -> tuple[Decimal, Decimal]:
    """(Σ area × grade, Σ area) over the rows with a grade: the weighted grade is their quotient."""
    graded = [r for r in rows if r.quality_grade is not None]
    return (sum((r.area_m2 * (r.quality_grade or 0) for r in graded), ZERO), sum((r.area_m2 for r in graded), ZERO))


def check_plan(plan: Plan) -> PlanCheck:
    f: list[Finding] = []
    seen: set[str] = set()
    good: list[PlanRow] = []
    for r in plan.rows:
        where = f"第 {r.row_id} 行（地块 {r.parcel_id}）"
        if r.row_id in seen:
            f.append(Finding("balance.plan.duplicate_row", f"{where}重复", feature=r.row_id))
            continue
        seen.add(r.row_id)
        if not r.area_m2.is_finite() or r.area_m2 <= 0:
            f.append(Finding("balance.plan.bad_area", f"{where}面积应为正数：{r.area_m2}", feature=r.row_id,
                             field="area_m2", value=str(r.area_m2)))
            continue
        if r.date.year != plan.year:
            f.append(Finding("balance.plan.date_out_of_year", f"{where}日期 {r.date} 不在 {plan.year} 年内",
                             feature=r.row_id, field="date"))
        if r.direction is Direction.OUTFLOW and r.on_pbf:
            f.append(Finding("balance.plan.outflow_on_pbf", f"{where}位于永久基本农田，不得转出；只有一般耕地可以转出",
                             feature=r.row_id, field="on_pbf"))
        if r.direction is Direction.INFLOW and r.exemption is not None:
            f.append(Finding("balance.plan.exception_on_inflow", f"{where}是转入地块，不能声明{r.exemption.label}",
                             feature=r.row_id, field="exemption"))
        if r.quality_grade is None:
            f.append(Finding("balance.plan.no_grade", f"{where}缺少质量等别，未计入质量比较", Severity.WARNING,
                             feature=r.row_id, field="quality_grade"))
        good.append(r)
    outs = [r for r in good if r.direction is Direction.OUTFLOW and r.exemption is None]
    exempt = [r for r in good if r.direction is Direction.OUTFLOW and r.exemption is not None]
    ins = [r for r in good if r.direction is Direction.INFLOW]
    out_m2 = sum((r.area_m2 for r in outs), ZERO)
    ex_m2 = sum((r.area_m2 for r in exempt), ZERO)
    in_m2 = sum((r.area_m2 for r in ins), ZERO)
    for r in exempt:
        f.append(Finding("balance.plan.exception", f"第 {r.row_id} 行属{r.exemption.label if r.exemption else ''}，"
                         f"{shown_m2(r.area_m2)}不需补进", Severity.INFO, feature=r.row_id))
    if out_m2 > in_m2:
        f.append(Finding("balance.plan.outflow_exceeds_inflow",
                         f"以进定出：计划转出 {shown_m2(out_m2)}，多于计划转入 {shown_m2(in_m2)}，差 {shown_m2(out_m2 - in_m2)}"))
    elif out_m2 > 0 and out_m2 == in_m2:
        f.append(Finding("balance.plan.inflow_not_greater", f"进大于出：转入与转出相等（{shown_m2(in_m2)}），应使转入大于转出",
                         Severity.WARNING))
    f += _in_before_out(outs, ins)
    (w_out, a_out), (w_in, a_in) = _grade_sums(outs), _grade_sums(ins)
    if a_out > 0 and a_in > 0 and _EXACT.multiply(w_in, a_out) > _EXACT.multiply(w_out, a_in):  # exact: weighted grade of inflow is worse
        f.append(Finding("balance.plan.quality_lower",
                         f"质量不降低：转入耕地面积加权平均质量等别 {w_in / a_in:.2f} 低于转出耕地的 {w_out / a_out:.2f}"))
    return PlanCheck(plan.county, plan.year, out_m2, ex_m2, in_m2, tuple(f))


def _in_before_out(outs: list[PlanRow], ins: list[PlanRow]) -> list[Finding]:
    """先进后出: at each outflow date, inflow completed by then ≥ outflow up to then.

    Only timing is judged here: an outflow that no planned inflow covers at all is 以进定出's finding.
    """
    in_total = sum((r.area_m2 for r in ins), ZERO)
    per_day: dict[dt.date, list[Decimal]] = {}
    for r in outs:
        per_day.setdefault(r.date, [ZERO, ZERO])[0] += r.area_m2
    for r in ins:
        per_day.setdefault(r.date, [ZERO, ZERO])[1] += r.area_m2
    late: dict[dt.date, tuple[Decimal, Decimal]] = {}
    out_so_far = in_so_far = ZERO
    for day in sorted(per_day):
        out_so_far += per_day[day][0]
        in_so_far += per_day[day][1]
        if per_day[day][0] > 0 and in_so_far < out_so_far <= in_total:
            late[day] = (in_so_far, out_so_far)
    return [
        Finding("balance.plan.outflow_before_inflow",
                f"先进后出：第 {r.row_id} 行 {r.date} 转出时，已完成转入 {shown_m2(late[r.date][0])}，"
                f"不足累计转出 {shown_m2(late[r.date][1])}", feature=r.row_id, field="date")
        for r in sorted(outs, key=lambda r: (r.date, r.row_id)) if r.date in late
    ]
