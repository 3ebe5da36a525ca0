"""Every ORM query of the offset ledger: load the whole book, append new entries, save states."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gengbao.adapters.db.models_ledger import (
    LedgerEntryRow,
    LedgerFreezeRow,
    LedgerPostingRow,
    LedgerProjectRow,
)
from gengbao.domain.ledger import (
    Account,
    AccountKind,
    Amounts,
    Certification,
    Commodity,
    Entry,
    EntryKind,
    Freeze,
    FreezeState,
    Ledger,
    Posting,
    ProfileSchedule,
    Project,
    ProjectState,
)


def _project(row: LedgerProjectRow) -> Project:
    c = row.certification
    cert = None if c is None else Certification(
        Amounts(Decimal(c["quantity_m2"]), Decimal(c["paddy_m2"]), Decimal(c["grain_kg"])), int(c["quality_grade"]))
    history = tuple((ProjectState(s), dt.date.fromisoformat(d)) for s, d in row.history)
    return Project(row.id, row.county, row.name, ProjectState(row.state), history, cert)


def _freeze(row: LedgerFreezeRow) -> Freeze:
    return Freeze(row.case_id, row.county, row.requested_m2, tuple((p, Decimal(v)) for p, v in row.lots),
                  FreezeState(row.state), row.frozen_on, row.closed_on)


def load(session: Session, schedule: ProfileSchedule | None = None) -> Ledger:
    """The whole ledger, replayed from the stored entries in order."""
    projects = [_project(r) for r in session.scalars(select(LedgerProjectRow))]
    postings: dict[int, list[Posting]] = {}
    accounts: dict[tuple[str, str, str], Account] = {}
    P = LedgerPostingRow
    rows = session.execute(select(P.entry_seq, P.account_kind, P.account_owner, P.account_sub, P.commodity, P.amount)
                           .order_by(P.id))  # plain rows: a workspace may hold 10⁶ postings
    for seq, kind, owner, sub, commodity, amount in rows:
        account = accounts.get((kind, owner, sub))
        if account is None:
            account = accounts[(kind, owner, sub)] = Account(AccountKind(kind), owner, sub)
        postings.setdefault(seq, []).append(Posting(account, Commodity(commodity), amount))
    E = LedgerEntryRow
    entries = [Entry(entry_id, date, EntryKind(kind), tuple(postings.get(seq, ())), memo)
               for seq, entry_id, date, kind, memo in session.execute(
                   select(E.seq, E.entry_id, E.date, E.kind, E.memo).order_by(E.seq))]
    freezes = [_freeze(r) for r in session.scalars(select(LedgerFreezeRow))]
    return Ledger.restore(projects, entries, freezes, schedule)


def entry_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(LedgerEntryRow)) or 0


def append_entries(session: Session, entries: Iterable[Entry], first_seq: int, actor: str) -> None:
    now = datetime.now(UTC)
    for i, e in enumerate(entries):
        seq = first_seq + i
        session.add(LedgerEntryRow(seq=seq, entry_id=e.id, date=e.date, kind=str(e.kind), memo=e.memo, actor=actor,
                                   recorded_at=now))
        session.flush()
        session.add_all(LedgerPostingRow(entry_seq=seq, account_kind=str(p.account.kind), account_owner=p.account.owner,
                                         account_sub=p.account.sub, commodity=str(p.commodity), amount=p.amount)
                        for p in e.postings)


def save_project(session: Session, project: Project) -> None:
    row = session.get(LedgerProjectRow, project.id)
    if row is None:
        row = LedgerProjectRow(id=project.id)
        session.add(row)
    c = project.certification
    row.county, row.name, row.state = project.county, project.name, str(project.state)
    row.history = [[str(s), d.isoformat()] for s, d in project.history]
    row.certification = None if c is None else {
        "quantity_m2": str(c.amounts.quantity_m2), "paddy_m2": str(c.amounts.paddy_m2),
        "grain_kg": str(c.amounts.grain_kg), "quality_grade": c.quality_grade}
    row.updated_at = datetime.now(UTC)


def save_freeze(session: Session, freeze: Freeze) -> None:
    row = session.get(LedgerFreezeRow, freeze.case_id)
    if row is None:
        row = LedgerFreezeRow(case_id=freeze.case_id)
        session.add(row)
    row.county, row.requested_m2, row.state = freeze.county, freeze.requested_m2, str(freeze.state)
    row.lots = [[p, str(v)] for p, v in freeze.lots]
    row.frozen_on, row.closed_on = freeze.frozen_on, freeze.closed_on
