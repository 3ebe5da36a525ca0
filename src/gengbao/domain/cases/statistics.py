"""Case statistics per county and year, from judged results (not prejudgements). Definitions
(also in docs/cases.md):

- ``cases_by_state``: number of cases (split parents excluded: their sub-patches are counted) by state.
- ``illegal_farmland_m2`` / ``illegal_pbf_m2``: farmland / PBF area of cases judged 非农违法 or 非粮违法
  (reviewed or not), the non-agricultural (``..._non_agricultural_...``) part also separately.
- ``rectified_m2`` / ``unrectified_m2``: sums of the rectification progress of violations (a violation
  without a plan is wholly unrectified); ``rectified_share`` = rectified ÷ violation area.
- ``unrectified_farmland_share`` (未整改耕地面积占违法耕地面积比例): Σ farmland × unrectified ÷ total
  per violation, over illegal farmland.
- ``overdue``: violations not fully rectified whose deadline lies before the reference date.
- ``key_ratio`` (违法占耕比例, judged): farmland of 非农违法 cases ÷ farmland of every case judged as
  real construction (合法, 其他, 非农违法); 伪变化, 实地未变化 and 非粮违法 are outside the denominator.
  None when the denominator is 0.
- ``key_ratio_deducted`` (扣减后): the same with cases judged to be provincial key projects
  (``Judgement.key_project``) removed from numerator and denominator.
The year of a case is the year its clue was opened.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from gengbao.domain.cases.judgement import Category
from gengbao.domain.cases.states import CaseState

CONSTRUCTION_JUDGED = frozenset({Category.LAWFUL, Category.OTHER, Category.ILLEGAL_NON_AGRICULTURAL})


@dataclass(frozen=True, slots=True)
class CaseRow:
    county: str
    year: int
    state: CaseState
    category: Category | None
    area_m2: Decimal
    farmland_m2: Decimal
    pbf_m2: Decimal
    rectified_m2: Decimal = Decimal(0)
    overdue: bool = False
    key_project: bool = False


@dataclass(slots=True)
class CaseStats:
    county: str
    year: int
    cases_by_state: dict[str, int] = field(default_factory=dict)
    violations: int = 0
    illegal_area_m2: Decimal = Decimal(0)
    illegal_farmland_m2: Decimal = Decimal(0)
    illegal_pbf_m2: Decimal = Decimal(0)
    illegal_non_agricultural_farmland_m2: Decimal = Decimal(0)
    illegal_non_grain_farmland_m2: Decimal = Decimal(0)
    rectified_m2: Decimal = Decimal(0)
    unrectified_farmland_m2: Decimal = Decimal(0)
    construction_farmland_m2: Decimal = Decimal(0)
    key_project_illegal_farmland_m2: Decimal = Decimal(0)
    key_project_construction_farmland_m2: Decimal = Decimal(0)
    overdue: int = 0

    @property
    def unrectified_m2(self) -> Decimal:
        return self.illegal_area_m2 - self.rectified_m2

    @property
    def rectified_share(self) -> Decimal | None:
        return None if self.illegal_area_m2 == 0 else self.rectified_m2 / self.illegal_area_m2

    @property
    def unrectified_farmland_share(self) -> Decimal | None:
        return None if self.illegal_farmland_m2 == 0 else self.unrectified_farmland_m2 / self.illegal_farmland_m2

    @property
    def key_ratio(self) -> Decimal | None:
        d = self.construction_farmland_m2
        return None if d == 0 else self.illegal_non_agricultural_farmland_m2 / d

    @property
    def key_ratio_deducted(self) -> Decimal | None:
        d = self.construction_farmland_m2 - self.key_project_construction_farmland_m2
        return None if d == 0 else (self.illegal_non_agricultural_farmland_m2 - self.key_project_illegal_farmland_m2) / d

    def to_dict(self) -> dict[str, Any]:
        def share(v: Decimal | None) -> str | None:
            return None if v is None else str(v.quantize(Decimal("0.0001")))
        return {"county": self.county, "year": self.year, "cases_by_state": dict(sorted(self.cases_by_state.items())),
                "violations": self.violations, "illegal_area_m2": str(self.illegal_area_m2),
                "illegal_farmland_m2": str(self.illegal_farmland_m2), "illegal_pbf_m2": str(self.illegal_pbf_m2),
                "illegal_non_agricultural_farmland_m2": str(self.illegal_non_agricultural_farmland_m2),
                "illegal_non_grain_farmland_m2": str(self.illegal_non_grain_farmland_m2),
                "rectified_m2": str(self.rectified_m2), "unrectified_m2": str(self.unrectified_m2),
                "rectified_share": share(self.rectified_share),
                "unrectified_farmland_share": share(self.unrectified_farmland_share),
                "key_ratio": share(self.key_ratio), "key_ratio_deducted": share(self.key_ratio_deducted),
                "overdue": self.overdue}


def summarise(rows: Iterable[CaseRow]) -> list[CaseStats]:
    out: dict[tuple[str, int], CaseStats] = {}
    for r in rows:
        if r.state is CaseState.SPLIT:
            continue
        st = out.setdefault((r.county, r.year), CaseStats(r.county, r.year))
        st.cases_by_state[str(r.state)] = st.cases_by_state.get(str(r.state), 0) + 1
        if r.category in CONSTRUCTION_JUDGED:
            st.construction_farmland_m2 += r.farmland_m2
            if r.key_project:
                st.key_project_construction_farmland_m2 += r.farmland_m2
                if r.category is Category.ILLEGAL_NON_AGRICULTURAL:
                    st.key_project_illegal_farmland_m2 += r.farmland_m2
        if r.category is None or not r.category.is_violation:
            continue
        st.violations += 1
        st.illegal_area_m2 += r.area_m2
        st.illegal_farmland_m2 += r.farmland_m2
        st.illegal_pbf_m2 += r.pbf_m2
        if r.category is Category.ILLEGAL_NON_AGRICULTURAL:
            st.illegal_non_agricultural_farmland_m2 += r.farmland_m2
        else:
            st.illegal_non_grain_farmland_m2 += r.farmland_m2
        st.rectified_m2 += r.rectified_m2
        if r.area_m2 > 0:
            st.unrectified_farmland_m2 += r.farmland_m2 * (r.area_m2 - r.rectified_m2) / r.area_m2
        st.overdue += int(r.overdue)
    return [out[k] for k in sorted(out)]
