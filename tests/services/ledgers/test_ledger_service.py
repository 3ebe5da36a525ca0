"""Ledger use cases on a workspace: stored entries replay to the same balances, refusals store nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select

import gengbao.adapters.db.models_ledger  # noqa: F401  (tables in the metadata)
from gengbao.adapters.db import audit_store as audit
from gengbao.adapters.db.base import Base
from gengbao.adapters.db.models_ledger import LedgerEntryRow, LedgerPostingRow
from gengbao.domain.errors import ConflictError, NotFoundError
from gengbao.domain.ledger import Amounts, Certification, DrawRequest, ProjectAction, ProjectState
from gengbao.services import ledgers as service
from gengbao.services.context import Context
from gengbao.services.workspace import init_workspace, open_workspace

D = Decimal
FL, LP = "360222", "360281"
DAY = dt.date(2024, 5, 1)


@pytest.fixture
def ws(tmp_path: Path, db_url: str | None) -> Context:
    return init_workspace(tmp_path / "ws", "360200", db_url)


def counts(ws: Context) -> tuple[int, int, int]:
    with ws.sessions() as s:
        return (s.scalar(select(func.count()).select_from(LedgerEntryRow)) or 0,
                s.scalar(select(func.count()).select_from(LedgerPostingRow)) or 0, audit.count(s))


def filed(ws: Context, pid: str, county: str, q: str, paddy: str = "0", grade: int = 5) -> None:
    service.add_project(ws, pid, county, f"项目{pid}", DAY)
    service.advance_project(ws, pid, ProjectAction.START_WORKS, DAY)
    service.advance_project(ws, pid, ProjectAction.CERTIFY, DAY, Certification(Amounts(D(q), D(paddy), D(100)), grade))
    service.advance_project(ws, pid, ProjectAction.ACCEPT, DAY)
    project, out = service.advance_project(ws, pid, ProjectAction.FILE, DAY)
    assert project.state is ProjectState.FILED and out.entry is not None


def test_migration_matches_the_model(ws: Context) -> None:
    with ws.engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert [d for d in diffs if "ledger_" in repr(d)] == []


def test_operations_persist_and_replay(ws: Context, tmp_path: Path, db_url: str | None) -> None:
    filed(ws, "P1", FL, "6666.67", paddy="1000", grade=3)
    filed(ws, "P2", FL, "2000", grade=7)
    out = service.draw(ws, DrawRequest("ZY1", FL, DAY, Amounts(D("1000"), D("500")), 4))
    assert out.entry is not None
    service.transfer(ws, FL, LP, Amounts(D("1000")), DAY)
    fr = service.freeze(ws, "C1", FL, D("7000"), DAY)
    assert [f.code for f in fr.findings] == ["ledger.freeze.beyond_balance"]
    service.consume(ws, "C1", DAY)
    again = open_workspace(tmp_path / "ws", db_url)  # a fresh process sees the same book
    rows = {r.county: r for r in service.balances(again)}
    # banks: P1 6666.67/1000/100 (grade 3), P2 2000/0/100 (grade 7); ZY1 (grade 4) takes 1000 m² and 500 m²
    # paddy from P1; the transfer 1000 m² from P1; C1 freezes P1's 4666.67 + P2's 2000 = 6666.67 of 7000
    assert rows[FL].available == Amounts(D(0), D(500), D(200))
    assert rows[FL].frozen == Amounts()
    assert rows[FL].spent == Amounts(D("7666.67"), D(500), D(0))
    assert rows[LP].lots == (("P1", Amounts(D(1000))),)
    stmt = service.statement(again, FL)
    assert stmt[-1][2] == rows[FL].available  # the statement's running balance ends where the bank is
    assert [e.kind.value for e, _, _ in stmt] == ["credit", "credit", "draw", "transfer", "freeze", "consume"]
    assert [p.id for p in service.list_projects(again)] == ["P1", "P2"]


def test_refusals_store_nothing(ws: Context) -> None:
    filed(ws, "P1", FL, "1000")
    before = counts(ws)
    with pytest.raises(ConflictError) as e:
        service.draw(ws, DrawRequest("ZY1", FL, DAY, Amounts(D("1000.01")), 9))
    assert e.value.code == "ledger.draw.beyond_balance" and "先补后占" in e.value.message
    with pytest.raises(ConflictError) as e2:
        service.transfer(ws, FL, "360102", Amounts(D(1)), DAY)
    assert e2.value.code == "ledger.transfer.other_city"
    with pytest.raises(NotFoundError) as e3:
        service.advance_project(ws, "P9", ProjectAction.ACCEPT, DAY)
    assert e3.value.code == "ledger.project.unknown"
    with pytest.raises(ConflictError) as e4:
        service.add_project(ws, "P1", FL, "x", DAY)
    assert e4.value.code == "ledger.project.duplicate"
    with pytest.raises(NotFoundError) as e5:
        service.release(ws, "C0", DAY)
    assert e5.value.code == "ledger.freeze.unknown"
    assert counts(ws) == before
