"""Credit freezes per case (指标冻结, seed 001 measure 38).

Credits equal to the farmland a case illegally occupied are frozen in the county's bank (quantity
only), lot by lot, oldest first. When the case closes by demolition and restoration the freeze is
released back to the same lots; when the occupation is legalised the frozen credits are consumed as
its offset. Each freeze closes once. A freeze never takes more than the bank holds: the part that
cannot be frozen is a finding (``ledger.freeze.beyond_balance``) and stays recorded as a shortfall.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum
from typing import Any

from gengbao.domain.area_units import AreaUnit, from_m2
from gengbao.domain.errors import ConflictError, InputError, NotFoundError
from gengbao.domain.findings import Finding, Severity
from gengbao.domain.ledger.book import Book, Outcome, check_county
from gengbao.domain.ledger.model import ZERO, Account, AccountKind, Amounts, EntryKind, Posting, bank, moves


class FreezeState(StrEnum):
    FROZEN = "frozen"
    RELEASED = "released"  # 拆除复耕后解除
    CONSUMED = "consumed"  # 补办手续后用于占补平衡

    @property
    def label(self) -> str:
        return {"frozen": "冻结中", "released": "已解冻", "consumed": "已用于占补平衡"}[self]


@dataclass(frozen=True, slots=True)
class Freeze:
    case_id: str
    county: str
    requested_m2: Decimal
    lots: tuple[tuple[str, Decimal], ...]  # (project id, m² frozen from its lot)
    state: FreezeState
    frozen_on: dt.date
    closed_on: dt.date | None = None

    @property
    def frozen_m2(self) -> Decimal:
        return sum((m2 for _, m2 in self.lots), ZERO)

    @property
    def shortfall_m2(self) -> Decimal:
        return self.requested_m2 - self.frozen_m2

    @property
    def account(self) -> Account:
        return Account(AccountKind.FROZEN, self.county, self.case_id)

    def to_dict(self) -> dict[str, Any]:
        return {
            "case_id": self.case_id, "county": self.county, "state": str(self.state),
            "requested_m2": str(self.requested_m2), "frozen_m2": str(self.frozen_m2),
            "shortfall_m2": str(self.shortfall_m2), "frozen_on": self.frozen_on.isoformat(),
            "closed_on": None if self.closed_on is None else self.closed_on.isoformat(),
            "lots": [{"project": p, "m2": str(v)} for p, v in self.lots],
        }


def _mu(v: Decimal) -> str:
    return f"{v} m²（{from_m2(v, AreaUnit.MU).quantize(Decimal('0.0001'))} 亩）"


def freeze(book: Book, freezes: dict[str, Freeze], case_id: str, county: str, area_m2: Decimal,
           date: dt.date) -> Outcome:
    check_county(county)
    if case_id in freezes:
        raise ConflictError(f"案件 {case_id} 已冻结过指标", code="ledger.freeze.duplicate", case=case_id)
    if not isinstance(area_m2, Decimal) or not area_m2.is_finite() or area_m2 <= 0:
        raise InputError(f"案件 {case_id} 违法占用耕地面积应为正数：{area_m2}", code="ledger.negative_amount",
                         case=case_id)
    taken, short = book.allocate(county, Amounts(quantity_m2=area_m2))
    findings: tuple[Finding, ...] = ()
    if short.quantity_m2 > 0:
        findings = (Finding(
            "ledger.freeze.beyond_balance",
            f"案件 {case_id} 应冻结 {_mu(area_m2)}，县 {county} 指标库只有 {_mu(area_m2 - short.quantity_m2)}"
            f"可冻结，差 {_mu(short.quantity_m2)}；不足部分记为待冻结", Severity.WARNING, feature=case_id,
            value=str(short.quantity_m2)),)
    record = Freeze(case_id, county, area_m2, tuple((p, a.quantity_m2) for p, a in taken), FreezeState.FROZEN, date)
    postings: list[Posting] = []
    for pid, a in taken:
        postings += moves(bank(county, pid), record.account, a)
    entry = book.post(book.make_entry(EntryKind.FREEZE, date, postings, f"案件 {case_id} 冻结指标")) if postings else None
    freezes[case_id] = record
    return Outcome(entry, findings, {"freeze": record.to_dict()})


def _open(freezes: dict[str, Freeze], case_id: str) -> Freeze:
    record = freezes.get(case_id)
    if record is None:
        raise NotFoundError(f"案件 {case_id} 没有冻结指标", code="ledger.freeze.unknown", case=case_id)
    if record.state is not FreezeState.FROZEN:
        raise ConflictError(
            f"案件 {case_id} 的冻结已于 {record.closed_on} {record.state.label}，不能再次处理",
            code="ledger.freeze.closed", case=case_id)
    return record


def release(book: Book, freezes: dict[str, Freeze], case_id: str, date: dt.date) -> Outcome:
    """The case closed by demolition and restoration: frozen credits go back to their lots."""
    record = _open(freezes, case_id)
    postings: list[Posting] = []
    for pid, m2 in record.lots:
        postings += moves(record.account, bank(record.county, pid), Amounts(quantity_m2=m2))
    entry = book.post(book.make_entry(EntryKind.RELEASE, date, postings, f"案件 {case_id} 拆除复耕，解冻")) if postings else None
    freezes[case_id] = replace(record, state=FreezeState.RELEASED, closed_on=date)
    return Outcome(entry, details={"freeze": freezes[case_id].to_dict()})


def consume(book: Book, freezes: dict[str, Freeze], case_id: str, date: dt.date) -> Outcome:
    """The occupation was legalised: the frozen credits become its offset (once)."""
    record = _open(freezes, case_id)
    spent = Account(AccountKind.SPENT, record.county, case_id)
    postings = moves(record.account, spent, Amounts(quantity_m2=record.frozen_m2))
    entry = book.post(book.make_entry(EntryKind.CONSUME, date, postings, f"案件 {case_id} 补办手续，冻结指标用于占补平衡")) if postings else None
    findings: tuple[Finding, ...] = ()
    if record.shortfall_m2 > 0:
        findings = (Finding(
            "ledger.consume.shortfall",
            f"案件 {case_id} 冻结指标比违法占用面积少 {_mu(record.shortfall_m2)}，须另行落实占补平衡",
            Severity.WARNING, feature=case_id, value=str(record.shortfall_m2)),)
    freezes[case_id] = replace(record, state=FreezeState.CONSUMED, closed_on=date)
    return Outcome(entry, findings, {"freeze": freezes[case_id].to_dict()})
