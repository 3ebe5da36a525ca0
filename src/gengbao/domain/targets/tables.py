"""Target tables as an adapter reads them from a file, and their resolution to region codes."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from gengbao.domain.errors import GengbaoError, InputError
from gengbao.domain.regions import Region, RegionCatalog, normalise_code
from gengbao.domain.targets.kinds import KIND_OF_MEASURE, UNIT, TableKind, TargetKey, TargetKind

# --------------------------------------------------------------------------------------------
# Tables as read from a file (built by adapters), and their resolution to region codes
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TableRow:
    """One data row as read: the region as written (name and/or code) and its figures."""

    row: int  # line (text) or row (CSV/XLSX) number in the source, 1-based
    values: Mapping[TargetKey, Decimal]
    region_name: str | None = None
    region_code: str | None = None

    @property
    def region_label(self) -> str:
        return self.region_name or self.region_code or ""


@dataclass(frozen=True, slots=True)
class TargetTable:
    """One target table read from a file (a CSV file, an XLSX sheet, an attachment of a text)."""

    source: str  # file name as shown to users
    label: str  # "附件2", a sheet name, or "" for a single-table file
    keys: tuple[TargetKey, ...]  # value columns in table order
    rows: tuple[TableRow, ...]
    title: str | None = None
    unit: str = UNIT
    headers: Mapping[TargetKey, str] = field(default_factory=dict)  # column header as written

    @property
    def source_key(self) -> str:
        """Identity of the table for re-imports: file name, plus attachment or sheet."""
        return f"{self.source}#{self.label}" if self.label else self.source

    @property
    def kinds(self) -> tuple[TableKind, ...]:
        present = {KIND_OF_MEASURE[k.measure] for k in self.keys}
        return tuple(k for k in TableKind if k in present)

    def where(self, row: int) -> str:
        return f"目标表 {self.source_key} 第 {row} 行"


@dataclass(frozen=True, slots=True)
class TargetValue:
    """One figure resolved to a region code, with where it came from."""

    region: str
    key: TargetKey
    value: Decimal
    source: str = ""
    row: int | None = None


_SPACES = re.compile(r"\s+")


def _clean_name(name: str) -> str:
    return _SPACES.sub("", name.replace("\u3000", ""))


def resolve_region(
    catalog: RegionCatalog,
    within: str,
    *,
    code: str | None = None,
    name: str | None = None,
    where: str = "",
) -> Region:
    """The region a row names, by code or by name, inside the workspace region ``within``.

    Raises :class:`InputError` with a stable code: ``targets.unknown_region`` (no such code or
    name), ``targets.region_outside`` (it exists, outside the workspace), ``targets.ambiguous_region``
    (a name shared by several regions) or ``targets.region_name_mismatch`` (code and name disagree).
    """
    scope = catalog.get(within)
    prefix = f"{where}：" if where else ""
    clean = _clean_name(name) if name else ""
    if code is not None and code.strip():
        try:
            region = catalog.get(normalise_code(code))
        except GengbaoError:
            raise InputError(
                f"{prefix}行政区划代码“{code}”不在区划代码表中。",
                code="targets.unknown_region", where=where, region=code,
            ) from None
        if clean and clean != region.name:
            raise InputError(
                f"{prefix}行政区划代码 {region.code} 是“{region.name}”，与所填名称“{name}”不符。",
                code="targets.region_name_mismatch", where=where, region=code, name=name,
            )
    elif clean:
        hits = catalog.by_name(clean, within=scope.code)
        if not hits:
            elsewhere = catalog.by_name(clean)
            if elsewhere:
                found = "、".join(f"{r.code}" for r in elsewhere)
                raise InputError(
                    f"{prefix}“{name}”（{found}）不在本工作空间范围 {scope.name}（{scope.code}）内。",
                    code="targets.region_outside", where=where, region=name,
                )
            raise InputError(
                f"{prefix}行政区名称“{name}”在 {scope.name}（{scope.code}）范围内找不到；"
                "请使用区划代码表中的全称（如“珠山区”）或填写行政区划代码。",
                code="targets.unknown_region", where=where, region=name,
            )
        if len(hits) > 1:
            found = "、".join(r.code for r in hits)
            raise InputError(
                f"{prefix}行政区名称“{name}”对应多个行政区（{found}），请改填行政区划代码。",
                code="targets.ambiguous_region", where=where, region=name,
            )
        region = hits[0]
    else:
        raise InputError(f"{prefix}缺少行政区名称或代码。", code="targets.missing_value", where=where)
    if not catalog.contains(scope.code, region.code):
        raise InputError(
            f"{prefix}{region.name}（{region.code}）不在本工作空间范围 {scope.name}（{scope.code}）内。",
            code="targets.region_outside", where=where, region=region.code,
        )
    return region


def resolve_table(table: TargetTable, catalog: RegionCatalog, within: str) -> list[TargetValue]:
    """Every figure of ``table`` with its region code; a region given twice is an error."""
    seen: dict[str, TableRow] = {}
    out: list[TargetValue] = []
    for row in table.rows:
        where = table.where(row.row)
        region = resolve_region(catalog, within, code=row.region_code, name=row.region_name, where=where)
        if region.code in seen:
            first = seen[region.code]
            raise InputError(
                f"{where}：{region.name}（{region.code}）重复出现，第 {first.row} 行已填写该行政区。",
                code="targets.duplicate_region", where=where, region=region.code, first_row=first.row,
            )
        seen[region.code] = row
        for key in table.keys:
            value = row.values[key]
            if value < 0 and key.measure is not TargetKind.GAP:  # only a gap may be negative (三调 above 二调)
                raise InputError(
                    f"{where}：{region.name}的{key.label}为负数 {value} 万亩；保护目标与恢复任务不能为负。",
                    code="targets.negative_value", where=where, region=region.code, value=str(value),
                )
            out.append(TargetValue(region.code, key, value, table.source_key, row.row))
    return out


def collect_values(tables: Sequence[TargetTable], catalog: RegionCatalog, within: str) -> list[TargetValue]:
    """Resolve several tables of one import; two tables giving different figures for one cell is an error."""
    by_cell: dict[tuple[str, TargetKey], TargetValue] = {}
    out: list[TargetValue] = []
    for table in tables:
        for v in resolve_table(table, catalog, within):
            cell = (v.region, v.key)
            other = by_cell.get(cell)
            if other is None:
                by_cell[cell] = v
                out.append(v)
            elif other.value != v.value:
                raise InputError(
                    f"{v.region} 的{v.key.label}在 {other.source} 第 {other.row} 行为 {other.value}，"
                    f"在 {v.source} 第 {v.row} 行为 {v.value}，两表不一致。",
                    code="targets.conflicting_values", region=v.region, measure=str(v.key),
                )
    return out


TargetValues = Mapping[str, Mapping[TargetKey, Decimal]]


def group_values(values: Iterable[TargetValue]) -> dict[str, dict[TargetKey, Decimal]]:
    out: dict[str, dict[TargetKey, Decimal]] = {}
    for v in values:
        out.setdefault(v.region, {})[v.key] = v.value
    return out
