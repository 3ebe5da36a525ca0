"""Draws, city transfers and trades: each checks first, returns findings, and posts only when clean.

Checks (finding codes):
- 先补后占 ``ledger.draw.beyond_balance``: no draw beyond the available (unfrozen, filed) credits;
- 占一补一 ``ledger.draw.quantity_short``: the quantity drawn covers the farmland occupied;
- 占水田补水田 ``ledger.draw.paddy_short``: paddy drawn covers the paddy occupied;
- 产能不降 ``ledger.draw.grain_short``: grain capacity drawn covers the capacity occupied;
- 占优补优 ``ledger.draw.quality_lower``: only lots whose quality grade is not worse (grade number
  not higher) than the occupied land's may be drawn; the finding says when only worse lots are left.
Transfers stay inside one city (``ledger.transfer.other_city``); a trade's unit price may not pass
the profile's cap (``ledger.trade.price_over_cap``) and a county below its farmland target may not
sell (``ledger.trade.seller_below_target``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from gengbao.domain.area_units import AreaUnit, from_m2
from gengbao.domain.errors import InputError
from gengbao.domain.findings import Finding, Severity
from gengbao.domain.ledger.book import Book, Outcome, check_county
from gengbao.domain.ledger.model import (
    COMMODITIES,
    Account,
    AccountKind,
    Amounts,
    Commodity,
    EntryKind,
    Posting,
    bank,
    moves,
)
from gengbao.domain.ledger.profile import LossKind
from gengbao.domain.ledger.projects import GRADE_RANGE


def _shown(c: Commodity, v: Decimal) -> str:
    if c is Commodity.GRAIN:
        return f"{v} kg"
    return f"{v} m²（{from_m2(v, AreaUnit.MU).quantize(Decimal('0.0001'))} 亩）"


def _beyond(code: str, what: str, need: Amounts, short: Amounts, county: str) -> list[Finding]:
    """One finding per commodity short: what was asked, what the county can give, the difference."""
    return [
        Finding(code, f"{what}{c.label} {_shown(c, need.get(c))}，县 {county} 可用的只有 "
                f"{_shown(c, need.get(c) - short.get(c))}，差 {_shown(c, short.get(c))}", field=c.value,
                value=str(short.get(c)))
        for c in COMMODITIES if short.get(c) > 0
    ]


def _lot_postings(src_county: str, dst: Account | None, dst_county: str, taken: list[tuple[str, Amounts]]) -> list[Posting]:
    out: list[Posting] = []
    for pid, amounts in taken:
        out += moves(bank(src_county, pid), dst if dst is not None else bank(dst_county, pid), amounts)
    return out


@dataclass(frozen=True, slots=True)
class DrawRequest:
    use_id: str  # occupation project or case
    county: str
    date: dt.date
    occupied: Amounts  # farmland area, paddy area (m²), grain capacity (kg) of the land occupied
    occupied_grade: int  # quality grade of the occupied farmland (1 best)
    drawn: Amounts | None = None  # what is drawn; defaults to what is occupied
    loss: LossKind = LossKind.CONSTRUCTION


def draw(book: Book, req: DrawRequest) -> Outcome:
    check_county(req.county)
    req.occupied.check_non_negative(f"占用 {req.use_id} 的占用面积")
    drawn = req.drawn if req.drawn is not None else req.occupied
    drawn.check_non_negative(f"占用 {req.use_id} 的使用指标")
    lo, hi = GRADE_RANGE
    if isinstance(req.occupied_grade, bool) or not isinstance(req.occupied_grade, int) or not lo <= req.occupied_grade <= hi:
        raise InputError(f"占用 {req.use_id} 的被占耕地质量等别应为 {lo}–{hi} 的整数：{req.occupied_grade!r}",
                         code="ledger.draw.bad_grade", field="occupied_grade")
    profile = book.schedule.at(req.date)
    if not profile.enters_ledger(req.loss):
        return Outcome(None, (Finding(
            "ledger.draw.not_required",
            f"{profile.name}：{req.loss.label}不纳入占补平衡（由进出平衡管理），未记账",
            Severity.INFO, feature=req.use_id),))
    findings: list[Finding] = []
    for c, code, rule in (
        (Commodity.QUANTITY, "ledger.draw.quantity_short", "占一补一"),
        (Commodity.PADDY, "ledger.draw.paddy_short", "占水田补水田"),
        (Commodity.GRAIN, "ledger.draw.grain_short", "产能不降"),
    ):
        if drawn.get(c) < req.occupied.get(c):
            findings.append(Finding(
                code, f"{rule}：占用 {req.use_id} 使用{c.label} {_shown(c, drawn.get(c))}，少于占用的 "
                f"{_shown(c, req.occupied.get(c))}", feature=req.use_id, field=c.value))
    taken, short_all = book.allocate(req.county, drawn)
    if not short_all.is_zero():
        findings += _beyond("ledger.draw.beyond_balance", f"先补后占：占用 {req.use_id} 需使用", drawn, short_all,
                            req.county)
    else:
        taken, short_q = book.allocate(req.county, drawn, lambda pid: book.lot_grade(pid) <= req.occupied_grade)
        if not short_q.is_zero():
            findings += _beyond(
                "ledger.draw.quality_lower",
                f"占优补优：占用 {req.use_id} 需质量等别不低于 {req.occupied_grade} 等的", drawn, short_q, req.county)
    if findings:
        return Outcome(None, tuple(findings))
    spent = Account(AccountKind.SPENT, req.county, req.use_id)
    entry = book.post(book.make_entry(
        EntryKind.DRAW, req.date, _lot_postings(req.county, spent, req.county, taken), f"{req.use_id} 使用指标"))
    return Outcome(entry, details={"lots": {pid: a.to_dict() for pid, a in taken}})


def transfer(book: Book, source: str, target: str, amounts: Amounts, date: dt.date) -> Outcome:
    """City-level adjustment (市级调剂) between two counties of one city; lots keep their project."""
    check_county(source)
    check_county(target)
    amounts.check_non_negative(f"{source} → {target} 的调剂")
    findings: list[Finding] = []
    if source == target:
        findings.append(Finding("ledger.transfer.same_county", f"调出县和调入县都是 {source}"))
    if source[:4] != target[:4]:
        findings.append(Finding(
            "ledger.transfer.other_city", f"市级调剂只能在同一市内进行：{source} 与 {target} 不属于同一市"))
    taken, short = book.allocate(source, amounts)
    findings += _beyond("ledger.transfer.beyond_balance", f"调剂给 {target} 的", amounts, short, source)
    if findings:
        return Outcome(None, tuple(findings))
    entry = book.post(book.make_entry(
        EntryKind.TRANSFER, date, _lot_postings(source, None, target, taken), f"市级调剂 {source} → {target}"))
    return Outcome(entry)


@dataclass(frozen=True, slots=True)
class TradeRequest:
    seller: str
    buyer: str
    date: dt.date
    amounts: Amounts
    unit_prices: dict[Commodity, Decimal]  # 元/亩 for quantity and paddy, 元/kg for grain capacity
    seller_meets_target: bool  # the seller county kept its farmland target (耕地保有量)


def trade_value(amounts: Amounts, unit_prices: dict[Commodity, Decimal]) -> Decimal:
    """Total price in 元 (areas priced per 亩 from exact m², grain per kg), to the fen."""
    total = Decimal(0)
    for c, price in unit_prices.items():
        v = amounts.get(c)
        total += price * (from_m2(v, AreaUnit.MU) if c is not Commodity.GRAIN else v)
    return total.quantize(Decimal("0.01"))


def trade(book: Book, req: TradeRequest) -> Outcome:
    check_county(req.seller)
    check_county(req.buyer)
    req.amounts.check_non_negative(f"{req.seller} → {req.buyer} 的交易")
    for c, price in req.unit_prices.items():
        if not price.is_finite() or price < 0:
            raise InputError(f"交易单价不能为负数：{c.label} {price}", code="ledger.trade.bad_price", field=c.value)
    findings: list[Finding] = []
    if req.seller == req.buyer:
        findings.append(Finding("ledger.trade.same_county", f"买方和卖方都是 {req.seller}"))
    if not req.seller_meets_target:
        findings.append(Finding(
            "ledger.trade.seller_below_target", f"县 {req.seller} 未完成耕地保有量目标，不得出售节余指标"))
    caps = book.schedule.at(req.date).price_caps
    for c, price in req.unit_prices.items():
        cap = caps.get(c)
        if cap is not None and price > cap:
            unit = "元/kg" if c is Commodity.GRAIN else "元/亩"
            findings.append(Finding(
                "ledger.trade.price_over_cap", f"{c.label}交易单价 {price} {unit} 超过限价 {cap} {unit}",
                field=c.value, value=str(price)))
    taken, short = book.allocate(req.seller, req.amounts)
    findings += _beyond("ledger.trade.beyond_balance", f"出售给 {req.buyer} 的", req.amounts, short, req.seller)
    if findings:
        return Outcome(None, tuple(findings))
    value = trade_value(req.amounts, req.unit_prices)
    entry = book.post(book.make_entry(
        EntryKind.TRADE, req.date, _lot_postings(req.seller, None, req.buyer, taken),
        f"指标交易 {req.seller} → {req.buyer}，成交金额 {value} 元"))
    return Outcome(entry, details={"value_yuan": str(value)})
