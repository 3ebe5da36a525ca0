"""Ledger profiles: which farmland losses enter the offset ledger, and the trade price caps.

Before the 2024 reform only construction occupation had to be offset (other losses were the
inflow/outflow balance's business); from the reform on every farmland loss — construction, and
farmland turned to orchard, forest, grass or pond — enters one ledger (seed 001 measure 17).
The switch date is a parameter (default 2024-01-01, verify locally). Price caps are local.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from gengbao.domain.errors import RuleError
from gengbao.domain.ledger.model import Commodity


class LossKind(StrEnum):
    """How farmland was lost."""

    CONSTRUCTION = "construction"  # 非农建设
    ORCHARD = "orchard"  # 园地（果、茶）
    FOREST = "forest"  # 林地（造林种树）
    GRASS = "grass"  # 草地
    POND = "pond"  # 坑塘水面
    OTHER_AGRICULTURAL = "other_agricultural"  # 其他农用地、设施农用地

    @property
    def label(self) -> str:
        return {
            "construction": "非农建设", "orchard": "转为园地", "forest": "转为林地", "grass": "转为草地",
            "pond": "转为坑塘水面", "other_agricultural": "转为其他农用地",
        }[self]


@dataclass(frozen=True, slots=True)
class LedgerProfile:
    id: str
    name: str
    effective_from: dt.date
    all_losses: bool  # True: every farmland loss enters the ledger (2024 rule)
    # unit price caps: 元/亩 for quantity and paddy, 元/kg for grain capacity; None = no cap
    price_caps: dict[Commodity, Decimal] = field(default_factory=dict)

    def enters_ledger(self, loss: LossKind) -> bool:
        return self.all_losses or loss is LossKind.CONSTRUCTION


BEFORE_2024 = LedgerProfile("before_2024", "2024 年改革前：仅非农建设占用纳入占补平衡", dt.date(1900, 1, 1), False)
REFORM_2024 = LedgerProfile(
    "reform_2024", "2024 年改革后：各类耕地减少统一纳入占补平衡", dt.date(2024, 1, 1), True
)
DEFAULT_SCHEDULE: tuple[LedgerProfile, ...] = (BEFORE_2024, REFORM_2024)


@dataclass(frozen=True, slots=True)
class ProfileSchedule:
    """Profiles in force one after another; the one in force on a date is the last that started."""

    profiles: tuple[LedgerProfile, ...] = DEFAULT_SCHEDULE

    def __post_init__(self) -> None:
        if not self.profiles:
            raise RuleError("台账规则方案不能为空", code="ledger.profile.empty")
        dates = [p.effective_from for p in self.profiles]
        if dates != sorted(dates) or len(set(dates)) != len(dates):
            raise RuleError("台账规则方案的生效日期应严格递增", code="ledger.profile.date_order")

    def at(self, date: dt.date) -> LedgerProfile:
        current = [p for p in self.profiles if p.effective_from <= date]
        if not current:
            raise RuleError(f"{date} 没有生效的台账规则方案", code="ledger.profile.none_in_force")
        return current[-1]

    @classmethod
    def switching(cls, on: dt.date, caps: Sequence[tuple[Commodity, Decimal]] = ()) -> ProfileSchedule:
        """The default pair with the reform starting ``on`` and the given price caps on both."""
        c = dict(caps)
        return cls((
            LedgerProfile(BEFORE_2024.id, BEFORE_2024.name, BEFORE_2024.effective_from, False, c),
            LedgerProfile(REFORM_2024.id, REFORM_2024.name, on, True, c),
        ))
