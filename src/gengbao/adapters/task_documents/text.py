"""Plain-text task lists: decode, detect the layout, parse.

Layouts are tried from the most to the least structured: tab table, one cell per line, paragraphs
with bracketed unit lists, numbered measures under sections. Text that fits none is refused with
the line that could not be read.
"""

from __future__ import annotations

from pathlib import Path

from gengbao.adapters.task_documents.paragraphs import (
    detect_bracket_paragraphs,
    detect_numbered_sections,
    parse_bracket_paragraphs,
    parse_numbered_sections,
)
from gengbao.adapters.task_documents.text_tables import (
    detect_cell_lines,
    detect_tab_table,
    parse_cell_lines,
    parse_tab_table,
)
from gengbao.domain.errors import InputError
from gengbao.domain.tasks.measures import TaskDocument

LAYOUTS = (
    ("tab_table", detect_tab_table, parse_tab_table),
    ("cell_lines", detect_cell_lines, parse_cell_lines),
    ("bracket_paragraphs", detect_bracket_paragraphs, parse_bracket_paragraphs),
    ("numbered_sections", detect_numbered_sections, parse_numbered_sections),
)


def decode(data: bytes, source: str) -> str:
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise InputError(f"{source}：无法按 UTF-8 或 GB18030 解码", code="file.unreadable", file=source)


def read_text_file(path: Path) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"文件不存在：{path}", code="file.not_found", file=str(path)) from None
    except OSError as exc:
        raise InputError(f"无法读取 {path}：{exc}", code="file.unreadable", file=str(path)) from exc
    if not data.strip():
        raise InputError(f"{path.name}：文件为空", code="file.empty", file=str(path))
    return decode(data, path.name)


def _unreadable_line(lines: list[str]) -> tuple[int, str]:
    """The line to blame when no layout fits: the first tabbed line, else the first text line."""
    for i, ln in enumerate(lines, 1):
        if "\t" in ln and ln.strip():
            return i, ln
    for i, ln in enumerate(lines, 1):
        if ln.strip():
            return i, ln
    return 1, ""


def parse_text(text: str, source: str) -> TaskDocument:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for _, detect, parse in LAYOUTS:
        if detect(lines):
            return parse(lines, source)
    i, line = _unreadable_line(lines)
    excerpt = line.strip().replace("\t", " ")[:30]
    raise InputError(
        f"{source}：无法识别任务清单的格式。第 {i} 行“{excerpt}”无法读取：它不是分工表的表头或表行"
        "（具体举措/牵头单位…，用制表符或逐行分隔），也不是以（一）编号、以〔责任单位：…〕结尾的任务段落，"
        "或“（一）”小节下的“1.”编号举措",
        code="tasks.layout_unknown",
        file=source,
        line=i,
    )
