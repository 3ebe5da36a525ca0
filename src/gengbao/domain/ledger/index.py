"""A balance index over append-only postings: running totals per account and per account group.

Entries arrive in date order (the ledger refuses an earlier date). For each (account, commodity),
and for each account group (``bank:<county>`` over all its lots), the index keeps the dates and the
running total after each posting, so a current balance is the last total and a balance as of a
date is one binary search — nothing is summed again. Keys are plain string tuples (enum members
hash through Python code; strings cache their hash). :func:`naive_balance` is the peer that sums
every posting; tests and ``bench/ledger.py`` hold the two against each other.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Iterable
from decimal import Decimal

from gengbao.domain.ledger.model import ZERO, Account, AccountKind, Commodity, Entry

Key = tuple[str, str, str, str]  # kind, owner, sub, commodity


def _key(account: Account, commodity: Commodity) -> Key:
    return (account.kind._value_, account.owner, account.sub, commodity._value_)


class BalanceIndex:
    def __init__(self) -> None:
        self._dates: dict[Key, list[int]] = {}
        self._totals: dict[Key, list[Decimal]] = {}

    def add(self, entry: Entry) -> None:
        day = entry.date.toordinal()
        sums: dict[Key, Decimal] = {}
        for p in entry.postings:
            a = p.account
            kind, com = a.kind._value_, p.commodity._value_
            k = (kind, a.owner, a.sub, com)
            sums[k] = sums.get(k, ZERO) + p.amount
            if a.sub:
                g = (kind, a.owner, "", com)
                sums[g] = sums.get(g, ZERO) + p.amount
        dates_of, totals_of = self._dates, self._totals
        for key, amount in sums.items():
            dates = dates_of.get(key)
            if dates is None:
                dates_of[key] = [day]
                totals_of[key] = [amount]
                continue
            totals = totals_of[key]
            if dates[-1] == day:  # same day: one running total per day is enough
                totals[-1] += amount
            else:
                dates.append(day)
                totals.append(totals[-1] + amount)

    def balance(self, account: Account, commodity: Commodity, as_of: dt.date | None = None) -> Decimal:
        """The balance of an account (or a group, when ``account.sub`` is empty) at the end of ``as_of``."""
        key = _key(account, commodity)
        totals = self._totals.get(key)
        if not totals:
            return ZERO
        if as_of is None:
            return totals[-1]
        i = bisect_right(self._dates[key], as_of.toordinal())
        return totals[i - 1] if i else ZERO

    def accounts(self) -> list[Account]:
        return sorted({Account(AccountKind(k), o, s) for k, o, s, _ in self._dates})


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
