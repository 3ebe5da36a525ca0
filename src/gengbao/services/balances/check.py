"""See the package docstring."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from gengbao.adapters.balance_plans import read_plan
from gengbao.adapters.ledger_reports import Table, write_report
from gengbao.domain.balance import ActualFlows, Comparison, Plan, PlanCheck, check_plan, compare
from gengbao.domain.ledger.book import check_county


@dataclass(frozen=True, slots=True)
class BalanceReport:
    file: str
    plan: Plan
    check: PlanCheck
    comparison: Comparison | None

    @property
    def ok(self) -> bool:
        return self.check.ok and (self.comparison is None or not self.comparison.findings)

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "file": self.file, "rows": len(self.plan.rows), "plan": self.check.to_dict(),
                "actual": None if self.comparison is None else self.comparison.to_dict()}


def check_plan_file(path: Path, county: str, year: int, layer: str | None = None,
                    actual_out_m2: Decimal | None = None, actual_in_m2: Decimal | None = None,
                    actual_pbf_out_m2: Decimal = Decimal(0)) -> BalanceReport:
    check_county(county)
    plan = Plan(county, year, tuple(read_plan(path, layer)))
    chk = check_plan(plan)
    cmp = None
    if actual_out_m2 is not None or actual_in_m2 is not None:
        cmp = compare(chk, ActualFlows(county, year, actual_out_m2 or Decimal(0), actual_in_m2 or Decimal(0),
                                       outflow_on_pbf_m2=actual_pbf_out_m2))
    return BalanceReport(Path(path).name, plan, chk, cmp)


def export_report(report: BalanceReport, path: Path) -> Path:
    c = report.check
    rows: list[list[object]] = [
        ["计划转出（计入平衡）", c.outflow_m2], ["计划转出（例外情形）", c.exempt_m2], ["计划转入", c.inflow_m2]]
    if report.comparison is not None:
        rows += [["实际转出", report.comparison.actual_out_m2], ["实际转入", report.comparison.actual_in_m2]]
    findings = list(c.findings) + (list(report.comparison.findings) if report.comparison else [])
    sheet = Table("进出平衡", f"{c.county} {c.year} 年耕地进出平衡表", ["项目", "面积（平方米）"], rows,
                  note=f"方案文件 {report.file}", formats={1: "0.00"}, widths=[28, 18])
    notes = Table("检查结果", "检查结果", ["代码", "级别", "说明", "行"],
                  [[f.code, str(f.severity), f.message, f.feature or ""] for f in findings], widths=[36, 10, 80, 10])
    return write_report(path, [sheet, notes])
