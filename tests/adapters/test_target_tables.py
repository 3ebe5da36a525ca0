"""Reading target tables: seed 001's 附件2 / 附件3 from its text, and CSV / XLSX made from them."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from gengbao.adapters.target_tables import (
    classify_header,
    parse_value,
    read_csv,
    read_target_tables,
    read_text,
    read_xlsx,
)
from gengbao.domain.errors import InputError, NotFoundError
from gengbao.domain.targets import (
    FARMLAND,
    FARMLAND_NEW,
    FARMLAND_OLD,
    GAP,
    PBF,
    TableKind,
    TargetKey,
    TargetKind,
    TargetTable,
    task_key,
)
from tests.conftest import seed_path
from tests.domain.test_targets import ANNEX2, ANNEX3

ANNEX2_KEYS = (FARMLAND, PBF)
ANNEX3_KEYS = (FARMLAND_OLD, FARMLAND_NEW, GAP, task_key(2023), task_key(2024))
ANNEX2_HEADERS = ("行政区名称", "耕地保护目标\n（三区三线2020年）", "永久基本农田\n（三区三线2020年）")
ANNEX3_HEADERS = (
    "行政区名称",
    "2019年前确定耕地保护目标总数（二调）",
    "2020年后确定耕地保护目标总数（三调）",
    "耕地恢复任务缺口数（2019年-2020年差值）",
    "2023年度恢复任务（按缺口的10%）",
    "2024年度恢复任务（按缺口的10%）",
)


def seed_tables() -> list[TargetTable]:
    return read_text(seed_path("001"))


def as_text(table: TargetTable) -> dict[str, tuple[str, ...]]:
    """Figures as their exact decimal text, by the region as written."""
    return {r.region_label: tuple(str(r.values[k]) for k in table.keys) for r in table.rows}


def as_numbers(table: TargetTable) -> dict[str, tuple[Decimal, ...]]:
    return {r.region_label: tuple(r.values[k] for k in table.keys) for r in table.rows}


# ---------------------------------------------------------------- the seed's own text


def test_seed_text_holds_exactly_two_target_tables() -> None:
    a2, a3 = seed_tables()
    assert (a2.label, a2.source_key, a2.title, a2.unit) == (
        "附件2", f"{seed_path('001').name}#附件2", "景德镇市耕地保有量和永久基本农田保护目标任务", "万亩")
    assert (a3.label, a3.title, a3.unit) == ("附件3", "景德镇市耕地缺口任务恢复计划", "万亩")
    assert a2.kinds == (TableKind.TARGETS,) and a3.kinds == (TableKind.GAP_RECOVERY,)
    assert a2.keys == ANNEX2_KEYS and a3.keys == ANNEX3_KEYS


def test_seed_annex2_every_figure_as_published() -> None:
    a2 = seed_tables()[0]
    assert as_text(a2) == ANNEX2
    assert list(as_text(a2)) == ["景德镇市", "珠山区", "昌江区", "浮梁县", "乐平市"]
    assert [r.row for r in a2.rows] == [440, 444, 448, 452, 456]
    assert all(isinstance(v, Decimal) for r in a2.rows for v in r.values.values())
    # a header cell continued on the next (untabbed) line is joined
    assert a2.headers[FARMLAND] == "耕地保护目标（三区三线2020年）"
    assert a2.headers[PBF] == "永久基本农田（三区三线2020年）"


def test_seed_annex3_every_figure_as_published() -> None:
    a3 = seed_tables()[1]
    assert as_text(a3) == ANNEX3
    assert [r.row for r in a3.rows] == [477, 484, 491, 498, 505]
    assert a3.headers[task_key(2024)] == "2024年度恢复任务（按缺口的10%）"
    assert a3.rows[1].values[GAP] == Decimal("-0.1496")


def test_read_target_tables_picks_the_reader_by_suffix() -> None:
    tables = read_target_tables(seed_path("001"))
    assert [as_text(t) for t in tables] == [ANNEX2, ANNEX3]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("行政区名称", ("name", None, None)),
        ("行政区划代码", ("code", None, None)),
        ("耕地保护目标\n（三区三线2020年）", ("value", FARMLAND, None)),
        ("耕地保护目标（万亩）", ("value", FARMLAND, "万亩")),
        ("耕地保护目标(单位:万亩)", ("value", FARMLAND, "万亩")),
        ("耕地保护目标（二调）", ("value", FARMLAND_OLD, None)),
        ("耕地保护目标（三调）", ("value", FARMLAND_NEW, None)),
        ("永久基本农田", ("value", PBF, None)),
        ("2019年前确定耕地保护目标总数（二调）", ("value", FARMLAND_OLD, None)),
        ("2020年后确定耕地保护目标总数（三调）", ("value", FARMLAND_NEW, None)),
        ("耕地恢复任务缺口数（2019年-2020年差值）", ("value", GAP, None)),
        ("2025年度恢复任务（按缺口的10%）", ("value", TargetKey(TargetKind.RECOVERY_TASK, 2025), None)),
        ("耕地保护目标（公顷）", ("value", FARMLAND, "公顷")),
        ("序号", None),
        ("备注", None),
    ],
)
def test_header_recognition(header: str, expected: object) -> None:
    assert classify_header(header) == expected


@pytest.mark.parametrize(
    ("cell", "value"),
    [("120.2873", "120.2873"), (" −0.1496 ", "-0.1496"), ("－0.1496", "-0.1496"), ("0", "0"),
     ("1,234.5", "1234.5"), (129.45, "129.45"), (0, "0"), (Decimal("0.0458"), "0.0458"), (80.4127, "80.4127")],
)
def test_values_are_exact_decimals(cell: object, value: str) -> None:
    got = parse_value(cell, source="t.csv", row=3, header="耕地保护目标")  # type: ignore[arg-type]
    assert isinstance(got, Decimal) and str(got) == value


@pytest.mark.parametrize("cell", ["12O.2873", "NaN", "1e3", "-", "约80", True, "Infinity"])
def test_non_numbers_are_refused(cell: object) -> None:
    with pytest.raises(InputError) as exc:
        parse_value(cell, source="t.csv", row=3, header="耕地保护目标")  # type: ignore[arg-type]
    assert exc.value.code == "targets.bad_number"
    assert "t.csv 第 3 行“耕地保护目标”列" in exc.value.message


# ---------------------------------------------------------------- CSV and XLSX made from the seed


def write_csv(path: Path, table: TargetTable, headers: tuple[str, ...], *, codes: dict[str, str] | None = None,
              preamble: list[list[str]] | None = None, encoding: str = "utf-8") -> Path:
    with path.open("w", newline="", encoding=encoding) as f:
        w = csv.writer(f)
        for line in preamble or []:
            w.writerow(line)
        w.writerow(headers)
        for r in table.rows:
            label = codes[r.region_label] if codes else r.region_label
            w.writerow([label, *(str(r.values[k]) for k in table.keys)])
    return path


def write_xlsx(path: Path, sheets: list[tuple[str, TargetTable | None, tuple[str, ...]]]) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, table, headers in sheets:
        ws = wb.create_sheet(title)
        if table is None:
            ws.append(["本工作簿由测试生成"])
            continue
        ws.append([title])
        ws.append([table.title])
        ws.append([None, None, "单位：万亩"])
        ws.append(list(headers))
        for r in table.rows:  # numbers as Excel stores them: binary doubles
            ws.append([r.region_label, *(float(r.values[k]) for k in table.keys)])
        ws.append(["注：测试数据"])
    wb.save(path)
    return path


def test_csv_made_from_annex2_reads_back_the_same(tmp_path: Path) -> None:
    a2 = seed_tables()[0]
    path = write_csv(tmp_path / "附件2.csv", a2, ANNEX2_HEADERS)
    (table,) = read_csv(path)
    assert table.keys == ANNEX2_KEYS and as_text(table) == ANNEX2
    # rows are numbered as a spreadsheet shows them, though the header record spans two text lines
    assert [r.row for r in table.rows] == [2, 3, 4, 5, 6]


def test_csv_with_codes_bom_and_title_rows(tmp_path: Path) -> None:
    a3 = seed_tables()[1]
    codes = {"景德镇市": "360200", "珠山区": "360203", "昌江区": "360202", "浮梁县": "360222", "乐平市": "360281"}
    headers = ("行政区划代码", *ANNEX3_HEADERS[1:])
    path = write_csv(tmp_path / "附件3.csv", a3, headers, codes=codes,
                     preamble=[["附件3"], ["景德镇市耕地缺口任务恢复计划"], ["", "单位：万亩"], []], encoding="utf-8-sig")
    (table,) = read_target_tables(path)
    assert table.title == "景德镇市耕地缺口任务恢复计划"
    assert [(r.region_code, r.region_name) for r in table.rows][:2] == [("360200", None), ("360203", None)]
    assert [tuple(str(r.values[k]) for k in table.keys) for r in table.rows] == list(ANNEX3.values())


def test_tab_separated_csv(tmp_path: Path) -> None:
    a2 = seed_tables()[0]
    path = tmp_path / "t.csv"
    lines = ["行政区名称\t耕地保护目标\t永久基本农田"]
    lines += ["\t".join([r.region_label, *(str(r.values[k]) for k in a2.keys)]) for r in a2.rows]
    path.write_text("\n".join(lines), encoding="utf-8")
    assert as_text(read_csv(path)[0]) == ANNEX2


def test_xlsx_made_from_both_annexes_reads_back_the_same(tmp_path: Path) -> None:
    a2, a3 = seed_tables()
    path = write_xlsx(tmp_path / "targets.xlsx",
                      [("附件2", a2, ANNEX2_HEADERS), ("说明", None, ()), ("附件3", a3, ANNEX3_HEADERS)])
    t2, t3 = read_xlsx(path)
    assert (t2.label, t2.title, t2.source_key, t3.label) == (
        "附件2", "景德镇市耕地保有量和永久基本农田保护目标任务", "targets.xlsx#附件2", "附件3")
    assert t2.keys == ANNEX2_KEYS and t3.keys == ANNEX3_KEYS
    assert as_numbers(t2) == as_numbers(a2) and as_numbers(t3) == as_numbers(a3)
    assert str(t3.rows[0].values[FARMLAND_OLD]) == "129.45" and str(t2.rows[0].values[FARMLAND]) == "120.2873"
    assert [r.row for r in t2.rows] == [5, 6, 7, 8, 9]


def test_single_sheet_xlsx_has_no_label(tmp_path: Path) -> None:
    a2 = seed_tables()[0]
    (t,) = read_target_tables(write_xlsx(tmp_path / "a2.xlsx", [("Sheet1", a2, ANNEX2_HEADERS)]))
    assert (t.label, t.source_key) == ("", "a2.xlsx")
    assert as_numbers(t) == as_numbers(a2)


# ---------------------------------------------------------------- bad input: one stable code each


def _csv(tmp_path: Path, text: str, name: str = "bad.csv", encoding: str = "utf-8") -> Path:
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


GOOD_HEAD = "行政区名称,耕地保护目标,永久基本农田\n"


@pytest.mark.parametrize(
    ("text", "code", "fragments"),
    [
        ("行政区名称,耕地保护目标\n珠山区,0.5707\n", "targets.missing_header", ["“永久基本农田保护目标”", "第 1 行"]),
        ("名称,面积\n珠山区,0.5707\n", "targets.missing_header", ["找不到表头"]),
        ("珠山区,0.5707,0.0822\n", "targets.missing_header", ["找不到表头"]),
        ("行政区名称,备注\n珠山区,x\n", "targets.missing_header", ["没有任何目标数值列"]),
        (GOOD_HEAD + "珠山区,0.5707,0.0822\n昌江区,7.3O41,5.0704\n", "targets.bad_number",
         ["bad.csv 第 3 行“耕地保护目标”列", "“7.3O41”"]),
        (GOOD_HEAD + "珠山区,0.5707,\n", "targets.missing_value", ["第 2 行“永久基本农田”列为空"]),
        (GOOD_HEAD + ",0.5707,0.0822\n", "targets.missing_value", ["第 2 行缺少行政区名称"]),
        ("", "targets.empty_file", ["空文件"]),
        ("\ufeff\n \n", "targets.empty_file", ["空文件"]),
        ("\n\n,,\n", "targets.empty_file", ["空的"]),
        (GOOD_HEAD, "targets.no_rows", ["只有表头"]),
        ("行政区名称,耕地保护目标,耕地保有量,永久基本农田\n珠山区,1,1,1\n", "targets.duplicate_header", ["“耕地保有量”"]),
        ("单位：亩\n" + GOOD_HEAD + "珠山区,8560.5,1233\n", "targets.unit_unsupported", ["“亩”"]),
        ("行政区名称,耕地保护目标（公顷）,永久基本农田\n珠山区,1,1\n", "targets.unit_unsupported", ["“公顷”"]),
        (GOOD_HEAD + "珠山区,0.5707,0.0822,9\n", "targets.bad_row", ["第 2 行", "“9”"]),
    ],
)
def test_bad_csv(tmp_path: Path, text: str, code: str, fragments: list[str]) -> None:
    with pytest.raises(InputError) as exc:
        read_target_tables(_csv(tmp_path, text))
    assert exc.value.code == code, exc.value.message
    for frag in fragments:
        assert frag in exc.value.message
    assert exc.value.details["file"] == "bad.csv"


def test_gbk_csv_is_refused_with_a_hint(tmp_path: Path) -> None:
    path = _csv(tmp_path, GOOD_HEAD + "珠山区,0.5707,0.0822\n", encoding="gbk")
    with pytest.raises(InputError) as exc:
        read_target_tables(path)
    assert exc.value.code == "targets.encoding"
    assert "GBK" in exc.value.message and "CSV UTF-8" in exc.value.message


def test_unsupported_missing_and_corrupt_files(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        read_target_tables(_csv(tmp_path, GOOD_HEAD, name="t.ods"))
    assert exc.value.code == "targets.unsupported_format"
    with pytest.raises(NotFoundError) as nf:
        read_target_tables(tmp_path / "none.csv")
    assert nf.value.code == "targets.file_not_found"
    with pytest.raises(InputError) as exc:
        read_target_tables(_csv(tmp_path, "not a zip", name="t.xlsx"))
    assert exc.value.code == "targets.file_unreadable"


def test_xlsx_without_a_target_sheet(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "x.xlsx", [("说明", None, ())])
    with pytest.raises(InputError) as exc:
        read_xlsx(path)
    assert exc.value.code == "targets.missing_header"


def test_text_without_target_tables(tmp_path: Path) -> None:
    path = _csv(tmp_path, "附件1\n\t任务清单\n\n\t序号\n\t主要任务\n\n\t1\n\t强化责任\n", name="notice.txt")
    with pytest.raises(InputError) as exc:
        read_text(path)
    assert exc.value.code == "targets.missing_header"


def test_text_row_with_a_missing_cell_is_refused(tmp_path: Path) -> None:
    text = seed_path("001").read_text(encoding="utf-8").replace("\t0.0822\n", "", 1)
    path = _csv(tmp_path, text, name="001.txt")
    with pytest.raises(InputError) as exc:
        read_text(path)
    # 珠山区 keeps its farmland figure but has lost its PBF cell
    assert exc.value.code == "targets.missing_value"
    assert "001.txt#附件2 第 444 行“永久基本农田（三区三线2020年）”列为空" in exc.value.message
