"""Area units and the one place that converts between them.

Stored areas are m² (TBMJ/TBDLMJ). 亩, 公顷 and 万亩 appear only at the edge, through this module,
in Decimal: 1 公顷 = 15 亩 = 10000 m², so 1 亩 = 10000/15 m² exactly (≈ 666.67 m²). Each unit's size
is held as an exact fraction of a square metre; a conversion multiplies by integers and divides
once at the end, with 50 significant digits: m² → 亩/公顷/万亩 is exact, the reverse is exact to 50
digits, and a round trip comes back to the starting value within 1e-48 of it. Rounding is declared per unit (ROUND_HALF_UP): m² and 亩 to 2 decimals, 公顷 and 万亩 to 4.
Sum first, round last: rounding is not additive.
"""

from __future__ import annotations

import numbers
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation
from enum import StrEnum

from gengbao.domain.errors import InputError

_CONTEXT = Context(prec=50, rounding=ROUND_HALF_UP)

AreaValue = Decimal | int | str | float


class AreaUnit(StrEnum):
    M2 = "m2"
    MU = "mu"
    HA = "ha"
    WAN_MU = "wan_mu"

    @property
    def label(self) -> str:
        """Chinese name, as printed in reports (平方米, 亩, 公顷, 万亩)."""
        return _SPEC[self][2]

    @property
    def decimals(self) -> int:
        """Declared number of decimals when rounded."""
        return _SPEC[self][3]

    @property
    def square_metres(self) -> tuple[int, int]:
        """The unit's size in m² as an exact fraction (numerator, denominator)."""
        return _SPEC[self][0], _SPEC[self][1]

    @classmethod
    def parse(cls, text: str) -> AreaUnit:
        """A unit from its identifier or Chinese label (``mu``, ``亩``, ``平方米``, ``m²`` …)."""
        key = text.strip().lower()
        for unit in cls:
            if key in (unit.value, unit.label) or key in _ALIASES.get(unit, ()):
                return unit
        raise InputError(
            f"不认识的面积单位“{text}”。可用：m2（平方米）、mu（亩）、ha（公顷）、wan_mu（万亩）",
            code="units.unknown",
            value=text,
        )


# unit: (m² numerator, m² denominator, label, decimals)
_SPEC: dict[AreaUnit, tuple[int, int, str, int]] = {
    AreaUnit.M2: (1, 1, "平方米", 2),
    AreaUnit.MU: (10_000, 15, "亩", 2),
    AreaUnit.HA: (10_000, 1, "公顷", 4),
    AreaUnit.WAN_MU: (100_000_000, 15, "万亩", 4),
}
_ALIASES: dict[AreaUnit, tuple[str, ...]] = {
    AreaUnit.M2: ("m²", "㎡", "sqm"),
    AreaUnit.HA: ("hectare", "hm2", "hm²"),
    AreaUnit.WAN_MU: ("10k_mu", "wanmu"),
}


def to_decimal(value: AreaValue) -> Decimal:
    """Accept Decimal, int, str or float (floats go through ``str``, so 0.1 stays 0.1)."""
    if isinstance(value, bool):
        raise InputError(f"面积值不能是布尔值：{value!r}", code="units.invalid_value", value=repr(value))
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, numbers.Integral):
        result = Decimal(int(value))
    elif isinstance(value, numbers.Real):
        result = _parse(str(value), value)
    elif isinstance(value, str):
        result = _parse(value.strip().replace(",", ""), value)
    else:
        raise InputError(
            f"面积值类型不支持：{type(value).__name__}", code="units.invalid_value", value=repr(value)
        )
    if not result.is_finite():
        raise InputError(f"面积值必须是有限数：{value!r}", code="units.invalid_value", value=repr(value))
    return result


def _parse(text: str, original: object) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation:
        raise InputError(
            f"“{original}”不是数值，无法作为面积", code="units.invalid_value", value=repr(original)
        ) from None


def _unit(unit: AreaUnit | str) -> AreaUnit:
    return unit if isinstance(unit, AreaUnit) else AreaUnit.parse(unit)


def round_area(value: AreaValue, unit: AreaUnit | str) -> Decimal:
    """Round half-up to the unit's declared decimals (m² 0.01, 亩 0.01, 公顷 0.0001, 万亩 0.0001)."""
    exponent = Decimal(1).scaleb(-_unit(unit).decimals)
    return to_decimal(value).quantize(exponent, rounding=ROUND_HALF_UP, context=_CONTEXT)


def convert(
    value: AreaValue, from_unit: AreaUnit | str, to_unit: AreaUnit | str, *, rounded: bool = False
) -> Decimal:
    """``value`` in ``from_unit`` expressed in ``to_unit``; with ``rounded`` as the unit declares."""
    num_from, den_from = _unit(from_unit).square_metres
    num_to, den_to = _unit(to_unit).square_metres
    numerator = _CONTEXT.multiply(to_decimal(value), Decimal(num_from * den_to))
    result = _CONTEXT.divide(numerator, Decimal(den_from * num_to))
    return round_area(result, to_unit) if rounded else result


def to_m2(value: AreaValue, unit: AreaUnit | str) -> Decimal:
    """Shorthand for ``convert(value, unit, AreaUnit.M2)``."""
    return convert(value, unit, AreaUnit.M2)


def from_m2(value: AreaValue, unit: AreaUnit | str, *, rounded: bool = False) -> Decimal:
    """Shorthand for ``convert(value, AreaUnit.M2, unit)``."""
    return convert(value, AreaUnit.M2, unit, rounded=rounded)
