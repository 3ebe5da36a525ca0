"""The facts a rule evaluation consumes: per county per year, and per case.

Year Y's facts are the changes between the survey epoch of year Y−1 and that of year Y (epochs
stand for 31 December). They come from judged cases when a county's cases are judged, else from
the monitoring prejudgment; :class:`FactSource` says which, and every outcome repeats it.
Summons and "serious consequences" are judgements made by people: they come in as decisions with
who decided.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Protocol

from gengbao.domain.errors import InputError

ZERO = Decimal(0)


class FactSource(StrEnum):
    JUDGED_CASES = "judged_cases"
    MONITORING = "monitoring_prejudgment"

    @property
    def label(self) -> str:
        return "案件判定结果" if self is FactSource.JUDGED_CASES else "监测预判（尚未判定）"


@dataclass(frozen=True, slots=True)
class CaseFact:
    case_id: str
    farmland_m2: Decimal  # farmland illegally occupied, PBF included
    pbf_m2: Decimal = ZERO  # of which PBF
    responsible_party: str = ""
    non_agricultural: bool = True  # 非农建设 (credits are frozen for these, measure 38)

    @property
    def other_farmland_m2(self) -> Decimal:
        return self.farmland_m2 - self.pbf_m2


@dataclass(frozen=True, slots=True)
class Decision:
    """A judgement input (约谈, 造成严重后果): what was decided, by whom, when."""

    decided_by: str
    date: dt.date
    reason: str


@dataclass(frozen=True, slots=True)
class CountyYearFacts:
    county: str
    year: int
    illegal_farmland_m2: Decimal
    illegal_pbf_m2: Decimal
    ratio_numerator_m2: Decimal  # illegal farmland occupation counted by the key ratio
    ratio_denominator_m2: Decimal  # all farmland actually occupied by new construction in the year
    targets_met: bool | None = None  # None: not known yet
    offset_achieved: bool | None = None
    summons: tuple[Decision, ...] = ()
    serious_consequences: tuple[Decision, ...] = ()
    rectified: bool = False  # earlier key warnings/summons/accountability rectified during the year
    cases: tuple[CaseFact, ...] = ()
    source: FactSource = FactSource.JUDGED_CASES


class FactsProvider(Protocol):
    """The seam through which cases and monitoring feed rule evaluation: every county's facts for each
    year up to ``year`` (judged cases where a county's cases are judged, else the prejudgment)."""

    def facts(self, year: int) -> Sequence[CountyYearFacts]: ...


def _area(v: Decimal, what: str, where: str) -> None:
    if not isinstance(v, Decimal) or not v.is_finite() or v < 0:
        raise InputError(f"{where} 的{what}应为非负数：{v!r}", code="rules.facts.negative_area", value=repr(v))


def check_history(history: Sequence[CountyYearFacts]) -> list[CountyYearFacts]:
    """One county's years, sorted, checked: areas non-negative, PBF within farmland, no gap or repeat."""
    ordered = sorted(history, key=lambda f: f.year)
    for i, f in enumerate(ordered):
        where = f"县 {f.county} {f.year} 年"
        if f.county != ordered[0].county:
            raise InputError(f"一段历史只能属于一个县：{ordered[0].county} 与 {f.county}", code="rules.facts.mixed_county")
        if i and f.year == ordered[i - 1].year:
            raise InputError(f"{where} 的事实重复", code="rules.facts.duplicate_year")
        if i and f.year != ordered[i - 1].year + 1:
            raise InputError(
                f"县 {f.county} 缺少 {ordered[i - 1].year + 1} 年的事实（连续年份才能判断“连续两次”）",
                code="rules.facts.year_gap")
        for v, what in ((f.illegal_farmland_m2, "违法占用耕地面积"), (f.illegal_pbf_m2, "违法占用永久基本农田面积"),
                        (f.ratio_numerator_m2, "比例分子"), (f.ratio_denominator_m2, "比例分母")):
            _area(v, what, where)
        if f.illegal_pbf_m2 > f.illegal_farmland_m2:
            raise InputError(f"{where} 违法占用永久基本农田面积大于违法占用耕地面积",
                             code="rules.facts.pbf_exceeds_farmland")
        if f.ratio_numerator_m2 > f.ratio_denominator_m2:
            raise InputError(f"{where} 违法占用耕地面积比例的分子大于分母", code="rules.facts.ratio_over_one")
        for c in f.cases:
            _area(c.farmland_m2, "案件占用耕地面积", f"{where}案件 {c.case_id}")
            _area(c.pbf_m2, "案件占用永久基本农田面积", f"{where}案件 {c.case_id}")
            if c.pbf_m2 > c.farmland_m2:
                raise InputError(f"{where}案件 {c.case_id} 占用永久基本农田面积大于占用耕地面积",
                                 code="rules.facts.pbf_exceeds_farmland")
    return ordered
