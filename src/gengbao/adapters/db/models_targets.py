"""Region targets (耕地保护目标) as imported: one row per region, measure and year, in 万亩.

Figures are kept as their exact decimal text (``DecimalText``): SQLite has no exact decimal type
(its NUMERIC affinity goes through binary floating point), and a target must come back exactly as
published on both back ends.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import DateTime, Dialect, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from gengbao.adapters.db.base import Base

NO_YEAR = 0  # ``year`` of measures that are not yearly (unique constraints and NULL do not mix)


class DecimalText(TypeDecorator[Decimal]):
    """A ``Decimal`` stored as its canonical text; floats are refused."""

    impl = String(64)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        if not isinstance(value, Decimal):
            raise TypeError(f"DecimalText takes Decimal, not {type(value).__name__}")
        return str(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        return None if value is None else Decimal(value)


class TargetValueRecord(Base):
    """One figure of a region's targets, with the table and row it came from."""

    __tablename__ = "target_value"
    __table_args__ = (UniqueConstraint("region", "measure", "year", name="uq_target_value_key"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    region: Mapped[str] = mapped_column(String(12))
    measure: Mapped[str] = mapped_column(String(32))
    year: Mapped[int] = mapped_column(Integer)
    value: Mapped[Decimal] = mapped_column(DecimalText())
    unit: Mapped[str] = mapped_column(String(8))
    source: Mapped[str] = mapped_column(Text)
    source_sha256: Mapped[str] = mapped_column(String(64))
    row: Mapped[int | None] = mapped_column(Integer, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
