"""Readers for responsibility task lists (.txt in the seed layouts, .xlsx, .docx) and .xlsx exports.

``read_task_document(path)`` picks the reader by suffix and returns a ``TaskDocument`` (pure values);
bad input raises ``InputError`` naming the file and the line, row or table that could not be read.
"""

from __future__ import annotations

from pathlib import Path

from gengbao.domain.errors import InputError
from gengbao.domain.tasks.measures import TaskDocument

TEXT_SUFFIXES = (".txt", ".text", ".md", ".tsv", "")


def read_task_document(path: Path) -> TaskDocument:
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix == ".xlsx":
        from gengbao.adapters.task_documents.xlsx import read_xlsx

        return read_xlsx(p)
    if suffix == ".docx":
        from gengbao.adapters.task_documents.docx import read_docx

        return read_docx(p)
    if suffix in TEXT_SUFFIXES:
        from gengbao.adapters.task_documents.text import parse_text, read_text_file

        return parse_text(read_text_file(p), p.name)
    raise InputError(
        f"{p.name}：不支持的文件类型 {suffix}（支持 .txt、.xlsx、.docx）",
        code="file.format_unsupported",
        file=str(p),
    )
