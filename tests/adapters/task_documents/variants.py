"""Builds .xlsx and .docx variants of the seed task lists for tests (never committed as files).

Independent of gengbao's readers: the seed's rows are taken straight from the text (tabs for 000,
blank-line separated blocks for 001), then written as a spreadsheet or Word tables the way such
lists are usually typeset: title row, header repeated on every page, the first columns merged over
continuation rows, area headings merged across the row.
"""

from __future__ import annotations

from pathlib import Path

import docx
from openpyxl import Workbook

from tests.conftest import seed_path

HEADER_MARK = {"重点任务", "序号"}


def seed_rows(prefix: str) -> tuple[str, list[list[str]]]:
    """(title, rows) of a tabular seed; a row is a list of cells (one cell for headings)."""
    lines = seed_path(prefix).read_text(encoding="utf-8").split("\n")
    if prefix == "000":
        return "重点任务分工表", [ln.split("\t") for ln in lines if "\t" in ln]
    start = next(i for i, ln in enumerate(lines) if ln == "\t序号")
    end = next(i for i, ln in enumerate(lines) if ln.startswith("\t附注"))
    rows: list[list[str]] = []
    block: list[str] = []
    for ln in [*lines[start:end], ""]:
        if ln.strip() or "\t" in ln:
            block.append(ln.lstrip("\t"))
            continue
        if block:
            cells = [c for c in block if c.strip()] if "序号" in block else block
            rows.append(cells)
        block = []
    return "景德镇市耕地保护任务清单", rows


def _is_header(row: list[str]) -> bool:
    return bool(row) and row[0].strip() in HEADER_MARK


def merge_runs(rows: list[list[str]], columns: int) -> list[tuple[int, int, int]]:
    """(column, first row, last row) of the vertical merges: a filled cell and the empty cells below it."""
    out: list[tuple[int, int, int]] = []
    for col in range(columns):
        start = None
        for r, row in enumerate([*rows, ["#"] * columns]):
            data = len(row) == columns and not _is_header(row)
            if data and not row[col].strip() and start is not None:
                continue
            if start is not None and r - 1 > start:
                out.append((col, start, r - 1))
            start = r if data and row[col].strip() else None
    return out


def write_xlsx(prefix: str, path: Path, merged_columns: int = 2) -> Path:
    title, rows = seed_rows(prefix)
    n = max(len(r) for r in rows)
    wb = Workbook()
    ws = wb.active
    ws.title = "任务清单"
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=n)
    for r, row in enumerate(rows, 2):
        ws.append([c if c.strip() else None for c in row])
        if len(row) == 1:
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=n)
    for col, first, last in merge_runs(rows, n):
        if col < merged_columns:
            ws.merge_cells(start_row=first + 2, start_column=col + 1, end_row=last + 2, end_column=col + 1)
    wb.save(path)
    return path


def write_docx(prefix: str, path: Path, merged_columns: int = 2) -> Path:
    title, rows = seed_rows(prefix)
    n = max(len(r) for r in rows)
    document = docx.Document()
    document.add_paragraph("附件")
    document.add_paragraph(title)
    pages: list[list[list[str]]] = []
    for row in rows:
        if _is_header(row):
            pages.append([])
        pages[-1].append(row)
    for page in pages:
        table = document.add_table(rows=len(page), cols=n)
        for r, row in enumerate(page):
            if len(row) == 1:
                merged = table.cell(r, 0).merge(table.cell(r, n - 1))
                merged.text = row[0]
                continue
            for c, text in enumerate(row):
                table.cell(r, c).text = text
        for col, first, last in merge_runs(page, n):
            if col < merged_columns:
                table.cell(first, col).merge(table.cell(last, col))
        document.add_page_break()
    document.save(str(path))
    return path


def write_docx_paragraphs(prefix: str, path: Path) -> Path:
    document = docx.Document()
    for line in seed_path(prefix).read_text(encoding="utf-8").split("\n"):
        document.add_paragraph(line)
    document.save(str(path))
    return path
