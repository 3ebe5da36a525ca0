"""Exports of task lists as .xlsx, in each document's own column order: the responsibility list
(re-importable: it reads back to the same measures) and the status table (one row per measure and
responsible unit, with status columns after the document's own)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from gengbao.adapters.db import tasks_store as store
from gengbao.adapters.task_documents.xlsx import Sheet, write_sheets
from gengbao.domain.tasks.measures import Column, ColumnRole, Measure
from gengbao.domain.tasks.progress import StatusRow
from gengbao.services.context import Context
from gengbao.services.tasks.progress import task_status

STATUS_HEADERS = ["报送单位", "状态", "最近报告期", "进度", "完成日期", "说明"]
WIDTHS = {ColumnRole.TEXT: 60, ColumnRole.KEY_TASK: 24, ColumnRole.GROUP: 24, ColumnRole.GROUP_NO: 8, ColumnRole.DEADLINE: 14}


@dataclass(frozen=True)
class ExportResult:
    path: Path
    sheets: int
    rows: int


def _cell(m: Measure, role: ColumnRole) -> str:
    if role is ColumnRole.KEY_TASK:
        return m.key_task
    if role is ColumnRole.GROUP_NO:
        return m.group_no
    if role is ColumnRole.GROUP:
        return m.group
    if role is ColumnRole.TEXT:
        return f"{m.label}{m.text}"
    if role is ColumnRole.DEADLINE:
        return m.deadline.text
    units = m.units(role)
    return units.raw or "、".join(units.names)


def _rows(columns: list[Column], measures: list[Measure]) -> tuple[list[list[str]], list[int]]:
    """Rows and heading rows: areas become one-cell headings when the document has no key-task column."""
    rows: list[list[str]] = []
    headings: list[int] = []
    headed = any(c.role is ColumnRole.KEY_TASK for c in columns)
    area = None
    for m in measures:
        if not headed and m.key_task and m.key_task != area:
            headings.append(len(rows))
            rows.append([m.key_task] + [""] * (len(columns) - 1))
        area = m.key_task
        rows.append([_cell(m, c.role) for c in columns])
    return rows, headings


def _merge_cols(columns: list[Column]) -> list[int]:
    return [i for i, c in enumerate(columns) if c.role in (ColumnRole.KEY_TASK, ColumnRole.GROUP_NO, ColumnRole.GROUP)]


def _status_cells(row: StatusRow) -> list[str]:
    last = row.last_report
    progress = ""
    if last is not None:
        progress = f"{last.percent}%" if last.percent is not None else last.milestone
    return [
        row.assignment.unit,
        row.status.label,
        last.period.label if last else "",
        progress,
        row.done_on.isoformat() if row.done_on else "",
        row.reason,
    ]


def export_tasks(
    ws: Context,
    out: Path,
    *,
    status: bool = False,
    as_of: date | None = None,
    document: str | None = None,
    cadence: str | None = None,
) -> ExportResult:
    with ws.sessions() as s:
        docs = [store.find_document(s, document)] if document else store.documents(s)
        content = [(d, store.measures_of(s, d)) for d in docs]
    states = task_status(ws, as_of=as_of, cadence=cadence, document=document).rows if status else []
    sheets: list[Sheet] = []
    total = 0
    for doc, measures in content:
        columns = list(doc.columns)
        widths = [WIDTHS.get(c.role, 22) for c in columns]
        if not status:
            rows, headings = _rows(columns, measures)
            sheets.append(
                Sheet(
                    doc.key,
                    doc.title,
                    [c.header for c in columns],
                    rows,
                    _merge_cols(columns),
                    headings,
                    widths,
                )
            )
            total += len(rows) - len(headings)
            continue
        by_number = {m.number: m for m in measures}
        rows = []
        for st in states:
            if st.assignment.measure.document == doc.key and st.assignment.measure.number in by_number:
                m = by_number[st.assignment.measure.number]
                rows.append([_cell(m, c.role) for c in columns] + _status_cells(st))
        day = (as_of or date.today()).isoformat()
        sheets.append(
            Sheet(
                doc.key,
                f"{doc.title}（进度，截至 {day}）",
                [c.header for c in columns] + STATUS_HEADERS,
                rows,
                _merge_cols(columns),
                [],
                widths + [24, 12, 12, 10, 12, 40],
            )
        )
        total += len(rows)
    write_sheets(Path(out), sheets)
    return ExportResult(Path(out), len(sheets), total)
