"""Rectification (一案一策, DOMAIN.md §5, seed 003): a plan with a deadline and a way, and progress
reports that carry areas in m² (Decimal).

Invariants, held by construction and checked by :meth:`Progress.check` at every step:
total = rectified + unrectified; rectified = demolished + legalised; nothing negative. A confiscated
building (没收) is reported under ``legalised``: the land's use is regularised by the state taking it
over, not restored. Rectification is complete when the unrectified area is 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

from gengbao.domain.errors import InputError

DEFAULT_DEADLINE_DAYS = 60


class Way(StrEnum):
    DEMOLISH = "demolish"
    LEGALISE = "legalise"
    CONFISCATE = "confiscate"

    @property
    def label(self) -> str:
        return {Way.DEMOLISH: "拆除复耕", Way.LEGALISE: "补办手续", Way.CONFISCATE: "没收"}[self]


def parse_way(text: str) -> Way:
    for w in Way:
        if text in (w.value, w.label):
            return w
    raise InputError(f"不认识的整改方式“{text}”。可用：拆除复耕（demolish）、补办手续（legalise）、没收（confiscate）",
                     code="cases.unknown_way", value=text)


@dataclass(frozen=True, slots=True)
class Plan:
    way: Way
    deadline: date
    approval_id: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"way": str(self.way), "way_label": self.way.label, "deadline": self.deadline.isoformat(),
                "approval_id": self.approval_id or None}


def make_plan(way: Way, judged_on: date, deadline: date | None = None, approval_id: str = "",
              days: int = DEFAULT_DEADLINE_DAYS) -> Plan:
    if way is Way.LEGALISE and not approval_id:
        raise InputError("补办手续的整改方案须填写补办的批准文号（--approval）。", code="cases.missing_approval",
                         field="approval")
    due = deadline or judged_on + timedelta(days=days)
    if due < judged_on:
        raise InputError(f"整改期限 {due} 早于认定日期 {judged_on}。", code="cases.deadline_before_judgement")
    return Plan(way, due, approval_id)


class InvariantBroken(InputError):
    code = "cases.area_invariant"
    default_message = "整改面积不平衡"


@dataclass(frozen=True, slots=True)
class Progress:
    total_m2: Decimal
    demolished_m2: Decimal = Decimal(0)
    legalised_m2: Decimal = Decimal(0)

    @property
    def rectified_m2(self) -> Decimal:
        return self.demolished_m2 + self.legalised_m2

    @property
    def unrectified_m2(self) -> Decimal:
        return self.total_m2 - self.rectified_m2

    @property
    def complete(self) -> bool:
        return self.unrectified_m2 == 0

    def check(self) -> None:
        for name, v in (("总面积", self.total_m2), ("已拆除", self.demolished_m2), ("已补办", self.legalised_m2),
                        ("未整改", self.unrectified_m2)):
            if v < 0:
                raise InvariantBroken(f"{name}面积为 {v} m²，不能为负：已整改（拆除 {self.demolished_m2} + 补办 "
                                      f"{self.legalised_m2}）不能超过违法面积 {self.total_m2}。",
                                      field=name, value=str(v))

    def report(self, demolished_m2: Decimal = Decimal(0), legalised_m2: Decimal = Decimal(0)) -> Progress:
        """A progress report adds areas; the result is checked before it is returned."""
        if demolished_m2 < 0 or legalised_m2 < 0:
            raise InvariantBroken("进度报告的面积不能为负。", value=f"{demolished_m2}/{legalised_m2}")
        nxt = Progress(self.total_m2, self.demolished_m2 + demolished_m2, self.legalised_m2 + legalised_m2)
        nxt.check()
        return nxt

    def to_dict(self) -> dict[str, Any]:
        return {"total_m2": str(self.total_m2), "demolished_m2": str(self.demolished_m2),
                "legalised_m2": str(self.legalised_m2), "rectified_m2": str(self.rectified_m2),
                "unrectified_m2": str(self.unrectified_m2), "complete": self.complete}


def days_overdue(deadline: date, today: date, complete: bool) -> int:
    """Days past the deadline of an unfinished rectification (0 when not overdue)."""
    return 0 if complete else max(0, (today - deadline).days)
