"""Exact boundaries: "超过" excludes the line, "达到" includes it; areas compared in m² exactly."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from gengbao.domain.rules import Op, Threshold, ThresholdUnit, mu4
from tests.domain.rules.helpers import DEFAULT, outcomes, year

TEN_MU = Fraction(10 * 10000, 15)
EIGHTY_MU = Fraction(80 * 10000, 15)


@pytest.mark.parametrize(
    ("op", "value", "unit", "x", "expected"),
    [
        (Op.EXCEEDS, "10", ThresholdUnit.MU, TEN_MU, False),  # exactly 10 亩 is not over 10 亩
        (Op.REACHES, "10", ThresholdUnit.MU, TEN_MU, True),
        (Op.EXCEEDS, "10", ThresholdUnit.MU, Fraction("6666.67"), True),
        (Op.EXCEEDS, "10", ThresholdUnit.MU, Fraction("6666.66"), False),
        (Op.REACHES, "80", ThresholdUnit.MU, EIGHTY_MU, True),  # exactly 80 亩 reaches 80 亩
        (Op.EXCEEDS, "80", ThresholdUnit.MU, EIGHTY_MU, False),
        (Op.REACHES, "80", ThresholdUnit.MU, Fraction("53333.33"), False),  # prints as 80.0000 亩
        (Op.REACHES, "80", ThresholdUnit.MU, Fraction("53333.34"), True),
        (Op.REACHES, "12", ThresholdUnit.PERCENT, Fraction(12, 100), True),
        (Op.EXCEEDS, "12", ThresholdUnit.PERCENT, Fraction(12, 100), False),
        (Op.REACHES, "12", ThresholdUnit.PERCENT, Fraction(11_999_999, 100_000_000), False),
        (Op.REACHES, "0.12", ThresholdUnit.RATIO, Fraction(3, 25), True),
        (Op.EXCEEDS, "1", ThresholdUnit.HA, Fraction(10000), False),
    ],
)
def test_threshold_exact(op: Op, value: str, unit: ThresholdUnit, x: Fraction, expected: bool) -> None:
    assert Threshold(op, Decimal(value), unit).holds(x) is expected


def test_rounded_mu_would_mislead() -> None:
    assert mu4(Decimal("53333.33")) == Decimal("80.0000")  # shown as 80 亩 …
    # over 20 亩 in one year: also a key warning (cumulative line first passed) and suspended approvals
    warned = ["approval_suspension", "general_warning", "key_warning"]
    assert outcomes(DEFAULT, [year("360222", 2024, "53333.33", num="12", den="100")])[2024] == warned
    assert outcomes(DEFAULT, [year("360222", 2024, "53333.34", num="12", den="100")])[2024] == [*warned, "veto"]


@pytest.mark.parametrize(("farmland", "pbf", "expected"), [
    ("6666.66", "0", []), ("6666.67", "0", ["general_warning"]),
    ("3333.33", "3333.33", []), ("3333.34", "3333.34", ["general_warning"]),
])
def test_general_warning_lines(farmland: str, pbf: str, expected: list[str]) -> None:
    assert outcomes(DEFAULT, [year("360222", 2024, farmland, pbf=pbf)])[2024] == expected
