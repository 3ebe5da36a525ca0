"""Statements users open in Excel: ledger statement per bank, balance sheet per county, rule outcomes.

One door for these .xlsx files: :func:`write_report` takes titled tables (headers and rows of
plain values; ``Decimal`` cells stay exact numbers with the column's number format) and writes one
sheet each, with a bold merged title row, a bold header and an optional note row under the title.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from gengbao.domain.errors import InputError


@dataclass(frozen=True, slots=True)
class Table:
    name: str  # sheet name
    title: str
    headers: list[str]
    rows: list[list[Any]]
    note: str = ""
    formats: dict[int, str] = field(default_factory=dict)  # 0-based column → number format, e.g. "0.0000"
    widths: list[int] = field(default_factory=list)


def _sheet_name(name: str, used: set[str]) -> str:
    base = "".join(ch for ch in name if ch not in "[]:*?/\\")[:28] or "Sheet"
    out, n = base, 1
    while out in used:
        n += 1
        out = f"{base[:25]}_{n}"
    used.add(out)
    return out


def write_report(path: Path, tables: Sequence[Table]) -> Path:
    if Path(path).suffix.lower() != ".xlsx":
        raise InputError(f"报表文件应以 .xlsx 结尾：{path}", code="report.bad_suffix", file=str(path))
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for t in tables:
        ws = wb.create_sheet(_sheet_name(t.name, used))
        ncol = max(len(t.headers), 1)
        ws.append([t.title])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncol)
        ws.cell(1, 1).font = Font(bold=True, size=14)
        if t.note:
            ws.append([t.note])
            ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=ncol)
        ws.append(t.headers)
        header_row = ws.max_row
        for c in range(1, ncol + 1):
            ws.cell(header_row, c).font = Font(bold=True)
        for values in t.rows:
            ws.append([v if isinstance(v, int | float | Decimal | str) or v is None else str(v) for v in values])
        for r in range(header_row + 1, ws.max_row + 1):
            for c in range(1, ncol + 1):
                cell = ws.cell(r, c)
                cell.alignment = Alignment(wrap_text=True, vertical="center")
                if c - 1 in t.formats and isinstance(cell.value, int | float | Decimal):
                    cell.number_format = t.formats[c - 1]
        for c, w in enumerate(t.widths or [16] * ncol, 1):
            ws.column_dimensions[get_column_letter(c)].width = w
        ws.freeze_panes = ws.cell(header_row + 1, 1)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return Path(path)
