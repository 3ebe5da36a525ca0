"""Findings without a class change and the lawful exceptions: the declared tables, case by case."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from gengbao.domain.change import ChangeType, PatchKind, is_pbf_sensitive, planting_change, type_of
from gengbao.domain.legality import (
    FARM_ROAD_MAX_WIDTH_M,
    VILLAGE_BOUNDARY,
    Approval,
    ApprovalKind,
    Cover,
    Legality,
    accepted_kinds,
    prejudge,
    width_limited,
    zone_layers,
)
from gengbao.domain.monitoring import Figures, summarise
from gengbao.domain.status_rules import STATUS_LEGALITY, expired_in_period, keeps_temporary_lawful

E1, E2 = date(2021, 12, 31), date(2022, 12, 31)
AB, CROP = ChangeType.ABANDONMENT, ChangeType.NON_GRAIN_CROP
IN = frozenset({VILLAGE_BOUNDARY})


@pytest.mark.parametrize(("cls", "before", "after", "on_pbf", "want"), [
    ("0101", "LS", "WG", False, AB), ("0103", "FLS", "WG", True, AB), ("0102", "", "WG", False, AB),
    ("0101", "LS", "FLS", True, CROP), ("0101", "LS", "FLS", False, None),  # off PBF non-grain crops are allowed
    ("0101", "WG", "WG", False, None), ("0101", "LS", "XG", True, None), ("0101", "WG", "LS", False, None),
    ("0201", "JKHF", "WG", False, None),  # not farmland
])
def test_planting_table(cls: str, before: str, after: str, on_pbf: bool, want: ChangeType | None) -> None:
    assert planting_change(cls, before, after, on_pbf) is want


def test_type_and_pbf_sensitivity_by_status() -> None:
    assert type_of(PatchKind.PLANTING, "0101", "0101", "FLS", True) is CROP
    assert type_of(PatchKind.PLANTING, "0101", "0101", "FLS", False) is None
    assert type_of(PatchKind.UNRESTORED, "1301", "1301", "", False) is ChangeType.TEMPORARY_UNRESTORED
    assert type_of(PatchKind.CLASS, "0101", "0101", "", False) is ChangeType.FARMLAND_INTERNAL
    assert is_pbf_sensitive("0101", "0101", PatchKind.PLANTING, "FLS")
    assert not is_pbf_sensitive("0101", "0101", PatchKind.PLANTING, "WG")
    assert not is_pbf_sensitive("1301", "1301", PatchKind.UNRESTORED, "")
    assert STATUS_LEGALITY == {PatchKind.PLANTING: Legality.NOT_APPLICABLE, PatchKind.UNRESTORED: Legality.TEMPORARY_EXPIRED}
    assert accepted_kinds("1301", "1301", False, PatchKind.UNRESTORED) == (ApprovalKind.TEMPORARY,)
    assert accepted_kinds("0101", "0101", True, PatchKind.PLANTING) == ()


def permit(issued: str, until: str | None, kind: ApprovalKind = ApprovalKind.TEMPORARY) -> Approval:
    return Approval("P", kind, date.fromisoformat(issued), date.fromisoformat(until) if until else None)


@pytest.mark.parametrize(("issued", "until", "want"), [
    ("2021-03-01", "2022-02-28", True),
    ("2021-03-01", "2021-12-31", True),  # valid through 31 Dec 2021, the earlier epoch's date: expired in 2022
    ("2021-03-01", "2021-12-30", False),  # already expired at the earlier epoch: an earlier period's finding
    ("2021-03-01", "2022-12-31", False),  # still valid on the later epoch's date
    ("2022-03-01", "2022-06-30", True),
    ("2023-01-01", "2022-06-30", False),  # issued after the period
])
def test_expired_in_period(issued: str, until: str, want: bool) -> None:
    assert expired_in_period(permit(issued, until), E1, E2) is want


def test_expired_in_period_only_for_temporary_permits_and_what_keeps_land_lawful() -> None:
    assert not expired_in_period(permit("2021-03-01", "2022-02-28", ApprovalKind.FACILITY), E1, E2)
    assert keeps_temporary_lawful(permit("2022-02-01", "2022-12-31"), E2)
    assert not keeps_temporary_lawful(permit("2022-02-01", "2022-12-30"), E2)
    assert keeps_temporary_lawful(permit("2022-12-31", None, ApprovalKind.CONVERSION), E2)
    assert not keeps_temporary_lawful(permit("2023-01-01", None, ApprovalKind.CONVERSION), E2)
    assert not keeps_temporary_lawful(permit("2020-01-01", None, ApprovalKind.FACILITY), E2)


CONV = Cover(permit("2022-03-01", None, ApprovalKind.CONVERSION))


@pytest.mark.parametrize(("before", "after", "on_pbf", "cover", "inside", "want"), [
    ("0103", "0702", False, None, IN, Legality.LAWFUL_EXCEPTION),
    ("0103", "0702", False, None, frozenset(), Legality.SUSPECTED_ILLEGAL),
    ("0103", "0702", True, None, IN, Legality.SUSPECTED_ILLEGAL),  # never on PBF
    ("1206", "0702", False, None, IN, Legality.LAWFUL_EXCEPTION),
    ("0103", "0702", False, CONV, IN, Legality.LAWFUL),  # an approval wins over the exception
    ("0103", "0601", False, None, IN, Legality.SUSPECTED_ILLEGAL),  # homesteads only
    ("0601", "0702", False, None, IN, Legality.NOT_APPLICABLE),  # no new construction
    ("0101", "1006", True, None, frozenset(), Legality.LAWFUL_EXCEPTION),  # farm road on PBF
    ("0101", "1006", False, None, frozenset(), Legality.NOT_APPLICABLE),
])
def test_lawful_exceptions(before: str, after: str, on_pbf: bool, cover: Cover | None, inside: frozenset[str],
                           want: Legality) -> None:
    assert prejudge(before, after, on_pbf, cover, E2, inside=inside) is want


@pytest.mark.parametrize(("width", "want"), [
    (8.0, Legality.LAWFUL_EXCEPTION), (8.01, Legality.SUSPECTED_ILLEGAL), (1.5, Legality.LAWFUL_EXCEPTION),
    (None, Legality.LAWFUL_EXCEPTION),  # not measured: the limit is not applied
])
def test_farm_road_width_on_pbf(width: float | None, want: Legality) -> None:
    assert FARM_ROAD_MAX_WIDTH_M == 8.0 and width_limited("1006") and not width_limited("1107")
    assert prejudge("0101", "1006", True, None, E2, width_m=width) is want
    assert prejudge("0101", "1107", True, None, E2, width_m=30.0) is Legality.LAWFUL_EXCEPTION  # ditches: no limit


def test_zone_layers() -> None:
    assert zone_layers("0101", "0702") == (VILLAGE_BOUNDARY, True)
    assert zone_layers("0101", "0601") == ("", False) and zone_layers("0101", "1006") == ("", False)


def test_summary_figures_without_class_change_are_exact() -> None:
    cells = {
        (AB, Legality.NOT_APPLICABLE): Figures(2, 123_457, 123_457, 20_001, 0, 0, 5),  # 1234.57 m², 200.01 on PBF
        (CROP, Legality.NOT_APPLICABLE): Figures(1, 30_000, 30_000, 30_000),
        (ChangeType.TEMPORARY_UNRESTORED, Legality.TEMPORARY_EXPIRED): Figures(1, 50_050, 40_000, 0),
        (ChangeType.NON_AGRICULTURAL, Legality.TEMPORARY_EXPIRED): Figures(1, 10_000, 10_000, 0),
        (ChangeType.NON_AGRICULTURAL, Legality.LAWFUL): Figures(1, 90_000, 90_000, 0, 0, 0, 1_000),
    }
    s = summarise("360202", "昌江区", "county", cells, patches=6)
    assert (s.abandonment_m2, s.abandonment_pbf_m2) == (Decimal("1234.57"), Decimal("200.01"))
    assert s.non_grain_crop_pbf_m2 == Decimal("300.00") and s.non_grain_outflow_m2 == Decimal("0.00")
    assert s.temporary_expired_m2 == Decimal("600.50")
    assert s.illegal_farmland_m2 == Decimal("500.00")  # 400.00 unrestored + 100.00 built on an expired permit
    assert s.new_construction_farmland_m2 == Decimal("1000.00") and s.key_ratio == Decimal("0.100000")
    assert s.redline_m2 == Decimal("10.05")
    assert s.to_dict()["abandonment_m2"] == "1234.57" and s.to_dict()["temporary_expired_m2"] == "600.50"
