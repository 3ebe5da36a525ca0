"""Hand-worked ledger examples: lifecycle, draws and their four checks, transfers, trades, the switch."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from gengbao.domain.errors import ConflictError, InputError, NotFoundError
from gengbao.domain.ledger import (
    Account,
    AccountKind,
    Amounts,
    Certification,
    Commodity,
    DrawRequest,
    Ledger,
    LossKind,
    ProfileSchedule,
    ProjectAction,
    ProjectState,
    TradeRequest,
    bank,
    naive_balance,
)
from tests.domain.ledger.helpers import DAY0, D, filed_project

FULIANG, LEPING, CHANGJIANG, OTHER_CITY = "360222", "360281", "360202", "360102"


def codes(outcome):  # type: ignore[no-untyped-def]
    return sorted(f.code for f in outcome.findings)


def test_credit_only_after_filing() -> None:
    lg = Ledger()
    lg.add_project("P1", FULIANG, "土地整治", DAY0)
    lg.advance_project("P1", ProjectAction.START_WORKS, DAY0)
    lg.advance_project("P1", ProjectAction.CERTIFY, DAY0, Certification(Amounts(D("6666.67"), D("2000"), D("500")), 4))
    lg.advance_project("P1", ProjectAction.ACCEPT, DAY0)
    assert lg.available(FULIANG) == Amounts()  # accepted is not yet a credit
    project, out = lg.advance_project("P1", ProjectAction.FILE, DAY0 + dt.timedelta(days=3))
    assert project.state is ProjectState.FILED and out.entry is not None
    assert lg.available(FULIANG) == Amounts(D("6666.67"), D("2000"), D("500"))
    assert lg.balance(Account(AccountKind.ORIGIN, "P1"), Commodity.QUANTITY) == D("-6666.67")
    assert lg.available(FULIANG, as_of=DAY0) == Amounts()  # balance as of the day before filing


def test_bad_transitions_and_dates() -> None:
    lg = Ledger()
    lg.add_project("P1", FULIANG, "x", DAY0)
    with pytest.raises(ConflictError) as e:
        lg.advance_project("P1", ProjectAction.FILE, DAY0)
    assert e.value.code == "ledger.project.bad_transition"
    lg.advance_project("P1", ProjectAction.START_WORKS, DAY0)
    with pytest.raises(InputError) as e2:
        lg.advance_project("P1", ProjectAction.CERTIFY, DAY0 - dt.timedelta(days=1),
                           Certification(Amounts(D(1)), 3))
    assert e2.value.code == "ledger.project.date_order"
    with pytest.raises(InputError) as e3:
        lg.advance_project("P1", ProjectAction.CERTIFY, DAY0, Certification(Amounts(D(1), D(2)), 3))
    assert e3.value.code == "ledger.project.paddy_exceeds_area"
    with pytest.raises(InputError) as e4:
        lg.advance_project("P1", ProjectAction.CERTIFY, DAY0, Certification(Amounts(D(-1)), 3))
    assert e4.value.code == "ledger.negative_amount"
    with pytest.raises(NotFoundError) as e5:
        lg.advance_project("P9", ProjectAction.START_WORKS, DAY0)
    assert e5.value.code == "ledger.project.unknown"
    with pytest.raises(ConflictError) as e6:
        lg.add_project("P1", FULIANG, "again", DAY0)
    assert e6.value.code == "ledger.project.duplicate"
    assert lg.entries == ()  # nothing posted by any of these


def test_draw_checks_and_quality_order() -> None:
    lg = Ledger()
    filed_project(lg, "GOOD", FULIANG, "1000", paddy="300", grain="400", grade=3)
    filed_project(lg, "POOR", FULIANG, "5000", paddy="0", grain="900", grade=8)
    day = DAY0 + dt.timedelta(days=10)
    # 占一补一 / 占水田补水田 / 产能: drawn less than occupied
    out = lg.draw(DrawRequest("ZY1", FULIANG, day, Amounts(D(800), D(200), D(100)), 5,
                              drawn=Amounts(D(700), D(100), D(50))))
    assert codes(out) == ["ledger.draw.grain_short", "ledger.draw.paddy_short", "ledger.draw.quantity_short"]
    # 先补后占: beyond the bank (6000 m² in all)
    out = lg.draw(DrawRequest("ZY2", FULIANG, day, Amounts(D(6000.01)), 10))
    assert codes(out) == ["ledger.draw.beyond_balance"] and out.entry is None
    # 占优补优: occupied grade 5, only GOOD (grade 3) is eligible: 1000 m²
    out = lg.draw(DrawRequest("ZY3", FULIANG, day, Amounts(D(1500)), 5))
    assert codes(out) == ["ledger.draw.quality_lower"]
    assert out.findings[0].message.endswith(
        "需质量等别不低于 5 等的耕地数量指标 1500 m²（2.2500 亩），县 360222 可用的只有 1000 m²（1.5000 亩），"
        "差 500 m²（0.7500 亩）")
    assert lg.entries[-1].kind.value == "credit"  # nothing posted by failed draws
    # a clean draw from GOOD
    out = lg.draw(DrawRequest("ZY4", FULIANG, day, Amounts(D(800), D(300), D(400)), 5))
    assert out.ok and out.entry is not None
    assert lg.amounts(bank(FULIANG, "GOOD")) == Amounts(D(200), D(0), D(0))
    assert lg.amounts(Account(AccountKind.SPENT, FULIANG, "ZY4")) == Amounts(D(800), D(300), D(400))
    with pytest.raises(InputError) as e:
        lg.draw(DrawRequest("ZY9", FULIANG, day, Amounts(D(1)), 16))
    assert e.value.code == "ledger.draw.bad_grade"
    # a poor-quality occupation (grade 9) may take any lot, oldest first
    out = lg.draw(DrawRequest("ZY5", FULIANG, day, Amounts(D(1200)), 9))
    assert out.ok and lg.balance(bank(FULIANG, "POOR"), Commodity.QUANTITY) == D(4000)


def test_profile_switch_2024() -> None:
    lg = Ledger(ProfileSchedule.switching(dt.date(2024, 1, 1)))
    filed_project(lg, "P", FULIANG, "1000", start=dt.date(2023, 6, 1))
    orchard_2023 = lg.draw(DrawRequest("YD", FULIANG, dt.date(2023, 7, 1), Amounts(D(100)), 5, loss=LossKind.ORCHARD))
    assert codes(orchard_2023) == ["ledger.draw.not_required"] and orchard_2023.entry is None
    orchard_2024 = lg.draw(DrawRequest("YD", FULIANG, dt.date(2024, 7, 1), Amounts(D(100)), 5, loss=LossKind.ORCHARD))
    assert orchard_2024.ok and orchard_2024.entry is not None
    assert lg.available(FULIANG).quantity_m2 == D(900)


def test_transfer_inside_city_only() -> None:
    lg = Ledger()
    filed_project(lg, "P", FULIANG, "1000", paddy="100")
    out = lg.transfer(FULIANG, OTHER_CITY, Amounts(D(10)), DAY0)
    assert codes(out) == ["ledger.transfer.other_city"]
    out = lg.transfer(FULIANG, LEPING, Amounts(D(1001)), DAY0)
    assert codes(out) == ["ledger.transfer.beyond_balance"]
    out = lg.transfer(FULIANG, LEPING, Amounts(D(400), D(100)), DAY0)
    assert out.ok
    assert lg.amounts(bank(LEPING, "P")) == Amounts(D(400), D(100))
    assert lg.available(FULIANG) == Amounts(D(600))


def test_trade_price_cap_and_seller_target() -> None:
    caps = [(Commodity.QUANTITY, D(300000))]
    lg = Ledger(ProfileSchedule.switching(dt.date(2024, 1, 1), caps))
    filed_project(lg, "P", FULIANG, "10000")
    req = TradeRequest(FULIANG, OTHER_CITY, DAY0, Amounts(D(10000)), {Commodity.QUANTITY: D(300001)}, False)
    assert codes(lg.trade(req)) == ["ledger.trade.price_over_cap", "ledger.trade.seller_below_target"]
    ok = lg.trade(TradeRequest(FULIANG, OTHER_CITY, DAY0, Amounts(D(10000)), {Commodity.QUANTITY: D(300000)}, True))
    assert ok.ok and ok.details["value_yuan"] == "4500000.00"  # 10000 m² = 15 亩 × 300000 元/亩
    assert lg.available(OTHER_CITY).quantity_m2 == D(10000) and lg.available(FULIANG).quantity_m2 == 0


def test_freeze_release_consume() -> None:
    lg = Ledger()
    filed_project(lg, "A", CHANGJIANG, "3000")
    filed_project(lg, "B", CHANGJIANG, "3000")
    out = lg.freeze("C1", CHANGJIANG, D("4000"), DAY0)
    assert out.ok and lg.available(CHANGJIANG).quantity_m2 == D(2000)
    assert out.details["freeze"]["lots"] == [{"project": "A", "m2": "3000"}, {"project": "B", "m2": "1000"}]
    short = lg.freeze("C2", CHANGJIANG, D("2500"), DAY0)
    assert codes(short) == ["ledger.freeze.beyond_balance"]
    assert short.details["freeze"]["shortfall_m2"] == "500"
    assert lg.available(CHANGJIANG).quantity_m2 == 0  # never negative
    lg.release("C1", DAY0)
    assert lg.amounts(bank(CHANGJIANG, "A")).quantity_m2 == D(3000)
    consumed = lg.consume("C2", DAY0)
    assert codes(consumed) == ["ledger.consume.shortfall"]
    assert lg.balance(Account(AccountKind.SPENT, CHANGJIANG, "C2"), Commodity.QUANTITY) == D(2000)
    for case in ("C1", "C2"):
        with pytest.raises(ConflictError) as e:
            lg.consume(case, DAY0)
        assert e.value.code == "ledger.freeze.closed"
    with pytest.raises(NotFoundError):
        lg.release("C9", DAY0)


def test_index_matches_naive_and_back_dating_refused() -> None:
    lg = Ledger()
    filed_project(lg, "A", FULIANG, "100", start=dt.date(2024, 1, 1))
    filed_project(lg, "B", FULIANG, "50", start=dt.date(2024, 2, 1))
    for acct in (bank(FULIANG), bank(FULIANG, "B"), Account(AccountKind.ORIGIN, "A")):
        for as_of in (None, dt.date(2023, 12, 31), dt.date(2024, 1, 15), dt.date(2024, 2, 1)):
            assert lg.balance(acct, Commodity.QUANTITY, as_of) == naive_balance(
                lg.entries, acct, Commodity.QUANTITY, as_of)
    with pytest.raises(InputError) as e:
        lg.freeze("C", FULIANG, D(1), dt.date(2024, 1, 20))
    assert e.value.code == "ledger.entry.date_order"
    with pytest.raises(InputError) as e2:
        lg.freeze("C", "36", Decimal(1), dt.date(2024, 3, 1))
    assert e2.value.code == "ledger.bad_county"
