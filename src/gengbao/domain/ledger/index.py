"""A balance index over append-only postings: running totals per account and per account group.

Entries arrive in date order (the ledger refuses an earlier date). For each (account, commodity),
and for each account group (``bank:<county>`` over all its lots), the index keeps the dates and the
running total after each posting, so a current balance is the last total and a balance as of a
date is one binary search — nothing is summed again. :func:`naive_balance` is the peer that sums
every posting; tests and ``bench/ledger.py`` hold the two against each other.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Iterable
from decimal import Decimal

from gengbao.domain.ledger.model import ZERO, Account, Commodity, Entry

Key = tuple[Account, Commodity]


class BalanceIndex:
    def __init__(self) -> None:
        self._dates: dict[Key, list[int]] = {}
        self._totals: dict[Key, list[Decimal]] = {}

    def add(self, entry: Entry) -> None:
        day = entry.date.toordinal()
        for p in entry.postings:
            keys = (p.account, p.account.group) if p.account.sub else (p.account,)
            for account in keys:
                key = (account, p.commodity)
                dates = self._dates.get(key)
                if dates is None:
                    self._dates[key] = [day]
                    self._totals[key] = [p.amount]
                    continue
                totals = self._totals[key]
                if dates[-1] == day:  # same day: one running total per day is enough
                    totals[-1] = totals[-1] + p.amount
                else:
                    dates.append(day)
                    totals.append(totals[-1] + p.amount)

    def balance(self, account: Account, commodity: Commodity, as_of: dt.date | None = None) -> Decimal:
        """The balance of an account (or a group, when ``account.sub`` is empty) at the end of ``as_of``."""
        key = (account, commodity)
        totals = self._totals.get(key)
        if not totals:
            return ZERO
        if as_of is None:
            return totals[-1]
        i = bisect_right(self._dates[key], as_of.toordinal())
        return totals[i - 1] if i else ZERO

    def accounts(self) -> list[Account]:
        return sorted({a for a, _ in self._dates})


def naive_balance(
    entries: Iterable[Entry], account: Account, commodity: Commodity, as_of: dt.date | None = None
) -> Decimal:
    """The same balance, summed from every posting (the peer of :class:`BalanceIndex`)."""
    total = ZERO
    group = not account.sub
    for e in entries:
        if as_of is not None and e.date > as_of:
            continue
        for p in e.postings:
            if p.commodity is commodity and (p.account == account or (group and p.account.group == account)):
                total += p.amount
    return total
