"""Task lists as .xlsx: read a sheet (merged cells, repeated header rows) and write exports.

Reading: a merged range's value sits in its top-left cell; the other cells read as empty, which is
exactly a continuation row (vertical merges in the first columns) or a one-cell heading row
(horizontal merges). Writing: one sheet per table, a title row merged across the columns, the
header, and runs of equal key-task and group cells merged like the source documents.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from gengbao.adapters.task_documents.table import Row, header_columns, rows_to_document
from gengbao.domain.errors import InputError
from gengbao.domain.tasks.measures import TaskDocument


def _text(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, datetime | date):
        return v.strftime("%Y-%m-%d")
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def read_xlsx(path: Path) -> TaskDocument:
    try:
        wb = load_workbook(path, data_only=True)
    except FileNotFoundError:
        raise InputError(f"文件不存在：{path}", code="file.not_found", file=str(path)) from None
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise InputError(
            f"{path.name}：不是可读的 .xlsx 文件（{exc}）", code="file.unreadable", file=str(path)
        ) from exc
    for ws in wb.worksheets:
        grid = [[_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
        if any(header_columns(cells) for cells in grid):
            rows = [Row(cells, i, f"工作表“{ws.title}”第 {i} 行") for i, cells in enumerate(grid, 1)]
            return rows_to_document(rows, source=path.name, layout="xlsx_table", strict=False)
    raise InputError(
        f"{path.name}：没有哪个工作表含任务表表头（具体举措/工作举措 与 牵头单位/责任单位 等列）",
        code="tasks.no_header",
        file=str(path),
    )


@dataclass
class Sheet:
    name: str
    title: str
    headers: list[str]
    rows: list[list[str]]
    merge_columns: list[int] = field(default_factory=list)  # 0-based columns whose equal runs merge
    heading_rows: list[int] = field(default_factory=list)  # 0-based rows written as one merged cell
    widths: list[int] = field(default_factory=list)


def _safe_name(name: str, used: set[str]) -> str:
    base = "".join(ch for ch in name if ch not in "[]:*?/\\")[:28] or "Sheet"
    n, out = 1, base
    while out in used:
        n += 1
        out = f"{base[:25]}_{n}"
    used.add(out)
    return out


def write_sheets(path: Path, sheets: Sequence[Sheet]) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    wrap = Alignment(wrap_text=True, vertical="center")
    for sh in sheets:
        ws = wb.create_sheet(_safe_name(sh.name, used))
        ncol = len(sh.headers)
        ws.append([sh.title] + [None] * (ncol - 1))
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncol)
        ws.cell(1, 1).font = Font(bold=True, size=14)
        ws.append(sh.headers)
        for c in range(1, ncol + 1):
            ws.cell(2, c).font = Font(bold=True)
        first = 3
        for r, values in enumerate(sh.rows):
            ws.append(values)
            if r in sh.heading_rows:
                ws.merge_cells(start_row=first + r, start_column=1, end_row=first + r, end_column=ncol)
        for col in sh.merge_columns:
            _merge_runs(ws, sh, col, first)
        for c, w in enumerate(sh.widths or [18] * ncol, 1):
            ws.column_dimensions[get_column_letter(c)].width = w
        for row in ws.iter_rows(min_row=3):
            for cell in row:
                cell.alignment = wrap
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def _merge_runs(ws: object, sh: Sheet, col: int, first: int) -> None:
    start = 0
    for r in range(1, len(sh.rows) + 1):
        ends = r == len(sh.rows) or r in sh.heading_rows or sh.rows[r][col] != sh.rows[start][col]
        if not ends:
            continue
        if r - start > 1 and sh.rows[start][col] and start not in sh.heading_rows:
            ws.merge_cells(  # type: ignore[attr-defined]
                start_row=first + start, start_column=col + 1, end_row=first + r - 1, end_column=col + 1
            )
        start = r
