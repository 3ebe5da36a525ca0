"""Bad task-list files are refused with the file and the line that could not be read."""

from __future__ import annotations

from pathlib import Path

import pytest

from gengbao.adapters.task_documents import read_task_document
from gengbao.domain.errors import InputError
from tests.conftest import seed_path


def seed_lines(prefix: str) -> list[str]:
    return seed_path(prefix).read_text(encoding="utf-8").split("\n")


def write(tmp_path: Path, name: str, lines: list[str]) -> Path:
    p = tmp_path / name
    p.write_text("\n".join(lines), encoding="utf-8")
    return p


def test_prose_is_refused_naming_the_first_line(tmp_path: Path) -> None:
    p = write(tmp_path, "prose.txt", ["", "会议纪要", "大家讨论了春耕安排。"])
    with pytest.raises(InputError) as e:
        read_task_document(p)
    assert e.value.code == "tasks.layout_unknown"
    assert e.value.details["line"] == 2
    assert "prose.txt" in e.value.message and "第 2 行“会议纪要”无法读取" in e.value.message


def test_tab_rows_without_header_name_the_first_tabbed_line(tmp_path: Path) -> None:
    lines = [ln for ln in seed_lines("000") if not ln.startswith("重点任务\t")]
    with pytest.raises(InputError) as e:
        read_task_document(write(tmp_path, "noheader.txt", lines))
    assert e.value.code == "tasks.layout_unknown"
    assert e.value.details["line"] == lines.index(next(ln for ln in lines if "\t" in ln)) + 1


def test_row_with_a_missing_column_is_refused_with_its_line(tmp_path: Path) -> None:
    lines = seed_lines("000")
    i = next(i for i, ln in enumerate(lines) if "\t8. " in ln)
    lines[i] = "\t".join(lines[i].split("\t")[:-1])  # drop the deadline column of measure 8
    with pytest.raises(InputError) as e:
        read_task_document(write(tmp_path, "short.txt", lines))
    assert e.value.code == "tasks.row_columns"
    assert e.value.details["line"] == i + 1
    assert f"第 {i + 1} 行：有 6 列，表头有 7 列" in e.value.message


def test_stray_text_line_inside_the_table_is_refused(tmp_path: Path) -> None:
    lines = seed_lines("000")
    lines.insert(20, "此处为页脚 第3页")
    with pytest.raises(InputError) as e:
        read_task_document(write(tmp_path, "stray.txt", lines))
    assert (e.value.code, e.value.details["line"]) == ("tasks.row_unreadable", 21)


def test_duplicate_measure_number_names_both_rows(tmp_path: Path) -> None:
    lines = seed_lines("000")
    i = next(i for i, ln in enumerate(lines) if "\t10. " in ln)
    lines[i] = lines[i].replace("\t10. ", "\t9. ")
    with pytest.raises(InputError) as e:
        read_task_document(write(tmp_path, "dup.txt", lines))
    assert e.value.code == "tasks.measure_duplicate"
    assert f"第 {i + 1} 行" in e.value.message and f"第 {i} 行" in e.value.message


def test_cell_lines_block_with_wrong_cell_count(tmp_path: Path) -> None:
    lines = seed_lines("001")
    i = lines.index("\t4.履行对耕地“非粮化”问题的整治和监管，加强对耕地质量管控和受污染耕地安全利用。")
    del lines[i + 2]  # measure 4 loses its 配合单位 cell
    with pytest.raises(InputError) as e:
        read_task_document(write(tmp_path, "cells.txt", lines))
    assert e.value.code == "tasks.row_columns"
    assert e.value.details["line"] == i - 1  # the block starts two lines above the measure text


def test_unparsed_deadline_is_a_warning_not_an_error(tmp_path: Path) -> None:
    lines = seed_lines("000")
    i = next(i for i, ln in enumerate(lines) if "\t4. " in ln)
    lines[i] = lines[i].replace("\t2021年底", "\t视情况而定")
    doc = read_task_document(write(tmp_path, "soft.txt", lines))
    assert [(f.code, f.feature) for f in doc.findings] == [("tasks.deadline_unparsed", f"第 {i + 1} 行")]
    assert doc.measures[3].deadline.kind.value == "unparsed"


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("empty.txt", b"  \n\n", "file.empty"),
        ("list.pdf", b"%PDF-1.4", "file.format_unsupported"),
        ("broken.xlsx", b"not a zip", "file.unreadable"),
        ("broken.docx", b"not a zip", "file.unreadable"),
    ],
)
def test_unreadable_files(tmp_path: Path, name: str, content: bytes, code: str) -> None:
    p = tmp_path / name
    p.write_bytes(content)
    with pytest.raises(InputError) as e:
        read_task_document(p)
    assert e.value.code == code


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError) as e:
        read_task_document(tmp_path / "nope.txt")
    assert e.value.code == "file.not_found"


def test_gbk_text_is_decoded(tmp_path: Path) -> None:
    p = tmp_path / "gbk.txt"
    p.write_bytes(seed_path("004").read_text(encoding="utf-8").encode("gb18030"))
    assert len(read_task_document(p).measures) == 12
