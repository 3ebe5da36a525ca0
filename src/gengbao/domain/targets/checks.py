"""Checks on target tables: sums over children, gaps, yearly recovery tasks; findings, not errors."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from gengbao.domain.findings import Finding, Severity
from gengbao.domain.regions import RegionCatalog
from gengbao.domain.targets.kinds import (
    DEFAULT_TASK_PLACES,
    DEFAULT_TASK_RATE,
    FARMLAND,
    FARMLAND_NEW,
    FARMLAND_OLD,
    GAP,
    PBF,
    UNIT,
    TargetKey,
    TargetKind,
)
from gengbao.domain.targets.tables import TargetValues

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
