"""The survey parcel layer (DLTB) and the PBF layer: fields, formulas and tolerances (DOMAIN.md §3)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from gengbao.domain.errors import UsageError


class LayerKind(StrEnum):
    PARCELS = "parcels"
    PBF = "pbf"

    @property
    def label(self) -> str:
        return "地类图斑（DLTB）" if self is LayerKind.PARCELS else "永久基本农田图斑"


# Fields every layer of a kind must carry (upper case; matched case-insensitively on import).
REQUIRED_FIELDS: dict[LayerKind, tuple[str, ...]] = {
    LayerKind.PARCELS: ("BSM", "DLBM", "ZLDWDM", "TBMJ", "KCXS", "KCMJ", "TBDLMJ"),
    LayerKind.PBF: ("BSM", "DLBM", "ZLDWDM", "TBMJ", "KCXS", "KCMJ", "TBDLMJ"),
}
OPTIONAL_FIELDS: tuple[str, ...] = (
    "TBBH", "DLMC", "QSXZ", "QSDWDM", "QSDWMC", "ZLDWMC", "KCDLBM", "GDLX", "GDPDJB", "ZZSXDM", "GDDB",
    "TBXHDM", "CZCSXM", "SJNF",
)
NUMERIC_FIELDS: tuple[str, ...] = ("TBMJ", "KCXS", "KCMJ", "TBDLMJ")
TEXT_FIELDS: tuple[str, ...] = ("BSM", "DLBM", "ZLDWDM")
FIELD_LABELS: dict[str, str] = {
    "BSM": "标识码", "TBBH": "图斑编号", "DLBM": "地类编码", "DLMC": "地类名称", "ZLDWDM": "坐落单位代码",
    "TBMJ": "图斑面积", "KCXS": "扣除系数", "KCMJ": "扣除地类面积", "TBDLMJ": "图斑地类面积",
    "KCDLBM": "扣除地类编码", "GDLX": "耕地类型", "GDPDJB": "耕地坡度级别",
}

# Arithmetic tolerance for KCMJ/TBDLMJ (m²): one unit in the last stored place.
ARITHMETIC_TOLERANCE_M2 = 0.01
# Default tolerance for TBMJ against the computed ellipsoidal area: relative and absolute (m²).
DEFAULT_AREA_TOLERANCE_REL = 0.001
DEFAULT_AREA_TOLERANCE_ABS = 1.0
TERRACE_CODE = "1203"
SLOPE_GRADES = (1, 2, 3, 4, 5)


EPOCH_RANGE = (1980, 2100)  # the first national land survey began in 1984; no survey is dated after 2100


def check_epoch(year: int, what: str = "调查期") -> int:
    """An epoch is a survey year: refuse -1, 0, 99999 and the like before any work starts."""
    lo, hi = EPOCH_RANGE
    if not lo <= year <= hi:
        raise UsageError(f"{what} {year} 不是有效的年份（应在 {lo}–{hi} 之间）", code="survey.epoch_range", value=year)
    return year


def round2(value: Decimal) -> Decimal:
    """Round half up to 0.01, as survey areas are stored."""
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def expected_kcmj(tbmj: Decimal, kcxs: Decimal) -> Decimal:
    """KCMJ = round(TBMJ × KCXS, 2)."""
    return round2(tbmj * kcxs)


def expected_tbdlmj(tbmj: Decimal, kcmj: Decimal) -> Decimal:
    """TBDLMJ = TBMJ − KCMJ."""
    return tbmj - kcmj


@dataclass(frozen=True, slots=True)
class AreaTolerance:
    relative: float = DEFAULT_AREA_TOLERANCE_REL
    absolute: float = DEFAULT_AREA_TOLERANCE_ABS

    def allows(self, stated: float, computed: float) -> bool:
        return abs(stated - computed) <= max(self.absolute, self.relative * abs(computed))
