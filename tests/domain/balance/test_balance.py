"""进出平衡 plan checks, plan vs actual, 以补定占 and gap recovery, with hand-worked figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from gengbao.domain.balance import (
    ActualFlows,
    Direction,
    Exemption,
    Plan,
    PlanRow,
    check_occupation,
    check_plan,
    compare,
    gap_recovery,
    occupation_cap,
    stable_farmland_m2,
)
from gengbao.domain.errors import InputError

D = Decimal
OUT, IN = Direction.OUTFLOW, Direction.INFLOW
C = "360222"


def row(i: str, d: Direction, area: str, month: int, grade: int | None = 5, **kw: object) -> PlanRow:
    return PlanRow(i, d, f"P{i}", D(area), dt.date(2025, month, 1), quality_grade=grade, **kw)  # type: ignore[arg-type]


def codes(rows: list[PlanRow]) -> list[str]:
    return sorted(f.code for f in check_plan(Plan(C, 2025, tuple(rows))).findings)


def test_clean_plan_totals() -> None:
    chk = check_plan(Plan(C, 2025, (row("1", IN, "3000", 3), row("2", OUT, "2000", 4),
                                    row("3", OUT, "500", 5, exemption=Exemption.DISASTER))))
    assert chk.ok and (chk.outflow_m2, chk.exempt_m2, chk.inflow_m2) == (D(2000), D(500), D(3000))
    assert [f.code for f in chk.findings] == ["balance.plan.exception"]
    assert chk.to_dict()["inflow_mu"] == "4.5000"


def test_rules_each_with_its_code() -> None:
    assert codes([row("1", IN, "1000", 3), row("2", OUT, "1000.01", 4)]) == ["balance.plan.outflow_exceeds_inflow"]
    assert codes([row("1", IN, "1000", 3), row("2", OUT, "1000", 4)]) == ["balance.plan.inflow_not_greater"]
    # 先进后出: the outflow in February comes before the March inflow that covers it
    assert codes([row("1", IN, "3000", 3), row("2", OUT, "1000", 2)]) == ["balance.plan.outflow_before_inflow"]
    assert codes([row("1", IN, "3000", 3), row("2", OUT, "1000", 4, on_pbf=True)]) == ["balance.plan.outflow_on_pbf"]
    # quality: inflow grade (2000×6 + 2000×8)/4000 = 7 is worse than outflow grade 6
    assert codes([row("1", IN, "2000", 3, grade=6), row("3", IN, "2000", 3, grade=8), row("2", OUT, "1000", 4, grade=6)]
                 ) == ["balance.plan.quality_lower"]
    assert codes([row("1", IN, "2000", 3, grade=6), row("2", OUT, "1000", 4, grade=7)]) == []


def test_bad_rows() -> None:
    assert codes([row("1", IN, "-5", 3)]) == ["balance.plan.bad_area"]
    assert codes([row("1", IN, "5", 3), row("1", IN, "5", 3)]) == ["balance.plan.duplicate_row"]
    r = PlanRow("9", IN, "X", D(5), dt.date(2024, 12, 31), quality_grade=5)
    assert codes([r]) == ["balance.plan.date_out_of_year"]
    assert codes([row("1", IN, "5", 3, exemption=Exemption.PERMANENT_FLOODING)]) == ["balance.plan.exception_on_inflow"]
    assert codes([row("1", IN, "5", 3, grade=None)]) == ["balance.plan.no_grade"]


def test_actual_against_plan() -> None:
    plan = check_plan(Plan(C, 2025, (row("1", IN, "3000", 3), row("2", OUT, "2000", 4))))
    cmp = compare(plan, ActualFlows(C, 2025, D(2500), D(2400), outflow_on_pbf_m2=D(10)))
    assert sorted(f.code for f in cmp.findings) == [
        "balance.actual.inflow_short", "balance.actual.outflow_on_pbf", "balance.actual.outflow_over_plan",
        "balance.actual.unbalanced"]
    assert not cmp.balanced and cmp.to_dict()["actual_out_mu"] == "3.7500"
    assert compare(plan, ActualFlows(C, 2025, D(2000), D(3000))).findings == ()
    with pytest.raises(InputError) as e:
        compare(plan, ActualFlows("360281", 2025, D(1), D(1)))
    assert e.value.code == "balance.actual.mismatch"


def test_occupation_cap() -> None:
    parcels = [("0101", D("1000"), None), ("0103", D("500"), "HDGD"), ("0102", D("200"), ""), ("0201", D("900"), None)]
    assert stable_farmland_m2(parcels) == D(1200)
    cap = occupation_cap(C, 2024, D("100000"), D("90000"), shortfall_m2=D("4000"))
    assert (cap.year, cap.net_increase_m2, cap.to_shortfall_m2, cap.cap_m2) == (2025, D(10000), D(4000), D(6000))
    assert occupation_cap(C, 2024, D("100000"), D("90000"), D("4000"), cover_shortfall=False).cap_m2 == D(10000)
    assert occupation_cap(C, 2024, D("80000"), D("90000")).cap_m2 == 0  # a net loss gives no room
    assert [f.code for f in check_occupation(cap, D("6000.01"))] == ["balance.cap.exceeded"]
    assert check_occupation(cap, D("6000")) == []
    with pytest.raises(InputError) as e:
        occupation_cap(C, 2024, D("-1"), D("0"))
    assert e.value.code == "balance.cap.bad_area"


@pytest.mark.parametrize(("gap", "task"), [("2.5214", "0.2521"), ("-0.1496", "0.0000"), ("9.1627", "0.9163"),
                                            ("0.4577", "0.0458"), ("6.3331", "0.6333")])
def test_gap_recovery_tasks_from_seed_001(gap: str, task: str) -> None:
    assert gap_recovery(C, 2024, D(gap), D(0)).task_wan_mu == D(task)


def test_gap_recovery_compared_exactly() -> None:
    # 0.2521 万亩 = 0.2521 × 10⁸ / 15 m² = 1680666.666… m²
    assert not gap_recovery(C, 2024, D("2.5214"), D("1680666.66")).done
    g = gap_recovery(C, 2024, D("2.5214"), D("1680666.67"))
    assert g.done and g.to_dict()["achieved_wan_mu"] == "0.2521"
