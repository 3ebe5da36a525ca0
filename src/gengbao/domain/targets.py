"""Farmland protection targets (耕地保护目标) per region, and the checks that run on them.

A target table gives, per region, figures in 万亩 exactly as published: the farmland target and
the PBF target (附件2 form), or the old (二调-based) and new (三调-based) farmland targets, the gap
between them and the yearly recovery tasks (附件3 form). Everything here is pure: values are
``Decimal`` (never float), tables come in as :class:`TargetTable` built by an adapter, and checks
return :class:`TargetFinding` values instead of raising: a published table that does not add up is
a finding, not an error.

Rules implemented (DOMAIN.md §7, §8):

- a parent's figure should equal the sum of its direct children's figures;
- gap = old target − new target;
- yearly recovery task = ``rate`` (10 %) of a positive gap, rounded half up to ``places`` (4)
  decimals; 0 when the gap is zero or negative;
- a parent's yearly task should equal the sum of its children's tasks;
- survey farmland (Σ TBDLMJ of 0101–0103) and PBF area of an epoch should not fall below the targets.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from gengbao.domain.area_units import AreaUnit, convert, from_m2, round_area
from gengbao.domain.errors import GengbaoError, InputError
from gengbao.domain.findings import Finding, Severity
from gengbao.domain.regions import Region, RegionCatalog, normalise_code

UNIT = AreaUnit.WAN_MU.label  # 万亩: every figure of a target table
DEFAULT_TASK_RATE = Decimal("0.1")
DEFAULT_TASK_PLACES = 4


class TargetKind(StrEnum):
    """What a figure in a target table measures (always in 万亩)."""

    FARMLAND = "farmland"  # 耕地保护目标（三区三线 2020）
    PBF = "pbf"  # 永久基本农田保护目标
    FARMLAND_OLD = "farmland_old"  # 2019 年前确定的耕地保护目标（二调）
    FARMLAND_NEW = "farmland_new"  # 2020 年后确定的耕地保护目标（三调）
    GAP = "gap"  # 耕地恢复任务缺口数 = 二调目标 − 三调目标
    RECOVERY_TASK = "recovery_task"  # 某年度恢复任务（按缺口的 10%）

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]

    @property
    def yearly(self) -> bool:
        return self is TargetKind.RECOVERY_TASK


_KIND_LABELS = {
    TargetKind.FARMLAND: "耕地保护目标",
    TargetKind.PBF: "永久基本农田保护目标",
    TargetKind.FARMLAND_OLD: "耕地保护目标（二调）",
    TargetKind.FARMLAND_NEW: "耕地保护目标（三调）",
    TargetKind.GAP: "耕地恢复任务缺口",
    TargetKind.RECOVERY_TASK: "年度恢复任务",
}
_KIND_ORDER = {m: i for i, m in enumerate(TargetKind)}


class TableKind(StrEnum):
    """The two published table forms."""

    TARGETS = "targets"  # 耕地保有量和永久基本农田保护目标（附件2）
    GAP_RECOVERY = "gap_recovery"  # 耕地缺口恢复计划（附件3）

    @property
    def label(self) -> str:
        return "耕地保有量和永久基本农田保护目标表" if self is TableKind.TARGETS else "耕地缺口恢复计划表"


# Measures a table of each kind must carry (RECOVERY_TASK: at least one year).
REQUIRED_MEASURES: dict[TableKind, tuple[TargetKind, ...]] = {
    TableKind.TARGETS: (TargetKind.FARMLAND, TargetKind.PBF),
    TableKind.GAP_RECOVERY: (TargetKind.FARMLAND_OLD, TargetKind.FARMLAND_NEW, TargetKind.GAP, TargetKind.RECOVERY_TASK),
}
KIND_OF_MEASURE: dict[TargetKind, TableKind] = {
    m: kind for kind, measures in REQUIRED_MEASURES.items() for m in measures
}


@dataclass(frozen=True, slots=True)
class TargetKey:
    """One column of figures: a measure, and a year for yearly measures."""

    measure: TargetKind
    year: int | None = None

    def __post_init__(self) -> None:
        if self.measure.yearly and self.year is None:
            raise ValueError(f"{self.measure} needs a year")
        if not self.measure.yearly and self.year is not None:
            raise ValueError(f"{self.measure} takes no year")

    @property
    def label(self) -> str:
        if self.year is not None:
            return f"{self.year}年度恢复任务"
        return self.measure.label

    @property
    def sort_key(self) -> tuple[int, int]:
        return (_KIND_ORDER[self.measure], self.year or 0)

    def __str__(self) -> str:
        return f"{self.measure}:{self.year}" if self.year is not None else str(self.measure)


FARMLAND = TargetKey(TargetKind.FARMLAND)
PBF = TargetKey(TargetKind.PBF)
FARMLAND_OLD = TargetKey(TargetKind.FARMLAND_OLD)
FARMLAND_NEW = TargetKey(TargetKind.FARMLAND_NEW)
GAP = TargetKey(TargetKind.GAP)


def task_key(year: int) -> TargetKey:
    return TargetKey(TargetKind.RECOVERY_TASK, year)


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
            out.append(TargetValue(region.code, key, row.values[key], table.source_key, row.row))
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


# --------------------------------------------------------------------------------------------
# Re-import: what changed
# --------------------------------------------------------------------------------------------


class ChangeKind(StrEnum):
    ADDED = "added"
    CHANGED = "changed"
    REMOVED = "removed"
    UNCHANGED = "unchanged"

    @property
    def label(self) -> str:
        return {"added": "新增", "changed": "变更", "removed": "删除", "unchanged": "未变"}[self.value]


@dataclass(frozen=True, slots=True)
class TargetChange:
    region: str
    name: str
    key: TargetKey
    kind: ChangeKind
    old: Decimal | None
    new: Decimal | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "region": self.region, "name": self.name, "measure": str(self.key.measure), "year": self.key.year,
            "label": self.key.label, "change": str(self.kind),
            "old": None if self.old is None else str(self.old), "new": None if self.new is None else str(self.new),
        }


Cell = tuple[str, TargetKey]


def diff_values(
    stored: Mapping[Cell, Decimal],
    incoming: Mapping[Cell, Decimal],
    replaceable: Collection[Cell] = (),
    name_of: Callable[[str], str] = str,
) -> list[TargetChange]:
    """Compare an import with what is stored.

    Values are compared as numbers (``129.45`` equals ``129.450``). ``replaceable`` are the stored
    cells that came from the same sources as this import: those missing from it are removed.
    """
    out: list[TargetChange] = []
    for cell, new in incoming.items():
        old = stored.get(cell)
        if old is None:
            kind = ChangeKind.ADDED
        elif old != new:
            kind = ChangeKind.CHANGED
        else:
            kind = ChangeKind.UNCHANGED
        out.append(TargetChange(cell[0], name_of(cell[0]), cell[1], kind, old, new))
    for cell in replaceable:
        if cell not in incoming and cell in stored:
            out.append(TargetChange(cell[0], name_of(cell[0]), cell[1], ChangeKind.REMOVED, stored[cell], None))
    out.sort(key=lambda c: (c.region, c.key.sort_key))
    return out


# --------------------------------------------------------------------------------------------
# Checks
# --------------------------------------------------------------------------------------------


# Every finding code the target checks produce, with its Chinese label for tables.
FINDING_LABELS: dict[str, str] = {
    "targets.children_sum_mismatch": "上级与下级合计不符",
    "targets.task_sum_mismatch": "上级与下级年度任务合计不符",
    "targets.gap_mismatch": "缺口不等于二调目标减三调目标",
    "targets.task_mismatch": "年度任务不等于缺口的规定比例",
    "targets.negative_gap": "缺口为负",
    "targets.table_mismatch": "两张目标表不一致",
    "targets.pbf_exceeds_farmland": "永久基本农田目标大于耕地目标",
    "targets.children_incomplete": "下级数据不全",
    "targets.survey_farmland_below_target": "调查耕地低于保护目标",
    "targets.survey_pbf_below_target": "调查永久基本农田低于保护目标",
    "targets.survey_missing": "缺少调查统计",
}


@dataclass(frozen=True, slots=True)
class TargetFinding:
    """A problem found in the targets: where, which figure, what it should be and what it is (万亩)."""

    code: str
    message: str
    region: str
    name: str
    measure: TargetKind | None = None
    year: int | None = None  # task year, or the survey epoch for survey comparisons
    expected: Decimal | None = None
    actual: Decimal | None = None
    severity: Severity = Severity.ERROR

    @property
    def label(self) -> str:
        return FINDING_LABELS.get(self.code, self.code)

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code, "label": self.label, "severity": str(self.severity), "region": self.region,
            "name": self.name,
            "measure": None if self.measure is None else str(self.measure), "year": self.year,
            "expected": None if self.expected is None else str(self.expected),
            "actual": None if self.actual is None else str(self.actual),
            "unit": UNIT, "message": self.message,
        }

    def to_finding(self) -> Finding:
        """The generic form shared with other checks."""
        return Finding(
            self.code, self.message, self.severity, feature=self.region,
            field=None if self.measure is None else str(self.measure),
            value=None if self.actual is None else str(self.actual),
        )


def _pct(rate: Decimal) -> str:
    return format((rate * 100).normalize(), "f") + "%"


def _q(value: Decimal, places: int = DEFAULT_TASK_PLACES) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def recovery_gap(old: Decimal, new: Decimal) -> Decimal:
    """Gap to recover: old (二调-based) target − new (三调-based) target; negative when the new is higher."""
    return old - new


def recovery_task(gap: Decimal, rate: Decimal = DEFAULT_TASK_RATE, places: int = DEFAULT_TASK_PLACES) -> Decimal:
    """Yearly recovery task: ``rate`` of a positive gap, rounded half up to ``places``; 0 otherwise."""
    if gap <= 0:
        return _q(Decimal(0), places)
    return _q(gap * rate, places)


def _name(catalog: RegionCatalog, code: str) -> str:
    r = catalog.find(code)
    return r.name if r is not None else code


def _label(catalog: RegionCatalog, code: str) -> str:
    return f"{_name(catalog, code)}（{code}）"


def _region_checks(
    code: str, v: Mapping[TargetKey, Decimal], catalog: RegionCatalog, rate: Decimal, places: int
) -> list[TargetFinding]:
    out: list[TargetFinding] = []
    name = _name(catalog, code)
    who = _label(catalog, code)
    farmland, pbf = v.get(FARMLAND), v.get(PBF)
    if farmland is not None and pbf is not None and pbf > farmland:
        out.append(TargetFinding(
            "targets.pbf_exceeds_farmland",
            f"{who}永久基本农田保护目标 {pbf} 万亩大于耕地保护目标 {farmland} 万亩。",
            code, name, TargetKind.PBF, None, farmland, pbf,
        ))
    new = v.get(FARMLAND_NEW)
    if farmland is not None and new is not None and farmland != new:
        out.append(TargetFinding(
            "targets.table_mismatch",
            f"{who}耕地保护目标表中的耕地保护目标 {farmland} 万亩，与缺口恢复计划表中的三调目标 {new} 万亩不一致。",
            code, name, TargetKind.FARMLAND_NEW, None, farmland, new,
        ))
    old, stated_gap = v.get(FARMLAND_OLD), v.get(GAP)
    gap: Decimal | None = stated_gap
    if old is not None and new is not None:
        gap = recovery_gap(old, new)
        if stated_gap is not None and stated_gap != gap:
            out.append(TargetFinding(
                "targets.gap_mismatch",
                f"{who}耕地恢复任务缺口填报为 {stated_gap} 万亩，按二调目标 {old} − 三调目标 {new} 应为 {gap} 万亩。",
                code, name, TargetKind.GAP, None, gap, stated_gap,
            ))
    if gap is None:
        return out
    if gap < 0:
        out.append(TargetFinding(
            "targets.negative_gap",
            f"{who}三调目标高于二调目标，缺口为 {gap} 万亩（负数），没有恢复任务。",
            code, name, TargetKind.GAP, None, Decimal(0), gap, Severity.WARNING,
        ))
    for key in sorted((k for k in v if k.measure is TargetKind.RECOVERY_TASK), key=lambda k: k.sort_key):
        stated, expected = v[key], recovery_task(gap, rate, places)
        if stated != expected:
            basis = (f"缺口 {gap} 万亩的 {_pct(rate)}，四舍五入保留 {places} 位小数" if gap > 0
                     else f"缺口 {gap} 万亩不为正，任务为 0")
            out.append(TargetFinding(
                "targets.task_mismatch",
                f"{who}{key.label}填报为 {stated} 万亩，按{basis}应为 {expected} 万亩。",
                code, name, TargetKind.RECOVERY_TASK, key.year, expected, stated,
            ))
    return out


def _gap_of(v: Mapping[TargetKey, Decimal]) -> Decimal | None:
    old, new = v.get(FARMLAND_OLD), v.get(FARMLAND_NEW)
    if old is not None and new is not None:
        return recovery_gap(old, new)
    return v.get(GAP)


def _sum_checks(
    parent: str, kids: Sequence[str], values: TargetValues, catalog: RegionCatalog, rate: Decimal
) -> list[TargetFinding]:
    out: list[TargetFinding] = []
    pv = values[parent]
    name = _name(catalog, parent)
    who = _label(catalog, parent)
    listed = [r.code for r in catalog.children(parent)]
    for key in sorted(pv, key=lambda k: k.sort_key):
        having = [k for k in kids if key in values[k]]
        if not having:
            continue
        missing = [k for k in sorted(set(listed) | set(kids)) if k not in having]
        if missing:
            out.append(TargetFinding(
                "targets.children_incomplete",
                f"{who}有{key.label}，但下级 {'、'.join(_label(catalog, k) for k in missing)} 没有该项数据，"
                "无法与下级之和比对。",
                parent, name, key.measure, key.year, None, None, Severity.WARNING,
            ))
            continue
        total = sum((values[k][key] for k in having), Decimal(0))
        stated = pv[key]
        if total == stated:
            continue
        diff = total - stated
        more = f"比上级多 {diff}" if diff > 0 else f"比上级少 {-diff}"
        if key.measure is TargetKind.RECOVERY_TASK:
            msg = (f"{who}{key.label}为 {stated} 万亩，下级 {len(having)} 个行政区的任务之和为 {total} 万亩，"
                   f"{more} 万亩。")
            negatives = [k for k in having if (g := _gap_of(values[k])) is not None and g < 0]
            parent_gap = _gap_of(pv)
            if negatives and parent_gap is not None:
                positive = sum((g for k in having if (g := _gap_of(values[k])) is not None and g > 0), Decimal(0))
                msg += (f"上级任务按净缺口 {parent_gap} 万亩的 {_pct(rate)} 计，而"
                        f"{'、'.join(_label(catalog, k) for k in negatives)}缺口为负、任务为 0，"
                        f"下级任务实际按正缺口之和 {positive} 万亩计算。")
            code = "targets.task_sum_mismatch"
        else:
            msg = (f"{who}{key.label}为 {stated} 万亩，下级 {len(having)} 个行政区之和为 {total} 万亩，"
                   f"{more} 万亩。")
            code = "targets.children_sum_mismatch"
        out.append(TargetFinding(code, msg, parent, name, key.measure, key.year, stated, total))
    return out


def check_targets(
    values: TargetValues,
    catalog: RegionCatalog,
    *,
    rate: Decimal = DEFAULT_TASK_RATE,
    places: int = DEFAULT_TASK_PLACES,
) -> list[TargetFinding]:
    """Every finding on a set of targets: per-region arithmetic, then parent against children.

    Parent/child comes from the region catalog; only direct children present in ``values`` are
    summed. ``expected`` is the parent's stated figure and ``actual`` the children's sum for sum
    checks; for recomputed figures ``expected`` is the recomputed value and ``actual`` the stated one.
    """
    out: list[TargetFinding] = []
    kids: dict[str, list[str]] = {}
    for code in sorted(values):
        region = catalog.find(code)
        if region is not None and region.parent is not None and region.parent in values:
            kids.setdefault(region.parent, []).append(code)
    for code in sorted(values):
        out.extend(_region_checks(code, values[code], catalog, rate, places))
        if code in kids:
            out.extend(_sum_checks(code, kids[code], values, catalog, rate))
    return out


# --------------------------------------------------------------------------------------------
# Comparison with survey statistics
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SurveyTotals:
    """Farmland and PBF area of one region in one survey epoch (m², as the survey defines them)."""

    region: str
    farmland_m2: Decimal
    pbf_m2: Decimal


def compare_with_survey(
    values: TargetValues, survey: Iterable[SurveyTotals], catalog: RegionCatalog, epoch: int
) -> list[TargetFinding]:
    """Targets against the survey statistics of ``epoch``.

    A region's survey area is the sum of the survey rows at or below it (by code prefix), so county
    rows serve their city as well; when some of its catalogued subregions at the rows' level have no
    row, the region is not compared (``targets.survey_missing``, a warning). The farmland target is the 附件2 figure, or the 三调-based one
    when only a gap table is stored. ``actual`` is the survey area converted exactly to 万亩
    (:mod:`gengbao.domain.area_units`; 1 万亩 = 10⁸/15 m²), compared without rounding.
    """
    rows = list(survey)
    out: list[TargetFinding] = []
    for code in sorted(values):
        v = values[code]
        farmland = v.get(FARMLAND, v.get(FARMLAND_NEW))
        pbf = v.get(PBF)
        if farmland is None and pbf is None:
            continue
        name = _name(catalog, code)
        who = _label(catalog, code)
        covered = [r for r in rows if r.region.startswith(code)]
        lengths = {len(r.region) for r in covered} | {len(r.region) for r in rows}
        below = [d for d in (catalog.descendants(code) if code in catalog else []) if len(d.code) in lengths]
        missing = [d for d in below if not any(r.region.startswith(d.code) for r in covered)]
        if not covered or missing:
            why = (f"下级 {'、'.join(f'{d.name}（{d.code}）' for d in missing)} 没有调查统计数据" if covered
                   else f"调查统计中没有{who}的数据")
            out.append(TargetFinding(
                "targets.survey_missing",
                f"{epoch} 年度{why}，无法将{who}与保护目标比对。",
                code, name, TargetKind.FARMLAND if farmland is not None else TargetKind.PBF, epoch,
                farmland if farmland is not None else pbf, None, Severity.WARNING,
            ))
            continue
        checks = (
            (TargetKind.FARMLAND, farmland, sum((r.farmland_m2 for r in covered), Decimal(0)),
             "targets.survey_farmland_below_target", "耕地", "耕地保护目标"),
            (TargetKind.PBF, pbf, sum((r.pbf_m2 for r in covered), Decimal(0)),
             "targets.survey_pbf_below_target", "永久基本农田", "永久基本农田保护目标"),
        )
        for measure, target, m2, fcode, what, target_label in checks:
            if target is None:
                continue
            actual = from_m2(m2, AreaUnit.WAN_MU)  # exact: m² × 15 / 10⁸ is a finite decimal
            if actual < target:
                short_mu = convert(target - actual, AreaUnit.WAN_MU, AreaUnit.MU, rounded=True)
                out.append(TargetFinding(
                    fcode,
                    f"{epoch} 年度调查{who}{what} {round_area(actual, AreaUnit.WAN_MU)} 万亩（{m2} 平方米），低于{target_label} "
                    f"{target} 万亩，差 {short_mu} 亩。",
                    code, name, measure, epoch, target, actual,
                ))
    return out
