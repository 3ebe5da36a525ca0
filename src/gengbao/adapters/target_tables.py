"""Read region target tables: CSV (UTF-8), XLSX, or the tables inside a published notice's text.

Headers are Chinese, as published (行政区名称 / 耕地保护目标 / 永久基本农田 for the 附件2 form;
2019年前确定耕地保护目标总数（二调） … 2023年度恢复任务 for the 附件3 form). Parenthesised notes in a
header (``（三区三线2020年）``, ``（按缺口的10%）``) are ignored, except a unit (``（万亩）``) and
``二调`` / ``三调``. Title rows and a ``单位：万亩`` line may come before the header; a row starting
with ``注`` ends the table. Figures become ``Decimal`` as written (XLSX numbers, stored by Excel as
binary doubles, are read back through their shortest decimal form, so ``120.2873`` stays ``120.2873``).

The notice's text (seed 001) holds its tables one cell per line: each cell starts with a tab, a line
without a tab continues the cell above, a blank line ends a table row, and a line ``附件N`` starts an
attachment. Every attachment whose header names a region column is a target table; others (the
task list) are skipped.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from gengbao.domain.errors import InputError, NotFoundError
from gengbao.domain.targets import (
    KIND_OF_MEASURE,
    REQUIRED_MEASURES,
    UNIT,
    TableKind,
    TableRow,
    TargetKey,
    TargetKind,
    TargetTable,
)

CSV_SUFFIXES = (".csv",)
XLSX_SUFFIXES = (".xlsx", ".xlsm")
TEXT_SUFFIXES = (".txt",)
HEADER_SEARCH_ROWS = 15

Cell = str | int | float | Decimal | None
GridRow = tuple[int, Sequence[Cell]]

_NAME_HEADERS = {"行政区名称", "行政区划名称", "行政区", "行政区域", "区域名称", "地区", "单位名称"}
_CODE_HEADERS = {"行政区划代码", "行政区代码", "区划代码", "行政代码", "代码"}
_FARMLAND_HEADERS = {"耕地保护目标", "耕地保有量", "耕地保护目标任务", "耕地保有量目标", "耕地保护任务"}
_PBF_HEADERS = {"永久基本农田", "永久基本农田保护目标", "永久基本农田保护面积", "永久基本农田保护任务"}
_GAP_HEADERS = {"耕地恢复任务缺口数", "耕地恢复任务缺口", "耕地缺口", "缺口数", "恢复任务缺口数"}
_OLD_RE = re.compile(r"^\d{4}年前确定(的)?耕地保护目标(总数)?$")
_NEW_RE = re.compile(r"^\d{4}年后确定(的)?耕地保护目标(总数)?$")
_TASK_RE = re.compile(r"^(\d{4})年度?(耕地)?恢复任务(数)?$")
_PAREN_RE = re.compile(r"[（(]([^（）()]*)[）)]")
_UNIT_RE = re.compile(r"^单位[:：]\s*(.+?)\s*$")
_UNIT_WORDS = {"万亩", "亩", "公顷", "平方米", "平方千米", "平方公里", "hm2", "hm²", "m2", "m²", "km2", "km²"}
_NUMBER_RE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_THOUSANDS_RE = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_ATTACHMENT_RE = re.compile(r"^\s*附件\s*(\d+)\s*$")
_WS_RE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class _Column:
    index: int
    header: str
    role: str  # "name", "code" or "value"
    key: TargetKey | None = None


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _squash(text: str) -> str:
    return _WS_RE.sub("", text.replace("\u3000", ""))


def _header_unit(notes: Iterable[str]) -> str | None:
    for note in notes:
        n = note.removeprefix("单位").lstrip(":：")
        if n in _UNIT_WORDS:
            return n
    return None


def classify_header(text: str) -> tuple[str, TargetKey | None, str | None] | None:
    """Role (``name``/``code``/``value``), key and unit of one header cell; None if not recognised."""
    flat = _squash(text)
    notes = _PAREN_RE.findall(flat)
    base = _PAREN_RE.sub("", flat)
    unit = _header_unit(notes)
    if base in _NAME_HEADERS:
        return ("name", None, unit)
    if base in _CODE_HEADERS:
        return ("code", None, unit)
    key: TargetKey | None = None
    if base in _FARMLAND_HEADERS:
        measure = TargetKind.FARMLAND
        if any("二调" in n for n in notes):
            measure = TargetKind.FARMLAND_OLD
        elif any("三调" in n for n in notes):
            measure = TargetKind.FARMLAND_NEW
        key = TargetKey(measure)
    elif base in _PBF_HEADERS:
        key = TargetKey(TargetKind.PBF)
    elif _OLD_RE.match(base):
        key = TargetKey(TargetKind.FARMLAND_OLD)
    elif _NEW_RE.match(base):
        key = TargetKey(TargetKind.FARMLAND_NEW)
    elif base in _GAP_HEADERS:
        key = TargetKey(TargetKind.GAP)
    elif m := _TASK_RE.match(base):
        key = TargetKey(TargetKind.RECOVERY_TASK, int(m.group(1)))
    if key is None:
        return None
    return ("value", key, unit)


def _err(source: str, message: str, code: str, **details: object) -> InputError:
    return InputError(message, code=code, file=source, **details)


def _unit_error(source: str, unit: str, where: str) -> InputError:
    return _err(
        source,
        f"目标表 {source} {where}的单位为“{unit}”，目前只接受万亩；请换算为万亩后再导入（不做隐式换算）。",
        "targets.unit_unsupported", unit=unit,
    )


def parse_value(cell: Cell, *, source: str, row: int, header: str) -> Decimal:
    """One figure as published; errors name the file, row and column."""
    where = f"目标表 {source} 第 {row} 行“{header}”列"
    if isinstance(cell, bool):
        raise _err(source, f"{where}的值“{cell}”不是数字。", "targets.bad_number", row=row, column=header,
                   value=str(cell))
    if isinstance(cell, Decimal):
        value = cell
    elif isinstance(cell, int):
        value = Decimal(cell)
    elif isinstance(cell, float):
        value = Decimal(repr(cell))
    else:
        text = _squash(_text(cell)).replace("−", "-").replace("－", "-").replace("＋", "+")
        if not text:
            raise _err(source, f"{where}为空，缺少数值。", "targets.missing_value", row=row, column=header)
        if _THOUSANDS_RE.match(text):
            text = text.replace(",", "")
        if not _NUMBER_RE.match(text):
            raise _err(source, f"{where}的值“{_text(cell)}”不是数字。", "targets.bad_number", row=row,
                       column=header, value=_text(cell))
        value = Decimal(text)
    if not value.is_finite():
        raise _err(source, f"{where}的值“{cell}”不是有限的数字。", "targets.bad_number", row=row, column=header,
                   value=str(cell))
    return value


def _find_header(rows: Sequence[GridRow]) -> int | None:
    for i, (_, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        for cell in cells:
            c = classify_header(_text(cell))
            if c is not None and c[0] in ("name", "code"):
                return i
    return None


def _expected_headers() -> str:
    return "“行政区名称”（或“行政区划代码”），以及“耕地保护目标”“永久基本农田”，或“2019年前确定耕地保护目标总数（二调）”" \
        "“2020年后确定耕地保护目标总数（三调）”“耕地恢复任务缺口数”“2023年度恢复任务”等列"


def _columns(cells: Sequence[Cell], *, source: str, row: int, unit: str | None) -> tuple[list[_Column], str | None]:
    cols: list[_Column] = []
    seen: dict[object, str] = {}
    for i, cell in enumerate(cells):
        header = _text(cell)
        if not header:
            continue
        c = classify_header(header)
        if c is None:
            continue  # extra columns (序号, 备注 …) are ignored
        role, key, col_unit = c
        if col_unit is not None:
            if col_unit != UNIT:
                raise _unit_error(source, col_unit, f"“{_squash(header)}”列")
            unit = col_unit
        ident: object = key if key is not None else role
        if ident in seen:
            raise _err(
                source, f"目标表 {source} 第 {row} 行表头中“{_squash(header)}”与“{seen[ident]}”是同一列。",
                "targets.duplicate_header", row=row, column=_squash(header),
            )
        seen[ident] = _squash(header)
        cols.append(_Column(i, _squash(header), role, key))
    return cols, unit


def _check_complete(cols: Sequence[_Column], *, source: str, row: int) -> None:
    keys = [c.key for c in cols if c.key is not None]
    if not keys:
        raise _err(
            source, f"目标表 {source} 第 {row} 行表头中没有任何目标数值列；表头应包含{_expected_headers()}。",
            "targets.missing_header", row=row, missing=[],
        )
    present = {KIND_OF_MEASURE[k.measure] for k in keys}
    measures = {k.measure for k in keys}
    for kind in TableKind:
        if kind not in present:
            continue
        missing = [m for m in REQUIRED_MEASURES[kind] if m not in measures]
        if missing:
            names = "、".join(f"“{m.label}”" if m is not TargetKind.RECOVERY_TASK else "“某年度恢复任务”"
                             for m in missing)
            raise _err(
                source, f"目标表 {source} 第 {row} 行表头缺少 {names} 列（{kind.label}须包含这些列）。",
                "targets.missing_header", row=row, missing=[str(m) for m in missing],
            )


def parse_grid(rows: Sequence[GridRow], *, source: str, label: str = "", required: bool = True) -> TargetTable | None:
    """A target table from rows of cells (with their 1-based row numbers).

    ``required``: no region header is an error (``targets.missing_header``); otherwise None (an
    attachment or sheet that is not a target table).
    """
    rows = [(n, list(cells)) for n, cells in rows if any(_text(c) for c in cells)]
    if not rows:
        if required:
            raise _err(source, f"目标表 {source} 是空的，没有任何内容。", "targets.empty_file")
        return None
    h = _find_header(rows)
    if h is None:
        if required:
            raise _err(
                source, f"目标表 {source} 中找不到表头行；表头应包含{_expected_headers()}。",
                "targets.missing_header", missing=["行政区名称"],
            )
        return None
    title: str | None = None
    unit: str | None = None
    for _, cells in rows[:h]:
        for cell in cells:
            t = _text(cell)
            if not t:
                continue
            if m := _UNIT_RE.match(_squash(t)):
                if m.group(1) != UNIT:
                    raise _unit_error(source, m.group(1), "表头前")
                unit = m.group(1)
            elif title is None and not _ATTACHMENT_RE.match(t):
                title = t
    header_row, header_cells = rows[h]
    cols, unit = _columns(header_cells, source=source, row=header_row, unit=unit)
    _check_complete(cols, source=source, row=header_row)
    name_col = next((c for c in cols if c.role == "name"), None)
    code_col = next((c for c in cols if c.role == "code"), None)
    value_cols = [c for c in cols if c.key is not None]
    shown = f"{source}#{label}" if label else source
    width = len(header_cells)
    out: list[TableRow] = []
    for n, cells in rows[h + 1:]:
        first = next((_text(c) for c in cells if _text(c)), "")
        if first.startswith("注"):
            break
        extra = [_text(c) for c in cells[width:] if _text(c)]
        if extra:
            raise _err(source, f"目标表 {shown} 第 {n} 行的单元格比表头多（多出“{extra[0]}”）。",
                       "targets.bad_row", row=n)

        def at(col: _Column, cells: Sequence[Cell] = cells) -> Cell:
            return cells[col.index] if col.index < len(cells) else None

        name = _text(at(name_col)) if name_col else ""
        code = _text(at(code_col)) if code_col else ""
        if name and not code and name.isdigit():
            name, code = "", name
        if not name and not code:
            raise _err(source, f"目标表 {shown} 第 {n} 行缺少行政区名称。", "targets.missing_value", row=n,
                       column=(name_col or code_col or value_cols[0]).header)
        values = {
            c.key: parse_value(at(c), source=shown, row=n, header=c.header) for c in value_cols if c.key
        }
        out.append(TableRow(n, values, region_name=name or None, region_code=code or None))
    if not out:
        raise _err(source, f"目标表 {shown} 只有表头，没有数据行。", "targets.no_rows", row=header_row)
    keys = tuple(c.key for c in value_cols if c.key is not None)
    return TargetTable(
        source=source, label=label, keys=keys, rows=tuple(out), title=title, unit=unit or UNIT,
        headers={c.key: c.header for c in value_cols if c.key is not None},
    )


# --------------------------------------------------------------------------------------------
# Files
# --------------------------------------------------------------------------------------------


def _decode(path: Path, raw: bytes, what: str) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        try:
            raw.decode("gb18030")
            hint = "看起来是 GBK（GB18030）编码"
        except UnicodeDecodeError:
            hint = "编码无法识别"
        raise _err(
            path.name,
            f"{what} {path.name} 不是 UTF-8 编码（{hint}）。请在 Excel 中“另存为 → CSV UTF-8（逗号分隔）”，"
            "或直接导入 .xlsx 文件。",
            "targets.encoding",
        ) from None


def _read_bytes(path: Path) -> bytes:
    if not path.is_file():
        raise NotFoundError(f"找不到目标表文件 {path}。", code="targets.file_not_found", file=str(path))
    raw = path.read_bytes()
    if not raw.removeprefix(b"\xef\xbb\xbf").strip():
        raise _err(path.name, f"目标表 {path.name} 是空文件。", "targets.empty_file")
    return raw


def read_csv(path: Path) -> list[TargetTable]:
    """One table from a UTF-8 CSV (comma or tab separated; a BOM is fine; GBK is refused)."""
    text = _decode(path, _read_bytes(path), "CSV 文件")
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = "\t" if "\t" in first and "," not in first else ","
    grid = [(i, row) for i, row in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1)]
    table = parse_grid(grid, source=path.name)
    assert table is not None
    return [table]


def read_xlsx(path: Path) -> list[TargetTable]:
    """Every sheet holding a target table; a workbook with none is ``targets.missing_header``."""
    import openpyxl

    _read_bytes(path)
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise _err(path.name, f"无法读取 Excel 文件 {path.name}：{exc}", "targets.file_unreadable") from exc
    try:
        sheets = [
            (ws.title, [(i, list(r)) for i, r in enumerate(ws.iter_rows(values_only=True), start=1)])
            for ws in wb.worksheets
        ]
    finally:
        wb.close()
    single = len(sheets) == 1
    tables = []
    for title, grid in sheets:
        table = parse_grid(grid, source=path.name, label="" if single else title, required=False)
        if table is not None:
            tables.append(table)
    if not tables:
        nonempty = [g for _, g in sheets if any(_text(c) for _, cells in g for c in cells)]
        parse_grid(nonempty[0] if nonempty else [], source=path.name, required=True)
    return tables


def _text_blocks(lines: Sequence[tuple[int, str]]) -> list[GridRow]:
    """Rows of cells from the one-cell-per-line layout (see module docstring)."""
    blocks: list[GridRow] = []
    start = 0
    cells: list[str] = []
    for n, line in lines:
        if not line.strip():
            if cells:
                blocks.append((start, cells))
            cells = []
            continue
        if line.startswith("\t") or not cells:
            if not cells:
                start = n
            cells.append(line.strip())
        else:
            cells[-1] += line.strip()
    if cells:
        blocks.append((start, cells))
    return blocks


def read_text(path: Path) -> list[TargetTable]:
    """Every target table in a notice's text (seed 001 layout), labelled by its attachment (附件2 …)."""
    text = _decode(path, _read_bytes(path), "文本文件")
    numbered = list(enumerate(text.splitlines(), start=1))
    heads = [(i, m.group(1)) for i, (_, line) in enumerate(numbered) if (m := _ATTACHMENT_RE.match(line))]
    sections: list[tuple[str, Sequence[tuple[int, str]]]]
    if heads:
        bounds = [i for i, _ in heads] + [len(numbered)]
        sections = [(f"附件{no}", numbered[i + 1:bounds[j + 1]]) for j, (i, no) in enumerate(heads)]
    else:
        sections = [("", numbered)]
    tables = []
    for label, lines in sections:
        table = parse_grid(_text_blocks(lines), source=path.name, label=label, required=False)
        if table is not None:
            tables.append(table)
    if not tables:
        raise _err(path.name, f"文本 {path.name} 中没有找到目标表；表头应包含{_expected_headers()}。",
                   "targets.missing_header", missing=["行政区名称"])
    return tables


def read_target_tables(path: Path) -> list[TargetTable]:
    """The one door for target tables: ``.csv``, ``.xlsx``/``.xlsm`` or a notice's ``.txt``."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        return read_csv(path)
    if suffix in XLSX_SUFFIXES:
        return read_xlsx(path)
    if suffix in TEXT_SUFFIXES:
        return read_text(path)
    raise _err(
        path.name, f"不支持的目标表文件类型“{path.suffix or path.name}”；请使用 .csv（UTF-8）、.xlsx 或 .txt。",
        "targets.unsupported_format",
    )
