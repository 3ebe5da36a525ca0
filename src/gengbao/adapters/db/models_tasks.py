"""Task lists: documents, their measures, workspace units, progress reports."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from gengbao.adapters.db.base import Base


class TaskDocumentRow(Base):
    """One imported task list; ``key`` identifies it across re-imports (default: the file's stem)."""

    __tablename__ = "task_document"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    title: Mapped[str] = mapped_column(Text)
    region: Mapped[str] = mapped_column(String(12))
    layout: Mapped[str] = mapped_column(String(32))
    columns: Mapped[list[list[str]]] = mapped_column(JSON)
    phases: Mapped[list[dict[str, str]]] = mapped_column(JSON)
    source_file: Mapped[str] = mapped_column(Text)
    source_sha256: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class TaskMeasureRow(Base):
    """One measure (举措); unit lists as ``{"names", "open_ended", "raw"}``; withdrawn ones are kept."""

    __tablename__ = "task_measure"
    __table_args__ = (UniqueConstraint("document_id", "number", name="uq_task_measure_document_number"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("task_document.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(32))
    key_task: Mapped[str] = mapped_column(Text)
    group_no: Mapped[str] = mapped_column(String(32))
    measure_group: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    lead: Mapped[dict[str, object]] = mapped_column(JSON)
    cooperating: Mapped[dict[str, object]] = mapped_column(JSON)
    implementing: Mapped[dict[str, object]] = mapped_column(JSON)
    mentioned: Mapped[list[str]] = mapped_column(JSON)
    deadline: Mapped[date | None] = mapped_column(Date, nullable=True)
    deadline_start: Mapped[date | None] = mapped_column(Date, nullable=True)
    deadline_kind: Mapped[str] = mapped_column(String(16))
    deadline_text: Mapped[str] = mapped_column(Text)
    line: Mapped[int] = mapped_column(Integer)
    withdrawn: Mapped[bool] = mapped_column(Boolean, default=False)


class TaskUnitRow(Base):
    """A unit added to the workspace's directory (on top of the packaged one)."""

    __tablename__ = "task_unit"
    __table_args__ = (UniqueConstraint("region", "name", name="uq_task_unit_region_name"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    region: Mapped[str] = mapped_column(String(12))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    aliases: Mapped[list[str]] = mapped_column(JSON)


class TaskReportRow(Base):
    """One progress report by one unit on one measure for one period."""

    __tablename__ = "task_report"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("task_measure.id", ondelete="CASCADE"), index=True)
    unit: Mapped[str] = mapped_column(String(200))
    unit_region: Mapped[str] = mapped_column(String(12))
    period: Mapped[str] = mapped_column(String(16))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    reported_on: Mapped[date] = mapped_column(Date)
    percent: Mapped[int | None] = mapped_column(Integer, nullable=True)
    milestone: Mapped[str] = mapped_column(Text)
    done: Mapped[bool] = mapped_column(Boolean)
    text: Mapped[str] = mapped_column(Text)
    attachments: Mapped[list[dict[str, object]]] = mapped_column(JSON)
    actor: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
