"""Core workspace tables: settings, epochs (survey layers), imports, audit.

Layers themselves live in GeoParquet under ``layers/``; these tables record what is there.
Model modules of other capabilities import ``Base`` from ``base`` and are listed in ``all_models``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from gengbao.adapters.db.base import Base


class Setting(Base):
    """Workspace-level key/value settings (region code, created date, schema notes)."""

    __tablename__ = "setting"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Epoch(Base):
    """One imported survey layer: an epoch (survey year) and a kind (parcels or pbf)."""

    __tablename__ = "epoch"
    __table_args__ = (UniqueConstraint("year", "kind", name="uq_epoch_year_kind"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    year: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    layer_path: Mapped[str] = mapped_column(Text)
    feature_count: Mapped[int] = mapped_column(Integer)
    counties: Mapped[list[str]] = mapped_column(JSON)
    source_file: Mapped[str] = mapped_column(Text)
    source_sha256: Mapped[str] = mapped_column(String(64))
    source_crs: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ImportRecord(Base):
    """Every import attempt, accepted or rejected, with its summary report."""

    __tablename__ = "import_record"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    what: Mapped[str] = mapped_column(String(32))
    source_file: Mapped[str] = mapped_column(Text)
    source_sha256: Mapped[str] = mapped_column(String(64))
    ok: Mapped[bool] = mapped_column()
    imported: Mapped[int] = mapped_column(Integer)
    error_count: Mapped[int] = mapped_column(Integer)
    warning_count: Mapped[int] = mapped_column(Integer)
    summary: Mapped[dict[str, object]] = mapped_column(JSON)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AuditRecord(Base):
    """Append-only audit trail; each record's hash covers the previous record's hash."""

    __tablename__ = "audit_record"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(Text)
    payload: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
