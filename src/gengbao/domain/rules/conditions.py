"""One condition engine for county-years and cases: does a condition set hold, and on which figures.

Values are exact quotients ``(num, den)`` of Decimals compared by cross-multiplication (no rounding,
no Fractions in the loop); figures for the explanation are built only when the set holds.
"""

from __future__ import annotations

from fractions import Fraction

from gengbao.domain.rules.profile import MEASURES, ConditionSet, Match
from gengbao.domain.rules.thresholds import Figure, Quantity

Values = dict[str, Quantity | None]


def _met(c_measure: str, threshold_holds: bool, prev_holds: bool) -> bool:
    # conditions on cumulative measures must be newly met: passed the line this year, not before
    return threshold_holds and not (c_measure.startswith("cumulative_") and prev_holds)


def test(cset: ConditionSet | None, now: Values, before: Values) -> tuple[bool, list[Figure]]:
    """Whether a condition set holds, and (when it does) every condition's figure."""
    if cset is None or not cset.conditions:
        return False, []
    results: list[bool] = []
    for c in cset.conditions:
        v, prev = now.get(c.measure), before.get(c.measure)
        holds = v is not None and c.threshold.holds_exact(*v)
        prev_holds = prev is not None and holds and c.threshold.holds_exact(*prev)
        results.append(_met(c.measure, holds, prev_holds))
    held = all(results) if cset.match is Match.ALL else any(results)
    if not held:
        return False, []
    figures: list[Figure] = []
    for c, met in zip(cset.conditions, results, strict=True):
        v = now.get(c.measure)
        spec = MEASURES[c.measure]
        area = v[0] / v[1] if v is not None and spec.kind == "area" else None
        ratio = Fraction(v[0]) / Fraction(v[1]) if v is not None and spec.kind == "ratio" else None
        figures.append(Figure(c.measure, spec.label, m2=area, ratio=ratio, threshold=c.threshold, met=met))
    return True, figures
