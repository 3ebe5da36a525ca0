"""Read a county's yearly 进出平衡 plan from .xlsx, .csv (UTF-8) or a GeoPackage layer's attributes.

One row per parcel. Headers (Chinese or English; the first row that names 方向 and 面积 is the
header): 编号/row_id, 方向/direction (出/进, out/in), 地块编号/parcel_id, 面积（平方米）/area_m2,
日期/date (YYYY-MM-DD; Excel dates accepted), 永久基本农田/on_pbf (是/否), 质量等别/quality_grade,
例外情形/exemption (生态退耕/灾毁/永久淹没), 地类/other_class. Areas are m²; a header that says
（亩） is converted exactly. A value that cannot be read stops the import with the file, row and
field named (``balance.plan.bad_value``); rule problems (a negative area, PBF outflow) are the
domain check's findings.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from gengbao.domain.area_units import AreaUnit, round_area, to_m2
from gengbao.domain.balance import Direction, Exemption, PlanRow
from gengbao.domain.errors import InputError

_FIELDS = {
    "row_id": ("编号", "行号", "序号", "row_id"),
    "direction": ("方向", "进出", "进出方向", "direction"),
    "parcel_id": ("地块编号", "图斑编号", "TBBH", "parcel_id"),
    "area": ("面积", "面积（平方米）", "面积(平方米)", "面积（亩）", "面积(亩)", "area_m2", "area_mu", "MJ"),
    "date": ("日期", "完成日期", "计划完成日期", "date"),
    "on_pbf": ("永久基本农田", "是否永久基本农田", "on_pbf"),
    "quality_grade": ("质量等别", "耕地质量等别", "quality_grade"),
    "exemption": ("例外情形", "例外", "exemption"),
    "other_class": ("地类", "转换地类", "other_class"),
}
_DIRECTIONS = {"出": Direction.OUTFLOW, "out": Direction.OUTFLOW, "进": Direction.INFLOW, "in": Direction.INFLOW}
_EXEMPTIONS = {"生态退耕": Exemption.ECOLOGICAL_RETIREMENT, "灾毁": Exemption.DISASTER,
               "永久淹没": Exemption.PERMANENT_FLOODING, **{e.value: e for e in Exemption}}
_YES = {"是", "true", "1", "yes", "y"}
_NO = {"否", "false", "0", "no", "n", ""}


def _cells(path: Path, layer: str | None) -> list[list[Any]]:
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True, data_only=True)
        sheet = wb[layer] if layer else wb.worksheets[0]
        return [list(r) for r in sheet.iter_rows(values_only=True)]
    if suffix == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as fh:
            return [list(r) for r in csv.reader(fh)]
    if suffix == ".gpkg":
        import pyogrio

        frame = pyogrio.read_dataframe(path, layer=layer, read_geometry=False)
        return [list(frame.columns), *frame.astype(object).where(frame.notna(), None).values.tolist()]
    raise InputError(f"不支持的进出平衡方案格式：{path.name}（可用 .xlsx、.csv、.gpkg）", code="balance.plan.format",
                     file=str(path))


def _header(rows: Sequence[Sequence[Any]], name: str) -> tuple[int, dict[str, int], AreaUnit]:
    for i, row in enumerate(rows[:15]):
        texts = [str(c).strip() if c is not None else "" for c in row]
        cols = {f: j for f, names in _FIELDS.items() for j, t in enumerate(texts) if t in names}
        if "direction" in cols and "area" in cols:
            unit = AreaUnit.MU if "亩" in texts[cols["area"]] or texts[cols["area"]] == "area_mu" else AreaUnit.M2
            missing = [f for f in ("direction", "area", "date") if f not in cols]
            if missing:
                raise InputError(f"{name} 缺少列：{'、'.join(_FIELDS[f][0] for f in missing)}",
                                 code="balance.plan.missing_column", file=name)
            return i, cols, unit
    raise InputError(f"{name} 找不到表头（需要“方向”“面积”“日期”列）", code="balance.plan.missing_column", file=name)


def _fail(name: str, row: int, field: str, problem: str) -> InputError:
    return InputError(f"{name} 第 {row} 行“{field}”{problem}", code="balance.plan.bad_value", file=name, row=row,
                      field=field)


def read_plan(path: Path, layer: str | None = None) -> list[PlanRow]:
    path = Path(path)
    if not path.exists():
        raise InputError(f"进出平衡方案文件不存在：{path}", code="file.not_found", file=str(path))
    name = path.name
    rows = _cells(path, layer)
    h, cols, unit = _header(rows, name)
    out: list[PlanRow] = []
    for i, row in enumerate(rows[h + 1:], start=h + 2):
        def cell(f: str, row: Sequence[Any] = row) -> Any:
            j = cols.get(f)
            v = row[j] if j is not None and j < len(row) else None
            return v.strip() if isinstance(v, str) else v
        if all(c is None or str(c).strip() == "" for c in row):
            continue
        direction = _DIRECTIONS.get(str(cell("direction") or "").lower())
        if direction is None:
            raise _fail(name, i, "方向", f"应为“出”或“进”，实际为 {cell('direction')!r}")
        try:
            area = round_area(to_m2(Decimal(str(cell("area"))), unit), AreaUnit.M2)
        except (InvalidOperation, InputError):
            raise _fail(name, i, "面积", f"不是数字：{cell('area')!r}") from None
        day = cell("date")
        if isinstance(day, dt.datetime):
            day = day.date()
        elif not isinstance(day, dt.date):
            try:
                day = dt.date.fromisoformat(str(day)[:10])
            except ValueError:
                raise _fail(name, i, "日期", f"应为 YYYY-MM-DD，实际为 {day!r}") from None
        pbf_text = str(cell("on_pbf") if cell("on_pbf") is not None else "").lower()
        if pbf_text not in _YES | _NO:
            raise _fail(name, i, "永久基本农田", f"应为“是”或“否”，实际为 {cell('on_pbf')!r}")
        grade = cell("quality_grade")
        try:
            grade = None if grade in (None, "") else int(Decimal(str(grade)))
        except InvalidOperation:
            raise _fail(name, i, "质量等别", f"应为整数，实际为 {grade!r}") from None
        ex = cell("exemption")
        exemption = None if ex in (None, "") else _EXEMPTIONS.get(str(ex))
        if ex not in (None, "") and exemption is None:
            raise _fail(name, i, "例外情形", f"应为 生态退耕、灾毁 或 永久淹没，实际为 {ex!r}")
        out.append(PlanRow(str(cell("row_id") or i), direction, str(cell("parcel_id") or ""), area, day,
                           pbf_text in _YES, grade, exemption, str(cell("other_class") or "")))
    return out
