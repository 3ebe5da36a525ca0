"""The offset ledger (占补平衡台账) as one object: a :class:`Book` with its operations and freezes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from gengbao.domain.ledger import freezes as _freezes
from gengbao.domain.ledger import operations as _ops
from gengbao.domain.ledger.book import Book, Outcome
from gengbao.domain.ledger.freezes import Freeze
from gengbao.domain.ledger.model import Amounts
from gengbao.domain.ledger.profile import ProfileSchedule


class Ledger(Book):
    def __init__(self, schedule: ProfileSchedule | None = None) -> None:
        super().__init__(schedule)
        self._freezes: dict[str, Freeze] = {}

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
