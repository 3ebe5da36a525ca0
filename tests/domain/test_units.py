"""Area units: exact figures worked by hand, and Hypothesis properties."""

from __future__ import annotations

from decimal import Decimal, localcontext
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gengbao.domain.area_units import AreaUnit, convert, from_m2, round_area, to_decimal, to_m2
from gengbao.domain.errors import InputError

M2, MU, HA, WAN_MU = AreaUnit.M2, AreaUnit.MU, AreaUnit.HA, AreaUnit.WAN_MU

# m² per unit as exact fractions, from the definitions 1 ha = 10000 m² = 15 mu, 1 万亩 = 10000 mu.
SIZE = {M2: Fraction(1), MU: Fraction(10000, 15), HA: Fraction(10000), WAN_MU: Fraction(10000 * 10000, 15)}

areas = st.decimals(min_value=0, max_value=Decimal("1e12"), places=4, allow_nan=False, allow_infinity=False)
units = st.sampled_from(list(AreaUnit))


def test_labels_and_decimals() -> None:
    assert [(u.value, u.label, u.decimals) for u in AreaUnit] == [
        ("m2", "平方米", 2), ("mu", "亩", 2), ("ha", "公顷", 4), ("wan_mu", "万亩", 4),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("value", "src", "dst", "expected"),
    [
        # 666.67 × 15 / 10000 = 10000.05 / 10000
        ("666.67", M2, MU, Decimal("1.000005")),
        ("10000", M2, HA, Decimal("1")),
        ("1", HA, MU, Decimal("15")),
        ("1", WAN_MU, MU, Decimal("10000")),
        # 1,400,000 亩 = 140 万亩 (中江县 farmland)
        ("1400000", MU, WAN_MU, Decimal("140")),
        # 19.18 亿亩 = 191800 万亩 → × 10^8 / 15 m²
        ("191800", WAN_MU, HA, Decimal("127866666.66666666666666666666666666666666666666667")),
    ],
)
def test_exact_conversions(value: str, src: AreaUnit, dst: AreaUnit, expected: Decimal) -> None:
    assert convert(value, src, dst) == expected


def test_known_rounded_figures() -> None:
    assert convert("666.67", M2, MU, rounded=True) == Decimal("1.00")
    assert str(convert("666.67", M2, MU, rounded=True)) == "1.00"
    # 乐平市 farmland target 80.4127 万亩 = 804127 亩 = 8,041,270,000 / 15 m² = 536,084,666.666… m²
    assert convert("80.4127", WAN_MU, M2, rounded=True) == Decimal("536084666.67")
    assert convert("80.4127", WAN_MU, HA, rounded=True) == Decimal("53608.4667")
    # 景德镇市 farmland 120.2873 万亩 → 公顷: 1202873 / 15 = 80191.5333…
    assert convert("120.2873", WAN_MU, HA, rounded=True) == Decimal("80191.5333")
    assert convert(1, MU, M2, rounded=True) == Decimal("666.67")
    assert to_m2("1", MU) == convert("1", MU, M2)
    assert from_m2("2000", MU) == Decimal("3")


def test_round_half_up_per_unit() -> None:
    assert round_area("0.125", M2) == Decimal("0.13")
    assert round_area("0.135", MU) == Decimal("0.14")
    assert round_area("2.00005", HA) == Decimal("2.0001")
    assert round_area("2.00004999", WAN_MU) == Decimal("2.0000")
    assert round_area(Decimal("-0.125"), M2) == Decimal("-0.13")  # half away from zero


def test_inputs_int_str_decimal_and_float_via_str() -> None:
    assert to_decimal(0.1) == Decimal("0.1")  # not 0.1000000000000000055…
    assert to_decimal("1,234.5") == Decimal("1234.5")
    assert to_decimal(7) == Decimal(7)
    assert convert(0.1, HA, M2) == Decimal("1000")
    assert round_area(1.005, M2) == Decimal("1.01")  # the float 1.005 is read as written


@pytest.mark.parametrize("bad", ["abc", "", float("nan"), float("inf"), True, None, [1]])
def test_bad_values_raise(bad: object) -> None:
    with pytest.raises(InputError) as info:
        to_decimal(bad)  # type: ignore[arg-type]
    assert info.value.code == "units.invalid_value"


def test_unit_parse() -> None:
    assert AreaUnit.parse("亩") is MU
    assert AreaUnit.parse(" 万亩 ") is WAN_MU
    assert AreaUnit.parse("M²") is M2
    assert AreaUnit.parse("ha") is HA
    assert convert("15", "亩", "公顷") == Decimal("1")
    with pytest.raises(InputError) as info:
        AreaUnit.parse("平方公里")
    assert info.value.code == "units.unknown"


@given(areas, units, units)
def test_matches_exact_fraction_arithmetic(value: Decimal, src: AreaUnit, dst: AreaUnit) -> None:
    exact = Fraction(value) * SIZE[src] / SIZE[dst]
    got = Fraction(convert(value, src, dst))
    assert abs(got - exact) <= abs(exact) * Fraction(1, 10**48)


@given(areas, units)
def test_from_square_metres_is_exact(value: Decimal, dst: AreaUnit) -> None:
    assert Fraction(convert(value, M2, dst)) == Fraction(value) / SIZE[dst]


@given(areas, units, units)
def test_round_trip(value: Decimal, src: AreaUnit, dst: AreaUnit) -> None:
    back = convert(convert(value, src, dst), dst, src)
    assert abs(back - value) <= value * Decimal("1e-48")
    assert back.quantize(value) == value  # back to the input's own decimal places, exactly


@given(areas, areas, units)
def test_additive(a: Decimal, b: Decimal, unit: AreaUnit) -> None:
    with localcontext(prec=100):  # sums of 50-digit results must not be rounded by the default 28 digits
        assert convert(a + b, M2, unit) == convert(a, M2, unit) + convert(b, M2, unit)
        total = convert(a + b, unit, M2)
        assert abs(total - (convert(a, unit, M2) + convert(b, unit, M2))) <= total * Decimal("1e-48")


@given(areas, units)
def test_rounded_is_within_half_a_step_and_has_declared_places(value: Decimal, dst: AreaUnit) -> None:
    exact = convert(value, M2, dst)
    r = convert(value, M2, dst, rounded=True)
    step = Decimal(1).scaleb(-dst.decimals)
    assert r.as_tuple().exponent == -dst.decimals
    assert -step / 2 < r - exact <= step / 2
