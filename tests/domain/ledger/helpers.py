"""Builders shared by the ledger tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from gengbao.domain.ledger import Amounts, Certification, Ledger, ProjectAction

D = Decimal
DAY0 = dt.date(2024, 3, 1)


def filed_project(
    ledger: Ledger, pid: str, county: str, q: str, paddy: str = "0", grain: str = "0", grade: int = 5,
    start: dt.date = DAY0,
) -> None:
    """A project taken through every stage to 报备入库 on ``start`` (all stages the same day)."""
    ledger.add_project(pid, county, f"项目{pid}", start)
    ledger.advance_project(pid, ProjectAction.START_WORKS, start)
    cert = Certification(Amounts(D(q), D(paddy), D(grain)), grade)
    ledger.advance_project(pid, ProjectAction.CERTIFY, start, cert)
    ledger.advance_project(pid, ProjectAction.ACCEPT, start)
    ledger.advance_project(pid, ProjectAction.FILE, start)
