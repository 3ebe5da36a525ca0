"""Rule evaluation invariants (Hypothesis): causality, and the warning lines against integer arithmetic."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from gengbao.domain.rules import evaluate_county
from tests.domain.rules.helpers import DEFAULT, year

area = st.decimals(min_value=0, max_value=80_000, places=2)
years = st.lists(st.tuples(area, area, st.booleans(), st.booleans()), min_size=1, max_size=6)


def build(rows: list[tuple[Decimal, Decimal, bool, bool]]) -> list:  # type: ignore[type-arg]
    out = []
    for i, (f, p, targets, rect) in enumerate(rows):
        pbf = min(f, p)
        out.append(year("360222", 2020 + i, str(f), pbf=str(pbf), num=str(f), den=str(max(f * 5, Decimal(1))),
                        targets_met=targets, rectified=rect))
    return out


@settings(max_examples=80, deadline=None)
@given(years)
def test_outcomes_of_a_year_do_not_depend_on_later_years(rows: list[tuple[Decimal, Decimal, bool, bool]]) -> None:
    history = build(rows)
    full = evaluate_county(DEFAULT, history).outcomes
    for k in range(1, len(history) + 1):
        part = evaluate_county(DEFAULT, history[:k]).outcomes
        assert part == tuple(o for o in full if o.year < 2020 + k)


@settings(max_examples=80, deadline=None)
@given(years)
def test_general_warning_exactly_when_over_the_line(rows: list[tuple[Decimal, Decimal, bool, bool]]) -> None:
    history = build(rows)
    warned = {o.year for o in evaluate_county(DEFAULT, history).outcomes if o.consequence == "general_warning"}
    # over 10 亩 ⇔ m² × 15 > 100000; over 5 亩 ⇔ m² × 15 > 50000 (integer arithmetic on cents)
    expected = {f.year for f in history
                if int(f.illegal_farmland_m2 * 100) * 15 > 10_000_000 or int(f.illegal_pbf_m2 * 100) * 15 > 5_000_000}
    assert warned == expected
