"""Thresholds compared exactly: "超过" (exceeds, >) leaves the line out, "达到" (reaches, ≥) takes it in.

Areas are compared in m² against the threshold converted exactly (1 亩 = 10000/15 m², held as a
fraction), never against a rounded 亩 figure: 6666.66 m² does not exceed 10 亩, 6666.67 m² does,
although both print as 10.00 亩. Ratios are compared as exact fractions of their numerator and
denominator (12 % is 12/100).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Context, Decimal
from enum import StrEnum
from fractions import Fraction
from functools import lru_cache
from typing import Any

from gengbao.domain.area_units import AreaUnit, from_m2

MU_PLACES = Decimal("0.0001")
_EXACT = Context(prec=200)  # products of two survey figures stay far inside 200 digits: exact
Quantity = tuple[Decimal, Decimal]  # an exact value num / den (den > 0): areas in m² have den 1


class Op(StrEnum):
    EXCEEDS = "exceeds"  # 超过: >
    REACHES = "reaches"  # 达到 / 以上: ≥

    @property
    def label(self) -> str:
        return "超过" if self is Op.EXCEEDS else "达到"

    def holds(self, value: Fraction, line: Fraction) -> bool:
        return value > line if self is Op.EXCEEDS else value >= line


class ThresholdUnit(StrEnum):
    M2 = "m2"
    MU = "mu"
    HA = "ha"
    PERCENT = "percent"
    RATIO = "ratio"

    @property
    def is_area(self) -> bool:
        return self in (ThresholdUnit.M2, ThresholdUnit.MU, ThresholdUnit.HA)

    @property
    def label(self) -> str:
        return {"m2": "平方米", "mu": "亩", "ha": "公顷", "percent": "%", "ratio": ""}[self]


@dataclass(frozen=True, slots=True)
class Threshold:
    op: Op
    value: Decimal
    unit: ThresholdUnit

    @property
    def line(self) -> Fraction:
        """The threshold exactly: m² for areas, a plain fraction for ratios."""
        return _line(self.value, self.unit)

    def holds(self, value: Fraction) -> bool:
        return self.op.holds(value, self.line)

    def holds_exact(self, num: Decimal, den: Decimal) -> bool:
        """Whether ``num / den`` (den > 0) is over / at the line, by exact cross-multiplication."""
        line = self.line
        left = _EXACT.multiply(num, Decimal(line.denominator))
        right = _EXACT.multiply(Decimal(line.numerator), den)
        return left > right if self.op is Op.EXCEEDS else left >= right

    def __str__(self) -> str:
        sep = "" if self.unit in (ThresholdUnit.PERCENT, ThresholdUnit.RATIO) else " "
        return f"{self.op.label} {self.value}{sep}{self.unit.label}"


@lru_cache(maxsize=256)
def _line(value: Decimal, unit: ThresholdUnit) -> Fraction:
    v = Fraction(value)
    if unit is ThresholdUnit.PERCENT:
        return v / 100
    if unit is ThresholdUnit.RATIO:
        return v
    num, den = AreaUnit(unit.value).square_metres
    return v * num / den


def mu4(m2: Decimal) -> Decimal:
    """m² shown in 亩 to 4 decimals (half up), for explanations only."""
    return from_m2(m2, AreaUnit.MU).quantize(MU_PLACES)


def ratio_of(numerator: Decimal, denominator: Decimal) -> Quantity | None:
    return None if denominator == 0 else (numerator, denominator)


@dataclass(frozen=True, slots=True)
class Figure:
    """One figure behind an outcome: an area (m² and 亩) or a ratio, and the line it was held to."""

    name: str
    label: str
    m2: Decimal | None = None
    ratio: Fraction | None = None
    threshold: Threshold | None = None
    met: bool | None = None

    def text(self) -> str:
        if self.m2 is not None:
            shown = f"{self.m2} 平方米（{mu4(self.m2)} 亩）"
        elif self.ratio is not None:
            shown = f"{(Decimal(self.ratio.numerator) / Decimal(self.ratio.denominator) * 100).quantize(MU_PLACES)}%"
        else:
            shown = "无法计算（分母为 0）"
        rule = f"，标准为{self.threshold}" if self.threshold is not None else ""
        return f"{self.label} {shown}{rule}"

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"name": self.name, "label": self.label, "text": self.text()}
        if self.m2 is not None:
            d |= {"m2": str(self.m2), "mu": str(mu4(self.m2))}
        if self.ratio is not None:
            d["ratio"] = str((Decimal(self.ratio.numerator) / Decimal(self.ratio.denominator)).quantize(Decimal("1e-6")))
        if self.threshold is not None:
            d |= {"threshold": str(self.threshold), "met": self.met}
        return d
