"""Builders for rule tests."""

from __future__ import annotations

from decimal import Decimal

from gengbao.adapters.rule_profiles import load_profile
from gengbao.domain.rules import CaseFact, CountyYearFacts, Decision, FactSource, RuleProfile

D = Decimal
DEFAULT = load_profile()
NATIONAL = load_profile("national_15pct_province.yaml")


def year(county: str, y: int, farmland: str, pbf: str = "0", num: str | None = None, den: str = "1000000",
         **kw: object) -> CountyYearFacts:
    return CountyYearFacts(county, y, D(farmland), D(pbf), D(num if num is not None else farmland), D(den),
                           **{"targets_met": True, "offset_achieved": True, **kw})  # type: ignore[arg-type]


def outcomes(profile: RuleProfile, history: list[CountyYearFacts]) -> dict[int, list[str]]:
    from gengbao.domain.rules import evaluate_county

    res = evaluate_county(profile, history)
    by: dict[int, list[str]] = {f.year: [] for f in history}
    for o in res.outcomes:
        by[o.year].append(str(o.consequence))
    return {y: sorted(v) for y, v in by.items()}


__all__ = ["D", "DEFAULT", "NATIONAL", "CaseFact", "Decision", "FactSource", "outcomes", "year"]
