"""Per case: criminal-referral flags and the fine range.

Referral (法释〔2000〕14号 as a profile clause): a case is flagged when its own PBF or other farmland
reaches the line; with ``cumulative_per_party`` also when the responsible party's cases so far
(this one included, across the county's history) reach it together. Fine range: the case's
farmland m² × the profile's 元/m² range (100–1000 by default), to the fen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from gengbao.domain.rules.conditions import Values, test
from gengbao.domain.rules.facts import CaseFact, CountyYearFacts, FactSource
from gengbao.domain.rules.profile import RuleProfile
from gengbao.domain.rules.thresholds import Figure, mu4


@dataclass(frozen=True, slots=True)
class CaseOutcome:
    case_id: str
    county: str
    year: int
    responsible_party: str
    farmland_m2: Decimal
    pbf_m2: Decimal
    referral: bool
    referral_reason: str
    cumulative: bool  # flagged only through the party's cumulative figures
    fine_min_yuan: Decimal | None
    fine_max_yuan: Decimal | None
    figures: tuple[Figure, ...]
    source: FactSource

    def to_dict(self) -> dict[str, Any]:
        return {
            "case_id": self.case_id, "county": self.county, "year": self.year,
            "responsible_party": self.responsible_party, "farmland_m2": str(self.farmland_m2),
            "farmland_mu": str(mu4(self.farmland_m2)), "pbf_m2": str(self.pbf_m2), "pbf_mu": str(mu4(self.pbf_m2)),
            "criminal_referral": self.referral, "referral_reason": self.referral_reason,
            "cumulative": self.cumulative,
            "fine_min_yuan": None if self.fine_min_yuan is None else str(self.fine_min_yuan),
            "fine_max_yuan": None if self.fine_max_yuan is None else str(self.fine_max_yuan),
            "figures": [f.to_dict() for f in self.figures], "source": str(self.source),
        }


_ONE = Decimal(1)


def _flag(profile: RuleProfile, farmland: Decimal, pbf: Decimal) -> tuple[bool, list[Figure]]:
    values: Values = {"case_farmland": (farmland, _ONE), "case_pbf": (pbf, _ONE),
                      "case_other_farmland": (farmland - pbf, _ONE)}
    return test(profile.referral, values, {})


def assess_cases(profile: RuleProfile, history: Sequence[CountyYearFacts]) -> tuple[CaseOutcome, ...]:
    out: list[CaseOutcome] = []
    party_totals: dict[str, tuple[Decimal, Decimal]] = {}
    cent = Decimal("0.01")
    for f in history:
        for c in f.cases:
            out.append(_one(profile, f, c, party_totals, cent))
    return tuple(out)


def _one(profile: RuleProfile, f: CountyYearFacts, c: CaseFact, totals: dict[str, tuple[Decimal, Decimal]],
         cent: Decimal) -> CaseOutcome:
    own, figures = _flag(profile, c.farmland_m2, c.pbf_m2)
    reason, cumulative = "", False
    if own:
        reason = "；".join(fig.text() for fig in figures if fig.met)
    if c.responsible_party:
        fa, pb = totals.get(c.responsible_party, (Decimal(0), Decimal(0)))
        fa, pb = fa + c.farmland_m2, pb + c.pbf_m2
        totals[c.responsible_party] = (fa, pb)
        if not own and profile.referral_cumulative:
            held, cum_figs = _flag(profile, fa, pb)
            if held:
                cumulative = True
                reason = f"{c.responsible_party} 累计：" + "；".join(fig.text() for fig in cum_figs if fig.met)
                figures = cum_figs
    fines = profile.fine_per_m2
    lo = hi = None
    if fines is not None:
        lo, hi = (c.farmland_m2 * fines[0]).quantize(cent), (c.farmland_m2 * fines[1]).quantize(cent)
    return CaseOutcome(
        c.case_id, f.county, f.year, c.responsible_party, c.farmland_m2, c.pbf_m2, own or cumulative, reason,
        cumulative, lo, hi, tuple(figures), f.source,
    )
