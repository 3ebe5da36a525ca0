"""Offset ledger tables: projects, append-only entries with their postings, per-case freezes.

Entries and postings are only ever inserted (balances are derived, never stored); projects and
freezes hold their current state, every change of which is also in the audit trail. Quantities
are exact decimal text (``DecimalText``), never floats.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from gengbao.adapters.db.base import Base
from gengbao.adapters.db.models_targets import DecimalText


class LedgerProjectRow(Base):
    __tablename__ = "ledger_project"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    county: Mapped[str] = mapped_column(String(12), index=True)
    name: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16))
    history: Mapped[list[list[str]]] = mapped_column(JSON)  # [[state, ISO date], …]
    certification: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class LedgerEntryRow(Base):
    __tablename__ = "ledger_entry"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    entry_id: Mapped[str] = mapped_column(String(32), unique=True)
    date: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(16))
    memo: Mapped[str] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class LedgerPostingRow(Base):
    __tablename__ = "ledger_posting"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entry_seq: Mapped[int] = mapped_column(ForeignKey("ledger_entry.seq"), index=True)
    account_kind: Mapped[str] = mapped_column(String(16))
    account_owner: Mapped[str] = mapped_column(String(64), index=True)
    account_sub: Mapped[str] = mapped_column(String(64))
    commodity: Mapped[str] = mapped_column(String(16))
    amount: Mapped[Decimal] = mapped_column(DecimalText())


class LedgerFreezeRow(Base):
    __tablename__ = "ledger_freeze"
    case_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    county: Mapped[str] = mapped_column(String(12), index=True)
    requested_m2: Mapped[Decimal] = mapped_column(DecimalText())
    lots: Mapped[list[list[str]]] = mapped_column(JSON)  # [[project id, m²], …]
    state: Mapped[str] = mapped_column(String(16))
    frozen_on: Mapped[date] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
