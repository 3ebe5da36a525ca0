"""Case tables: enforcement cases (one row per case or sub-patch), the clues linked to them, and
their photo evidence.

Geometry is WKB with bbox columns on both SQLite and PostgreSQL (DESIGN.md §2): a candidate search
("does a new clue overlap an open case?") filters by bbox in plain SQL and tests the few candidates
exactly with Shapely. Areas are exact decimal text in m² (2 dp, as the survey defines them).
``version`` is bumped by every update; an update names the version it read, so of two concurrent
updates one wins and the other gets ``cases.conflict``.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Date, DateTime, Float, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.dialects.postgresql import base as pg_base
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import UserDefinedType

from gengbao.adapters.db.base import Base
from gengbao.adapters.db.models_targets import DecimalText


class PostgisGeometry(UserDefinedType[bytes]):
    """Names PostGIS's ``geometry`` type for reflection (``case_record.geom`` exists only where the
    migration could create the extension; the models never read it)."""

    cache_ok = True

    def __init__(self, *args: object, **kw: object) -> None:  # reflection passes the type modifiers
        super().__init__()

    def get_col_spec(self, **kw: object) -> str:
        return "geometry"


pg_base.ischema_names.setdefault("geometry", PostgisGeometry)

AREA_FIELDS = ("area_m2", "farmland_m2", "pbf_m2", "agricultural_m2", "unused_m2", "redline_m2")


class CaseRecord(Base):
    __tablename__ = "case_record"
    __table_args__ = (Index("ix_case_record_bbox", "minx", "maxx", "miny", "maxy"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    county: Mapped[str] = mapped_column(String(6), index=True)
    region: Mapped[str] = mapped_column(String(19))
    source: Mapped[str] = mapped_column(String(24))
    year: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(24), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("case_record.id"), nullable=True)
    run_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    patch_ref: Mapped[str | None] = mapped_column(String(64), nullable=True)
    from_epoch: Mapped[int | None] = mapped_column(Integer, nullable=True)
    to_epoch: Mapped[int | None] = mapped_column(Integer, nullable=True)
    change_type: Mapped[str] = mapped_column(String(40), default="")
    prejudged: Mapped[str] = mapped_column(String(32), default="")
    location: Mapped[str] = mapped_column(Text, default="")
    opened_on: Mapped[date] = mapped_column(Date)
    geometry: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    minx: Mapped[float | None] = mapped_column(Float, nullable=True)
    miny: Mapped[float | None] = mapped_column(Float, nullable=True)
    maxx: Mapped[float | None] = mapped_column(Float, nullable=True)
    maxy: Mapped[float | None] = mapped_column(Float, nullable=True)
    area_m2: Mapped[Decimal] = mapped_column(DecimalText())
    farmland_m2: Mapped[Decimal] = mapped_column(DecimalText())
    pbf_m2: Mapped[Decimal] = mapped_column(DecimalText())
    agricultural_m2: Mapped[Decimal] = mapped_column(DecimalText())
    unused_m2: Mapped[Decimal] = mapped_column(DecimalText())
    redline_m2: Mapped[Decimal] = mapped_column(DecimalText())
    category: Mapped[str | None] = mapped_column(String(32), nullable=True)
    subtype: Mapped[str | None] = mapped_column(String(32), nullable=True)
    judgement: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    judged_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    plan_way: Mapped[str | None] = mapped_column(String(16), nullable=True)
    deadline: Mapped[date | None] = mapped_column(Date, nullable=True)
    plan_approval: Mapped[str | None] = mapped_column(String(128), nullable=True)
    demolished_m2: Mapped[Decimal] = mapped_column(DecimalText(), default=Decimal(0))
    legalised_m2: Mapped[Decimal] = mapped_column(DecimalText(), default=Decimal(0))
    rectified_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    closed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    findings: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CaseClue(Base):
    """A clue (线索) and the case it opened or was linked to."""

    __tablename__ = "case_clue"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_record.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(24))
    run_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    patch_ref: Mapped[str | None] = mapped_column(String(64), nullable=True)
    reference: Mapped[str] = mapped_column(Text, default="")
    linked: Mapped[bool] = mapped_column(default=False)
    opened_on: Mapped[date] = mapped_column(Date)


class EvidenceRecord(Base):
    """One photo attached to a case; the file itself is ``evidence/<path>`` (content-addressed)."""

    __tablename__ = "case_evidence"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_record.id", ondelete="CASCADE"), index=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    path: Mapped[str] = mapped_column(String(160))
    file_name: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16))
    format: Mapped[str] = mapped_column(String(16))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    taken_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    lat: Mapped[float | None] = mapped_column(Float, nullable=True)
    lon: Mapped[float | None] = mapped_column(Float, nullable=True)
    azimuth: Mapped[float | None] = mapped_column(Float, nullable=True)
    device: Mapped[str] = mapped_column(String(128))
    phash: Mapped[str] = mapped_column(String(32), index=True)
    check_code: Mapped[str] = mapped_column(String(64))
    accepted: Mapped[bool] = mapped_column(default=True)
    added_on: Mapped[date] = mapped_column(Date)
    added_by: Mapped[str] = mapped_column(String(64))
    findings: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
