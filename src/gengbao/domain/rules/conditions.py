"""One condition engine for county-years and cases: does a condition set hold, and on which figures."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from gengbao.domain.rules.profile import MEASURES, ConditionSet, Match
from gengbao.domain.rules.thresholds import Figure

Values = dict[str, Fraction | None]


def test(cset: ConditionSet | None, now: Values, before: Values) -> tuple[bool, list[Figure]]:
    """Whether a condition set holds; conditions on cumulative measures must be newly met."""
    if cset is None or not cset.conditions:
        return False, []
    results: list[bool] = []
    figures: list[Figure] = []
    for c in cset.conditions:
        v, prev = now.get(c.measure), before.get(c.measure)
        met = v is not None and c.threshold.holds(v)
        if met and c.measure.startswith("cumulative_") and prev is not None and c.threshold.holds(prev):
            met = False  # passed the line in an earlier year
        spec = MEASURES[c.measure]
        area = Decimal(v.numerator) / Decimal(v.denominator) if v is not None and spec.kind == "area" else None
        figures.append(Figure(c.measure, spec.label, m2=area, ratio=v if spec.kind == "ratio" else None,
                              threshold=c.threshold, met=met))
        results.append(met)
    held = all(results) if cset.match is Match.ALL else any(results)
    return held, figures
