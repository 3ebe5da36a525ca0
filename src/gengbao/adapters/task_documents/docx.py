"""Task lists as .docx: tables (one per page or one for all, merged cells, repeated header rows), or
paragraphs when the document has no task table (the paragraph layouts).

Merged cells are read as the grid the author drew: a vertically merged cell's continuation reads as
empty (a continuation row), a horizontally merged cell fills its first grid column only.
"""

from __future__ import annotations

from pathlib import Path

import docx
from docx.table import Table, _Cell

from gengbao.adapters.task_documents.table import Row, header_columns, rows_to_document, title_from
from gengbao.adapters.task_documents.text import parse_text
from gengbao.domain.errors import InputError
from gengbao.domain.tasks.measures import TaskDocument


def _grid(table: Table) -> list[list[str]]:
    rows: list[list[str]] = []
    for tr in table._tbl.tr_lst:
        cells: list[str] = []
        for tc in tr.tc_lst:
            text = "" if tc.vMerge == "continue" else _Cell(tc, table).text
            cells.append(text)
            cells.extend([""] * (tc.grid_span - 1))
        rows.append(cells)
    return rows


def read_docx(path: Path) -> TaskDocument:
    try:
        document = docx.Document(str(path))
    except FileNotFoundError:
        raise InputError(f"文件不存在：{path}", code="file.not_found", file=str(path)) from None
    except Exception as exc:  # python-docx raises several kinds on a damaged file
        raise InputError(
            f"{path.name}：不是可读的 .docx 文件（{exc}）", code="file.unreadable", file=str(path)
        ) from exc
    rows: list[Row] = []
    for t, table in enumerate(document.tables, 1):
        grid = _grid(table)
        if not any(header_columns(cells) for cells in grid):
            continue
        rows.extend(Row(cells, r, f"表格 {t} 第 {r} 行") for r, cells in enumerate(grid, 1))
    paragraphs = [p.text for p in document.paragraphs]
    if rows:
        title = title_from(p for p in paragraphs if p.strip())
        return rows_to_document(rows, source=path.name, layout="docx_table", title=title, strict=False)
    if not any(p.strip() for p in paragraphs):
        raise InputError(f"{path.name}：文档中没有任务表，也没有正文", code="file.empty", file=str(path))
    return parse_text("\n".join(paragraphs), path.name)
