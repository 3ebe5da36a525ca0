"""Accountability rule profiles (警示约谈问责规则) as typed values; :mod:`.schema` builds them from data.

A profile is one region's rules, versioned: which figures escalate to which consequence, each
clause with its own paraphrased text so that an outcome can cite it. Figures are the *measures*
below; a clause's condition holds each measure to a :class:`Threshold`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from gengbao.domain.rules.thresholds import Threshold

SCHEMA = "gengbao.rules/1"


class Reading(StrEnum):
    """How "首次超过" (first exceeds) is read."""

    PER_YEAR = "per_year"  # each year's new illegal occupation is held to the line on its own
    CUMULATIVE = "cumulative"  # the running total since the history's start, once, when first over


class Scope(StrEnum):
    YEAR = "year"  # per county per year
    CASE = "case"  # per case


@dataclass(frozen=True, slots=True)
class MeasureSpec:
    label: str
    kind: str  # area | ratio
    scope: Scope


MEASURES: dict[str, MeasureSpec] = {
    "illegal_farmland": MeasureSpec("年度违法占用耕地面积", "area", Scope.YEAR),
    "illegal_pbf": MeasureSpec("年度违法占用永久基本农田面积", "area", Scope.YEAR),
    "cumulative_illegal_farmland": MeasureSpec("累计违法占用耕地面积", "area", Scope.YEAR),
    "cumulative_illegal_pbf": MeasureSpec("累计违法占用永久基本农田面积", "area", Scope.YEAR),
    "key_ratio": MeasureSpec("违法占用耕地面积比例", "ratio", Scope.YEAR),
    "case_farmland": MeasureSpec("案件违法占用耕地面积", "area", Scope.CASE),
    "case_pbf": MeasureSpec("案件违法占用永久基本农田面积", "area", Scope.CASE),
    "case_other_farmland": MeasureSpec("案件违法占用永久基本农田以外耕地面积", "area", Scope.CASE),
}


class Match(StrEnum):
    ALL = "all"
    ANY = "any"


@dataclass(frozen=True, slots=True)
class Condition:
    measure: str
    threshold: Threshold


@dataclass(frozen=True, slots=True)
class ConditionSet:
    match: Match
    conditions: tuple[Condition, ...]


class Consequence(StrEnum):
    GENERAL_WARNING = "general_warning"
    KEY_WARNING = "key_warning"
    SUMMONS = "summons"
    ACCOUNTABILITY = "accountability"
    CITY_HANDLING = "city_handling"
    APPROVAL_SUSPENSION = "approval_suspension"
    VETO = "veto"
    DISCIPLINE = "discipline"
    FREEZE = "freeze"

    @property
    def label(self) -> str:
        return {
            "general_warning": "一般警示", "key_warning": "重点警示", "summons": "约谈",
            "accountability": "追责问责", "city_handling": "由市委市政府处理",
            "approval_suspension": "暂停农用地转用和土地征收审批", "veto": "一票否决",
            "discipline": "追究党纪政纪责任（15% 红线）", "freeze": "冻结占补平衡指标",
        }[self]


@dataclass(frozen=True, slots=True)
class Clause:
    """A clause as the profile states it: its id, a short title and its paraphrased text."""

    id: str
    title: str
    text: str


@dataclass(frozen=True, slots=True)
class RuleProfile:
    id: str
    name: str
    region: str
    version: str
    source: str
    reading: Reading
    clauses: dict[str, Clause]
    general_warning: ConditionSet
    key_warning_consecutive: int | None
    key_warning: ConditionSet | None
    summons_judgement: bool
    summons: ConditionSet | None
    accountability_consecutive_key: int | None
    accountability_after_summons: bool  # a general warning again after a summons counts as "still serious"
    accountability_serious_consequences: bool
    city_handling_at_least: int | None
    suspension_triggers: tuple[Consequence, ...]
    veto_targets_not_met: bool
    veto_offset_not_achieved: bool
    veto: ConditionSet | None
    discipline: ConditionSet | None
    freeze: bool
    referral: ConditionSet | None
    referral_cumulative: bool
    fine_per_m2: tuple[Decimal, Decimal] | None

    def clause(self, consequence: Consequence | str) -> Clause:
        key = str(consequence)
        return self.clauses.get(key, Clause(key, key, ""))
