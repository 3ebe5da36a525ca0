"""The two tabular text layouts.

- ``tab_table`` (seed 000): one table row per line, cells separated by tabs, the header row repeated
  on every page, continuation rows with the first columns empty.
- ``cell_lines`` (seed 001 附件1): one cell per line (a leading tab), rows separated by blank lines,
  area headings (一、明细责任) as one-cell rows, the header repeated per page, ending at 附注.
"""

from __future__ import annotations

from gengbao.adapters.task_documents.table import Row, header_columns, rows_to_document
from gengbao.domain.errors import InputError
from gengbao.domain.tasks.measures import AREA_HEADING, TaskDocument, header_role


def _excerpt(line: str) -> str:
    t = line.strip().replace("\t", " ")
    return t[:30] + ("…" if len(t) > 30 else "")


def detect_tab_table(lines: list[str]) -> bool:
    return any("\t" in ln and header_columns(ln.split("\t")) is not None for ln in lines)


def parse_tab_table(lines: list[str], source: str) -> TaskDocument:
    rows: list[Row] = []
    started = False
    for i, line in enumerate(lines, 1):
        if "\t" in line:
            started = started or header_columns(line.split("\t")) is not None
            rows.append(Row(line.split("\t"), i, f"第 {i} 行"))
            continue
        text = line.strip()
        if not text:
            continue
        if not started or AREA_HEADING.match(text) or text.startswith(("注", "附注", "说明")):
            rows.append(Row([text], i, f"第 {i} 行"))
            continue
        raise InputError(
            f"{source} 第 {i} 行：“{_excerpt(line)}”不是表格行（没有用制表符分隔的列），无法读取",
            code="tasks.row_unreadable",
            file=source,
            line=i,
        )
    return rows_to_document(rows, source=source, layout="tab_table")


def _is_separator(line: str) -> bool:
    return not line.strip() and "\t" not in line


def _cell(line: str) -> str:
    return line[1:] if line.startswith("\t") else line


def _header_start(lines: list[str]) -> int | None:
    """Index of the first line of the first header block (cells 序号/主要任务/工作举措/责任单位 …)."""
    for i in range(len(lines)):
        window = [_cell(ln).strip() for ln in lines[i : i + 4]]
        if len(window) == 4 and all(header_role(c) is not None for c in window) and lines[i].startswith("\t"):
            return i
    return None


def detect_cell_lines(lines: list[str]) -> bool:
    return _header_start(lines) is not None


def _blocks(lines: list[str], start: int) -> list[tuple[int, list[str]]]:
    out: list[tuple[int, list[str]]] = []
    cur: list[str] = []
    first = start
    for i in range(start, len(lines)):
        if _is_separator(lines[i]):
            if cur:
                out.append((first, cur))
            cur = []
            continue
        if not cur:
            first = i
        cur.append(lines[i])
    if cur:
        out.append((first, cur))
    return out


def parse_cell_lines(lines: list[str], source: str) -> TaskDocument:
    start = _header_start(lines)
    assert start is not None
    # The header block may begin with a stray empty cell on the line before.
    while start > 0 and not _is_separator(lines[start - 1]):
        start -= 1
    title = ""
    for i in range(start - 1, -1, -1):
        if lines[i].startswith("\t") and _cell(lines[i]).strip():
            title = _cell(lines[i]).strip()
            break
        if lines[i].strip() and not lines[i].startswith("\t"):
            break
    rows: list[Row] = []
    for first, block in _blocks(lines, start):
        if not any(ln.startswith("\t") for ln in block):
            break  # plain text after the table: the next attachment
        cells = [_cell(ln) for ln in block]
        rows.append(Row(cells, first + 1, f"第 {first + 1} 行起"))
    return rows_to_document(rows, source=source, layout="cell_lines", title=title)
