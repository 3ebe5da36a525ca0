"""The .xlsx and .docx variants of the seeds (made here from the seed text) read to the same measures."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from openpyxl import load_workbook

from gengbao.adapters.task_documents import read_task_document
from tests.adapters.task_documents.variants import write_docx, write_docx_paragraphs, write_xlsx
from tests.conftest import seed_path


def same(a, b) -> None:  # type: ignore[no-untyped-def]
    assert b.title == a.title
    assert [c.header for c in b.columns] == [c.header for c in a.columns]
    assert [m.to_dict() for m in b.measures] == [m.to_dict() for m in a.measures]


@pytest.mark.parametrize("prefix", ["000", "001"])
def test_xlsx_variant_reads_the_same(prefix: str, tmp_path: Path) -> None:
    path = write_xlsx(prefix, tmp_path / f"{prefix}.xlsx")
    sheet = load_workbook(path).active
    vertical = [r for r in sheet.merged_cells.ranges if r.min_row != r.max_row]
    assert vertical, "the variant must have merged cells in its first columns"
    headers = [row[0].value for row in sheet.iter_rows() if row[0].value in ("重点任务", "序号")]
    assert len(headers) == {"000": 9, "001": 17}[prefix]  # the header repeated on every page
    doc = read_task_document(path)
    assert doc.layout == "xlsx_table"
    same(read_task_document(seed_path(prefix)), doc)


@pytest.mark.parametrize("prefix", ["000", "001"])
def test_docx_table_variant_reads_the_same(prefix: str, tmp_path: Path) -> None:
    path = write_docx(prefix, tmp_path / f"{prefix}.docx")
    d = docx.Document(str(path))
    assert len(d.tables) == {"000": 9, "001": 17}[prefix]
    doc = read_task_document(path)
    assert doc.layout == "docx_table"
    same(read_task_document(seed_path(prefix)), doc)


@pytest.mark.parametrize("prefix", ["002", "003", "004"])
def test_docx_paragraph_variant_reads_the_same(prefix: str, tmp_path: Path) -> None:
    doc = read_task_document(write_docx_paragraphs(prefix, tmp_path / f"{prefix}.docx"))
    text = read_task_document(seed_path(prefix))
    assert doc.layout == text.layout
    assert doc.phases == text.phases
    same(text, doc)
