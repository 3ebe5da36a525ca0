"""The offset ledger (占补平衡台账) as one object: a :class:`Book` with its operations and freezes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from gengbao.domain.ledger import freezes as _freezes
from gengbao.domain.ledger import operations as _ops
from gengbao.domain.ledger.book import Book, Outcome
from gengbao.domain.ledger.freezes import Freeze
from gengbao.domain.ledger.model import Amounts, Entry
from gengbao.domain.ledger.profile import ProfileSchedule
from gengbao.domain.ledger.projects import Project


class Ledger(Book):
    def __init__(self, schedule: ProfileSchedule | None = None) -> None:
        super().__init__(schedule)
        self._freezes: dict[str, Freeze] = {}

    @classmethod
    def restore(cls, projects: Iterable[Project], entries: Iterable[Entry], freezes: Iterable[Freeze],
                schedule: ProfileSchedule | None = None) -> Ledger:
        """A ledger rebuilt from stored projects, entries (in order) and freezes."""
        ledger = cls(schedule)
        for p in projects:
            ledger._projects[p.id] = p
        for e in entries:
            ledger.post(e)
        for f in freezes:
            ledger._freezes[f.case_id] = f
        return ledger

    def draw(self, request: _ops.DrawRequest) -> Outcome:
        return _ops.draw(self, request)

    def transfer(self, source: str, target: str, amounts: Amounts, date: dt.date) -> Outcome:
        return _ops.transfer(self, source, target, amounts, date)

    def trade(self, request: _ops.TradeRequest) -> Outcome:
        return _ops.trade(self, request)

    def freeze(self, case_id: str, county: str, area_m2: Decimal, date: dt.date) -> Outcome:
        return _freezes.freeze(self, self._freezes, case_id, county, area_m2, date)

    def release(self, case_id: str, date: dt.date) -> Outcome:
        return _freezes.release(self, self._freezes, case_id, date)

    def consume(self, case_id: str, date: dt.date) -> Outcome:
        return _freezes.consume(self, self._freezes, case_id, date)

    def freezes(self) -> list[Freeze]:
        return list(self._freezes.values())
