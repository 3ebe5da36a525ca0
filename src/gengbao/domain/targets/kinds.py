"""What a target figure measures and the keys that name each figure (always 万亩)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from gengbao.domain.area_units import AreaUnit

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
