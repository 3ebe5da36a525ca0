"""Monitoring tables: approvals (批文 / 备案 / 临时用地), monitoring runs and their region summaries.

Approvals are stored in the database, geometry as WKB with bbox columns, not as a GeoParquet layer:
they are workflow records, not survey snapshots. They arrive a few at a time (10²–10⁴ per county),
are corrected and referenced one by one (cases cite an approval number), and an import must be
all-or-nothing together with its import record and audit entry, in one transaction, on SQLite and
PostgreSQL alike (DESIGN.md §2: "small geometries there as WKB with bbox columns"). The bbox columns
let a run select the approvals near a county window in plain SQL, without PostGIS or SpatiaLite.
Change patches, which are many and immutable per run, go to GeoParquet (``layers/patches/<run>``);
a run's region summaries are small and go here, figures as exact decimal text.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, Date, DateTime, Float, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from gengbao.adapters.db.base import Base
from gengbao.adapters.db.models_targets import DecimalText


class ApprovalRecord(Base):
    """One approval, facility filing or temporary-use permit; ``approval_id`` is its number (文号)."""

    __tablename__ = "approval"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    approval_id: Mapped[str] = mapped_column(String(128), unique=True)
    kind: Mapped[str] = mapped_column(String(16), index=True)
    issued: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date, nullable=True)
    filed_area_m2: Mapped[Decimal | None] = mapped_column(DecimalText(), nullable=True)
    area_m2: Mapped[Decimal] = mapped_column(DecimalText())
    geometry: Mapped[bytes] = mapped_column(LargeBinary)
    minx: Mapped[float] = mapped_column(Float)
    miny: Mapped[float] = mapped_column(Float)
    maxx: Mapped[float] = mapped_column(Float)
    maxy: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(Text)
    source_row: Mapped[int] = mapped_column(Integer)
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class MonitorRun(Base):
    """One monitoring run: an epoch diff or a set of delivered patches, and where its patches are."""

    __tablename__ = "monitor_run"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    mode: Mapped[str] = mapped_column(String(16))
    from_epoch: Mapped[int | None] = mapped_column(Integer, nullable=True)
    to_epoch: Mapped[int | None] = mapped_column(Integer, nullable=True)
    source: Mapped[str] = mapped_column(Text)
    params: Mapped[dict[str, object]] = mapped_column(JSON)
    patches: Mapped[int] = mapped_column(Integer)
    slivers: Mapped[int] = mapped_column(Integer)
    sliver_area_m2: Mapped[Decimal] = mapped_column(DecimalText())
    layer_path: Mapped[str] = mapped_column(Text)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    state: Mapped[str] = mapped_column(String(16), server_default="finished")  # running | finished | failed


class MonitorRegion(Base):
    """A region's summary in one run (figures as decimal text, see ``RegionSummary.to_dict``)."""

    __tablename__ = "monitor_region"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("monitor_run.id", ondelete="CASCADE"), index=True)
    region: Mapped[str] = mapped_column(String(12))
    level: Mapped[str] = mapped_column(String(16))
    figures: Mapped[dict[str, object]] = mapped_column(JSON)
