"""进出平衡 plan checks against a brute-force second method (Hypothesis)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from gengbao.domain.balance import Direction, Plan, PlanRow, check_plan

rows = st.lists(
    st.tuples(st.sampled_from(list(Direction)), st.decimals(min_value=1, max_value=5000, places=2),
              st.integers(1, 12), st.integers(1, 10)),
    min_size=1, max_size=12)


def plan_of(rs: list[tuple[Direction, Decimal, int, int]]) -> Plan:
    return Plan("360222", 2025, tuple(PlanRow(str(i), d, f"P{i}", a, dt.date(2025, m, 1), quality_grade=g)
                                      for i, (d, a, m, g) in enumerate(rs)))


@settings(max_examples=150, deadline=None)
@given(rows)
def test_against_brute_force(rs: list[tuple[Direction, Decimal, int, int]]) -> None:
    plan = plan_of(rs)
    codes = {f.code for f in check_plan(plan).findings}
    outs = [r for r in plan.rows if r.direction is Direction.OUTFLOW]
    ins = [r for r in plan.rows if r.direction is Direction.INFLOW]
    total_out, total_in = sum(r.area_m2 for r in outs), sum(r.area_m2 for r in ins)
    assert ("balance.plan.outflow_exceeds_inflow" in codes) == (total_out > total_in)
    assert ("balance.plan.inflow_not_greater" in codes) == (0 < total_out == total_in)
    late = any(
        sum(i.area_m2 for i in ins if i.date <= o.date) < sum(x.area_m2 for x in outs if x.date <= o.date) <= total_in
        for o in outs)
    assert ("balance.plan.outflow_before_inflow" in codes) == late
    if outs and ins:  # weighted grades compared as floats far from ties, exactly otherwise
        g_out = sum(r.area_m2 * r.quality_grade for r in outs) / total_out  # type: ignore[operator]
        g_in = sum(r.area_m2 * r.quality_grade for r in ins) / total_in  # type: ignore[operator]
        if abs(g_in - g_out) > Decimal("1e-20"):
            assert ("balance.plan.quality_lower" in codes) == (g_in > g_out)


@settings(max_examples=60, deadline=None)
@given(rows, st.randoms(use_true_random=False))
def test_row_order_does_not_matter(rs: list[tuple[Direction, Decimal, int, int]], rnd) -> None:  # type: ignore[no-untyped-def]
    shuffled = list(rs)
    rnd.shuffle(shuffled)
    a, b = check_plan(plan_of(rs)), check_plan(plan_of(shuffled))
    assert (a.outflow_m2, a.inflow_m2) == (b.outflow_m2, b.inflow_m2)
    assert sorted(f.code for f in a.findings) == sorted(f.code for f in b.findings)
