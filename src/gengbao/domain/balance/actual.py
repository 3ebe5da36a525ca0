"""The year's actual outflow and inflow (from monitoring) against the plan.

Findings: ``balance.actual.outflow_over_plan`` (more farmland went out than planned),
``balance.actual.inflow_short`` (warning: less came in than planned), ``balance.actual.unbalanced``
(counted outflow exceeds inflow: 以进定出 failed in fact), ``balance.actual.outflow_on_pbf``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from gengbao.domain.balance.plan import PlanCheck, mu4, shown_m2
from gengbao.domain.errors import InputError
from gengbao.domain.findings import Finding, Severity


@dataclass(frozen=True, slots=True)
class ActualFlows:
    county: str
    year: int
    outflow_m2: Decimal  # counted outflow (exempt kinds excluded)
    inflow_m2: Decimal
    exempt_m2: Decimal = Decimal(0)
    outflow_on_pbf_m2: Decimal = Decimal(0)
    source: str = "monitoring"  # where the figures come from (monitoring run id, survey epoch pair)


@dataclass(frozen=True, slots=True)
class Comparison:
    county: str
    year: int
    planned_out_m2: Decimal
    planned_in_m2: Decimal
    actual_out_m2: Decimal
    actual_in_m2: Decimal
    findings: tuple[Finding, ...]

    @property
    def balanced(self) -> bool:
        return self.actual_in_m2 >= self.actual_out_m2

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"county": self.county, "year": self.year, "balanced": self.balanced}
        for k in ("planned_out_m2", "planned_in_m2", "actual_out_m2", "actual_in_m2"):
            v = getattr(self, k)
            d[k], d[k.replace("_m2", "_mu")] = str(v), str(mu4(v))
        return d | {"findings": [f.to_dict() for f in self.findings]}


def compare(plan: PlanCheck, actual: ActualFlows) -> Comparison:
    if (plan.county, plan.year) != (actual.county, actual.year):
        raise InputError(f"方案（{plan.county} {plan.year} 年）与实际（{actual.county} {actual.year} 年）不是同一县同一年",
                         code="balance.actual.mismatch")
    for v in (actual.outflow_m2, actual.inflow_m2, actual.exempt_m2, actual.outflow_on_pbf_m2):
        if not v.is_finite() or v < 0:
            raise InputError(f"县 {actual.county} {actual.year} 年实际进出面积不能为负：{v}", code="balance.actual.bad_area")
    f: list[Finding] = []
    if actual.outflow_m2 > plan.outflow_m2:
        f.append(Finding("balance.actual.outflow_over_plan",
                         f"实际转出 {shown_m2(actual.outflow_m2)}，超过计划 {shown_m2(plan.outflow_m2)}"))
    if actual.inflow_m2 < plan.inflow_m2:
        f.append(Finding("balance.actual.inflow_short", f"实际转入 {shown_m2(actual.inflow_m2)}，少于计划 {shown_m2(plan.inflow_m2)}",
                         Severity.WARNING))
    if actual.outflow_m2 > actual.inflow_m2:
        f.append(Finding("balance.actual.unbalanced",
                         f"以进定出未落实：实际转出 {shown_m2(actual.outflow_m2)}，转入 {shown_m2(actual.inflow_m2)}"))
    if actual.outflow_on_pbf_m2 > 0:
        f.append(Finding("balance.actual.outflow_on_pbf", f"永久基本农田实际转出 {shown_m2(actual.outflow_on_pbf_m2)}"))
    return Comparison(actual.county, actual.year, plan.outflow_m2, plan.inflow_m2, actual.outflow_m2,
                      actual.inflow_m2, tuple(f))
