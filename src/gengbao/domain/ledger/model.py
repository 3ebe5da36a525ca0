"""Values of the offset ledger (占补平衡台账): commodities, amounts, accounts, postings and entries.

Double entry, as beancount keeps it: every entry's postings add up to zero in each commodity, so
credits are never created or lost by moving them. New farmland enters from a project's origin
account (``origin:<project>``, which goes negative by what the project certified); the county bank
holds one lot per project (``bank:<county>:<project>``); a freeze parks credits on
``frozen:<county>:<case>``; a draw or a consumed freeze moves them to ``spent:<county>:<use>``.
Balances are derived from the postings, never stored.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from gengbao.domain.area_units import AreaUnit, from_m2
from gengbao.domain.errors import InputError

ZERO = Decimal(0)


class Commodity(StrEnum):
    """The three kinds of offset credit."""

    QUANTITY = "quantity_m2"  # 数量指标: farmland area, m² (shown in 亩)
    PADDY = "paddy_m2"  # 水田指标: paddy area, m²
    GRAIN = "grain_kg"  # 粮食产能指标: grain capacity, kg

    @property
    def label(self) -> str:
        return {"quantity_m2": "耕地数量指标", "paddy_m2": "水田规模指标", "grain_kg": "粮食产能指标"}[self]


COMMODITIES: tuple[Commodity, ...] = tuple(Commodity)


@dataclass(frozen=True, slots=True)
class Amounts:
    """A quantity of each commodity (m², m², kg), Decimal."""

    quantity_m2: Decimal = ZERO
    paddy_m2: Decimal = ZERO
    grain_kg: Decimal = ZERO

    def get(self, c: Commodity) -> Decimal:
        value: Decimal = getattr(self, c.value)
        return value

    @classmethod
    def of(cls, values: dict[Commodity, Decimal]) -> Amounts:
        return cls(**{c.value: values.get(c, ZERO) for c in COMMODITIES})

    def __add__(self, other: Amounts) -> Amounts:
        return Amounts.of({c: self.get(c) + other.get(c) for c in COMMODITIES})

    def __sub__(self, other: Amounts) -> Amounts:
        return Amounts.of({c: self.get(c) - other.get(c) for c in COMMODITIES})

    def __neg__(self) -> Amounts:
        return Amounts.of({c: -self.get(c) for c in COMMODITIES})

    def is_zero(self) -> bool:
        return all(self.get(c) == 0 for c in COMMODITIES)

    def check_non_negative(self, what: str) -> None:
        """Raise ``ledger.negative_amount`` when any commodity is negative or not finite."""
        for c in COMMODITIES:
            v = self.get(c)
            if not isinstance(v, Decimal) or not v.is_finite() or v < 0:
                raise InputError(
                    f"{what}的{c.label}不能为负数或非数值：{v}", code="ledger.negative_amount", field=c.value
                )

    def to_dict(self) -> dict[str, Any]:
        return {
            "quantity_m2": str(self.quantity_m2),
            "quantity_mu": str(from_m2(self.quantity_m2, AreaUnit.MU, rounded=True)),
            "paddy_m2": str(self.paddy_m2),
            "grain_kg": str(self.grain_kg),
        }


class AccountKind(StrEnum):
    ORIGIN = "origin"  # 新增耕地来源（每个补充耕地项目一个）
    BANK = "bank"  # 县级指标库，每个项目一个批次
    FROZEN = "frozen"  # 冻结（每个违法案件一个）
    SPENT = "spent"  # 已用于占补平衡（占用项目或补办手续的案件）

    @property
    def label(self) -> str:
        return {"origin": "新增耕地来源", "bank": "指标库", "frozen": "冻结", "spent": "已使用"}[self]


@dataclass(frozen=True, slots=True, order=True)
class Account:
    """``kind:owner[:sub]`` — owner is a county code (or a project id for origin accounts)."""

    kind: AccountKind
    owner: str
    sub: str = ""

    @property
    def group(self) -> Account:
        """The account without its sub part: a county's whole bank, a county's whole frozen pool."""
        return Account(self.kind, self.owner)

    def __str__(self) -> str:
        return f"{self.kind}:{self.owner}" + (f":{self.sub}" if self.sub else "")


def bank(county: str, project: str = "") -> Account:
    return Account(AccountKind.BANK, county, project)


@dataclass(frozen=True, slots=True)
class Posting:
    account: Account
    commodity: Commodity
    amount: Decimal

    def to_dict(self) -> dict[str, Any]:
        return {"account": str(self.account), "commodity": str(self.commodity), "amount": str(self.amount)}


class EntryKind(StrEnum):
    CREDIT = "credit"  # 报备入库
    DRAW = "draw"  # 占用项目使用指标
    TRANSFER = "transfer"  # 市级调剂
    TRADE = "trade"  # 指标交易
    FREEZE = "freeze"
    RELEASE = "release"
    CONSUME = "consume"  # 补办手续后冻结指标用于占补平衡

    @property
    def label(self) -> str:
        return {
            "credit": "报备入库", "draw": "占用使用", "transfer": "市级调剂", "trade": "指标交易",
            "freeze": "冻结", "release": "解冻", "consume": "冻结指标用于占补",
        }[self]


@dataclass(frozen=True, slots=True)
class Entry:
    """One transaction: its postings add up to zero per commodity (checked on construction)."""

    id: str
    date: dt.date
    kind: EntryKind
    postings: tuple[Posting, ...]
    memo: str = ""

    def __post_init__(self) -> None:
        for c in COMMODITIES:
            total = sum((p.amount for p in self.postings if p.commodity is c), ZERO)
            if total != 0:
                raise InputError(
                    f"分录 {self.id} 的{c.label}借贷不平（合计 {total}）", code="ledger.entry.unbalanced"
                )

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "date": self.date.isoformat(), "kind": str(self.kind), "memo": self.memo,
            "postings": [p.to_dict() for p in self.postings],
        }


def moves(src: Account, dst: Account, amounts: Amounts) -> list[Posting]:
    """Postings that move ``amounts`` from ``src`` to ``dst`` (zero commodities left out)."""
    out: list[Posting] = []
    for c in COMMODITIES:
        v = amounts.get(c)
        if v != 0:
            out += [Posting(src, c, -v), Posting(dst, c, v)]
    return out
