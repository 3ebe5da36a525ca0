"""Change classification, prejudged legality and the key ratio: the declared tables, case by case."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from gengbao.domain import land_classes
from gengbao.domain.change import UNKNOWN_CLASS, ChangeType, classify, is_pbf_sensitive
from gengbao.domain.errors import InputError
from gengbao.domain.legality import Approval, ApprovalKind, Cover, Legality, prejudge
from gengbao.domain.monitoring import Figures, key_ratio, summarise

END = date(2022, 12, 31)
NA, NG, IN, FI, OT = (ChangeType.NON_AGRICULTURAL, ChangeType.NON_GRAIN, ChangeType.INFLOW,
                      ChangeType.FARMLAND_INTERNAL, ChangeType.OTHER)


def test_every_construction_and_work_class_from_farmland_is_non_agricultural() -> None:
    targets = [lc.code for lc in land_classes.ALL if lc.counts_as_construction]
    assert {"0601", "0702", "1003", "1201", "1107A", "1301", "1304", "0603", "201"} <= set(targets)
    for f in land_classes.FARMLAND_CODES:
        for t in targets:
            assert classify(f, t) is NA and classify(f, t, on_pbf=True) is NA


@pytest.mark.parametrize(("before", "after", "on_pbf", "want"), [
    ("0103", "0201", False, NG), ("0101", "0201K", False, NG), ("0102", "0301", False, NG), ("0101", "0404", False, NG),
    ("0101", "1104A", False, NG), ("0103", "1104K", False, NG), ("0101", "1202", False, NG),
    ("0101", "1006", False, OT), ("0101", "1006", True, NG), ("0102", "1107", True, NG), ("0101", "1103", True, NG),
    ("0101", "1206", True, OT), ("0103", "0101", False, FI), ("0201", "0101", False, IN), ("0702", "0102", True, IN),
    ("1206", "0103", False, IN), ("0301", "0601", False, OT), ("0201", "0301", True, OT), ("0601", "0702", False, OT),
])
def test_change_table(before: str, after: str, on_pbf: bool, want: ChangeType) -> None:
    assert classify(before, after, on_pbf) is want


def test_pbf_sensitivity_and_unknown_codes() -> None:
    assert is_pbf_sensitive("0101", "0201") and is_pbf_sensitive("0101", "1006")
    assert not is_pbf_sensitive("0101", "0601") and not is_pbf_sensitive("0201", "0101")
    assert classify("0101", UNKNOWN_CLASS) is NA
    with pytest.raises(InputError) as caught:
        classify("0101", "9999")
    assert caught.value.code == "landclass.unknown"


def approval(kind: ApprovalKind, issued: str = "2022-03-01", until: str | None = None) -> Cover:
    return Cover(Approval("A", kind, date.fromisoformat(issued), date.fromisoformat(until) if until else None))


C, F, T = ApprovalKind.CONVERSION, ApprovalKind.FACILITY, ApprovalKind.TEMPORARY


@pytest.mark.parametrize(("before", "after", "on_pbf", "cover", "partly", "want"), [
    ("0101", "0601", False, None, False, Legality.SUSPECTED_ILLEGAL),
    ("0101", "0601", True, approval(C), False, Legality.LAWFUL),
    ("0101", "0601", False, approval(C, "2023-01-01"), False, Legality.SUSPECTED_ILLEGAL),  # issued after the period
    ("0101", "0601", False, approval(F), False, Legality.SUSPECTED_ILLEGAL),  # a filing is no conversion approval
    ("0301", "0601", False, None, False, Legality.SUSPECTED_ILLEGAL),
    ("0601", "0702", False, None, False, Legality.NOT_APPLICABLE),
    ("0101", "1301", False, approval(T, "2021-06-01", "2022-06-30"), False, Legality.TEMPORARY_EXPIRED),
    ("0101", "1301", False, approval(T, "2021-06-01", "2022-12-31"), False, Legality.TEMPORARY_VALID),
    ("0101", "1301", False, None, False, Legality.SUSPECTED_ILLEGAL),
    ("0103", "1202", False, approval(F), False, Legality.FACILITY_FILED),
    ("0103", "1202", False, None, True, Legality.FACILITY_EXCESS),
    ("0103", "1202", False, None, False, Legality.SUSPECTED_ILLEGAL),
    ("0103", "1202", True, approval(F), False, Legality.SUSPECTED_ILLEGAL),  # PBF: no facility land
    ("0103", "0201", True, None, False, Legality.SUSPECTED_ILLEGAL),
    ("0103", "0201", False, None, False, Legality.NOT_APPLICABLE),
    ("0103", "1104A", True, approval(C), False, Legality.SUSPECTED_ILLEGAL),
    ("0103", "1006", True, None, False, Legality.LAWFUL_EXCEPTION),
    ("0201", "0101", False, None, False, Legality.NOT_APPLICABLE),
    ("0101", UNKNOWN_CLASS, False, approval(T, "2022-01-01", "2023-01-01"), False, Legality.TEMPORARY_VALID),
])
def test_prejudge(before: str, after: str, on_pbf: bool, cover: Cover | None, partly: bool, want: Legality) -> None:
    assert prejudge(before, after, on_pbf, cover, END, partly_filed=partly) is want


def test_key_ratio_is_exact_decimal() -> None:
    assert key_ratio(Decimal("1.00"), Decimal("3.00")) == Decimal("0.333333")
    assert key_ratio(Decimal("2.00"), Decimal("3.00")) == Decimal("0.666667")
    assert key_ratio(Decimal("0"), Decimal("0")) is None
    with pytest.raises(ValueError):
        key_ratio(Decimal("4"), Decimal("3"))


def test_summarise_counts_only_construction_in_the_ratio() -> None:
    cells = {
        (NA, Legality.LAWFUL): Figures(2, 300_000, 300_000, 0),  # 3000.00 m² built lawfully
        (NA, Legality.SUSPECTED_ILLEGAL): Figures(1, 100_001, 100_001, 50_000),
        (NG, Legality.SUSPECTED_ILLEGAL): Figures(1, 70_000, 70_000, 70_000),  # orchard on PBF: not construction
        (NG, Legality.FACILITY_EXCESS): Figures(1, 10_000, 10_000, 0),
        (IN, Legality.NOT_APPLICABLE): Figures(1, 20_000, 0, 0),
    }
    s = summarise("360222", "浮梁县", "county", cells, patches=5)
    assert s.new_construction_farmland_m2 == Decimal("4000.01")
    assert s.illegal_construction_farmland_m2 == Decimal("1000.01")
    assert s.key_ratio == Decimal("0.250002")  # 1000.01 / 4000.01 = 0.2500019…
    assert s.illegal_farmland_m2 == Decimal("1800.01") and s.illegal_pbf_m2 == Decimal("1200.00")
    assert s.non_grain_outflow_m2 == Decimal("800.00") and s.inflow_m2 == Decimal("200.00")
    assert (s.patches, s.parts, s.changed_m2) == (5, 6, Decimal("5000.01"))
