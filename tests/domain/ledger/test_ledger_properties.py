"""Ledger invariants under random operation sequences (Hypothesis)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from gengbao.domain.errors import GengbaoError
from gengbao.domain.ledger import (
    COMMODITIES,
    Account,
    AccountKind,
    Amounts,
    Commodity,
    DrawRequest,
    FreezeState,
    Ledger,
    TradeRequest,
    bank,
    naive_balance,
)
from tests.domain.ledger.helpers import filed_project

COUNTIES = ("360202", "360222", "360281", "360102")
amount = st.decimals(min_value=0, max_value=5000, places=2)
amounts = st.builds(lambda q, p, g: Amounts(q, min(p, q), g), amount, amount, amount)
county = st.sampled_from(COUNTIES)
op = st.one_of(
    st.tuples(st.just("project"), county, amounts, st.integers(1, 10)),
    st.tuples(st.just("draw"), county, amounts, st.integers(1, 10)),
    st.tuples(st.just("transfer"), county, county, amounts),
    st.tuples(st.just("trade"), county, county, amounts, st.booleans()),
    st.tuples(st.just("freeze"), county, amount),
    st.tuples(st.just("close"), st.integers(0, 20), st.booleans()),
)


def play(ops: list[tuple]) -> Ledger:  # type: ignore[type-arg]
    lg = Ledger()
    day = dt.date(2024, 1, 1)
    for i, o in enumerate(ops):
        day += dt.timedelta(days=i % 2)
        try:
            if o[0] == "project":
                if o[2].quantity_m2 > 0:
                    filed_project(lg, f"P{i}", o[1], str(o[2].quantity_m2), str(o[2].paddy_m2),
                                  str(o[2].grain_kg), o[3], start=day)
            elif o[0] == "draw":
                lg.draw(DrawRequest(f"U{i}", o[1], day, o[2], o[3]))
            elif o[0] == "transfer":
                lg.transfer(o[1], o[2], o[3], day)
            elif o[0] == "trade":
                lg.trade(TradeRequest(o[1], o[2], day, o[3], {Commodity.QUANTITY: Decimal(1)}, o[4]))
            elif o[0] == "freeze":
                if o[2] > 0:
                    lg.freeze(f"C{i}", o[1], o[2], day)
            else:
                open_ = [f for f in lg.freezes() if f.state is FreezeState.FROZEN]
                if open_:
                    f = open_[o[1] % len(open_)]
                    (lg.consume if o[2] else lg.release)(f.case_id, day)
        except GengbaoError:
            pass
    return lg


@settings(max_examples=60, deadline=None)
@given(st.lists(op, max_size=40))
def test_invariants(ops: list[tuple]) -> None:  # type: ignore[type-arg]
    lg = play(ops)
    accounts = lg.accounts()
    for c in COMMODITIES:
        # conservation: double entry, and what projects created is exactly what banks, freezes and uses hold
        assert sum((lg.balance(a, c) for a in accounts if a.sub or a.kind is AccountKind.ORIGIN), Decimal(0)) == 0
        created = -sum((lg.balance(a, c) for a in accounts if a.kind is AccountKind.ORIGIN), Decimal(0))
        held = sum((lg.balance(a, c) for a in accounts if a.sub and a.kind is not AccountKind.ORIGIN), Decimal(0))
        assert created == held
        for a in accounts:
            if a.kind is not AccountKind.ORIGIN:
                assert lg.balance(a, c) >= 0, (a, c)  # no available (or frozen, or spent) below zero
            assert lg.balance(a, c) == naive_balance(lg.entries, a, c)
    for f in lg.freezes():
        assert 0 <= f.frozen_m2 <= f.requested_m2  # freeze never beyond the balance
        frozen_now = lg.balance(f.account, Commodity.QUANTITY)
        spent = lg.balance(Account(AccountKind.SPENT, f.county, f.case_id), Commodity.QUANTITY)
        if f.state is FreezeState.FROZEN:
            assert frozen_now == f.frozen_m2 and spent == 0
        elif f.state is FreezeState.CONSUMED:
            assert frozen_now == 0 and spent == f.frozen_m2  # consumed exactly once
        else:
            assert frozen_now == 0 and spent == 0
    for code in COUNTIES:
        assert lg.available(code) == Amounts.of({c: lg.balance(bank(code), c) for c in COMMODITIES})


@settings(max_examples=30, deadline=None)
@given(st.lists(op, max_size=25), st.integers(0, 30))
def test_consume_twice_changes_nothing(ops: list[tuple], pick: int) -> None:  # type: ignore[type-arg]
    lg = play([*ops, ("project", "360202", Amounts(Decimal(100)), 1), ("freeze", "360202", Decimal(50))])
    open_ = [f for f in lg.freezes() if f.state is FreezeState.FROZEN]
    f = open_[pick % len(open_)]
    day = lg.entries[-1].date
    lg.consume(f.case_id, day)
    before = len(lg.entries)
    try:
        lg.consume(f.case_id, day)
        raise AssertionError("second consume accepted")
    except GengbaoError as e:
        assert e.code == "ledger.freeze.closed"
    assert len(lg.entries) == before
