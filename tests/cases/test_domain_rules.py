"""Judgement requirements, case numbers, rectification plans, closure tolerance and statistics, with
figures worked out by hand."""

from __future__ import annotations

import contextlib
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gengbao.domain.cases.closure import Tolerance, restored
from gengbao.domain.cases.judgement import Category, Judgement, is_new, missing, parse_subtype
from gengbao.domain.cases.numbers import ClueSource, case_number, parse_number
from gengbao.domain.cases.rectification import InvariantBroken, Progress, Way, days_overdue, make_plan
from gengbao.domain.cases.states import CaseState
from gengbao.domain.cases.statistics import CaseRow, summarise
from gengbao.domain.errors import InputError

PHOTOS = frozenset({"distant", "close"})


def test_case_number_round_trip() -> None:
    n = case_number("360281", ClueSource.SATELLITE, 2023, 123)
    assert n == "360281WPZF2023000123"
    assert parse_number(n) == ("360281", ClueSource.SATELLITE, 2023, 123)
    assert case_number("360281", ClueSource.REPORT, 2024, 7) == "360281JB2024000007"
    with pytest.raises(InputError) as exc:
        parse_number("360281QQ2023000123")
    assert exc.value.code == "cases.bad_number"


@pytest.mark.parametrize("j,codes", [
    (Judgement(Category.LAWFUL, "approval"), {"cases.missing_photos", "cases.missing_approval"}),
    (Judgement(Category.LAWFUL, "approval", approval_ids=("A1",), photo_views=PHOTOS), set()),
    (Judgement(Category.OTHER, "facility", photo_views=PHOTOS), {"cases.missing_filing"}),
    (Judgement(Category.OTHER, "farm_road", photo_views=PHOTOS), {"cases.missing_road_width"}),
    (Judgement(Category.OTHER, "farm_road", road_width_m=Decimal("8.5"), photo_views=PHOTOS),
     {"cases.road_width_out_of_range"}),
    (Judgement(Category.OTHER, "farm_road", road_width_m=Decimal("4"), photo_views=PHOTOS), set()),
    (Judgement(Category.ILLEGAL_NON_AGRICULTURAL, "industry_commerce", photo_views=frozenset({"distant"})),
     {"cases.missing_photos", "cases.missing_builder", "cases.missing_build_date"}),
    (Judgement(Category.FALSE_CHANGE, "false_change", photo_views=PHOTOS), set()),
])
def test_requirements_per_category(j: Judgement, codes: set[str]) -> None:
    assert {f.code for f in missing(j)} == codes


def test_dictionary_lookup_by_label() -> None:
    assert parse_subtype(Category.OTHER, "农村道路") == "farm_road"
    with pytest.raises(InputError) as exc:
        parse_subtype(Category.LAWFUL, "农村道路")
    assert exc.value.code == "cases.unknown_subtype"
    assert is_new(date(2023, 3, 1), 2023) and not is_new(date(2022, 12, 31), 2023)


def test_plan_deadline_default_and_legalise_needs_approval() -> None:
    assert make_plan(Way.DEMOLISH, date(2024, 1, 1)).deadline == date(2024, 3, 1)  # 31 + 29 days
    with pytest.raises(InputError) as exc:
        make_plan(Way.LEGALISE, date(2024, 1, 1))
    assert exc.value.code == "cases.missing_approval"
    assert days_overdue(date(2024, 3, 1), date(2024, 3, 11), complete=False) == 10
    assert days_overdue(date(2024, 3, 1), date(2024, 3, 11), complete=True) == 0


def test_progress_refuses_overshoot() -> None:
    p = Progress(Decimal("100.00")).report(Decimal("60.00"))
    with pytest.raises(InvariantBroken):
        p.report(legalised_m2=Decimal("40.01"))
    assert p.report(legalised_m2=Decimal("40.00")).complete


@given(st.lists(st.tuples(st.decimals(0, 300, places=2), st.decimals(0, 300, places=2)), max_size=8))
def test_progress_invariants(steps: list[tuple[Decimal, Decimal]]) -> None:
    p = Progress(Decimal("500.00"))
    for d, lg in steps:
        with contextlib.suppress(InvariantBroken):
            p = p.report(d, lg)
        assert p.total_m2 == p.rectified_m2 + p.unrectified_m2 and p.unrectified_m2 >= 0


def test_closure_tolerance() -> None:
    tol = Tolerance(Decimal(10), Decimal("0.05"))
    assert restored(Decimal(1000), Decimal(10), tol)      # within m²
    assert restored(Decimal(1000), Decimal(50), tol)      # 5 % share
    assert not restored(Decimal(1000), Decimal("50.01"), tol)
    assert not restored(Decimal(100), Decimal(11), tol)


def test_statistics_by_hand() -> None:
    rows = [
        CaseRow("360281", 2023, CaseState.RECTIFYING, Category.ILLEGAL_NON_AGRICULTURAL, Decimal(400), Decimal(300),
                Decimal(100), Decimal(100), overdue=True),
        CaseRow("360281", 2023, CaseState.REVIEW_DONE, Category.LAWFUL, Decimal(500), Decimal(500), Decimal(0)),
        CaseRow("360281", 2023, CaseState.CLOSED, Category.ILLEGAL_NON_GRAIN, Decimal(200), Decimal(200), Decimal(0),
                Decimal(200)),
        CaseRow("360281", 2023, CaseState.SPLIT, None, Decimal(999), Decimal(999), Decimal(999)),
        CaseRow("360281", 2023, CaseState.PENDING_CHECK, None, Decimal(50), Decimal(50), Decimal(0)),
    ]
    [s] = summarise(rows)
    assert s.cases_by_state == {"rectifying": 1, "review_done": 1, "closed": 1, "pending_check": 1}
    assert (s.violations, s.illegal_area_m2, s.illegal_farmland_m2, s.illegal_pbf_m2) == (2, 600, 500, 100)
    assert s.rectified_m2 == 300 and s.unrectified_m2 == 300
    # unrectified farmland: 300 × 300/400 + 200 × 0/200 = 225, of 500 illegal farmland
    assert s.unrectified_farmland_share == Decimal(225) / Decimal(500)
    assert s.key_ratio == Decimal(300) / Decimal(800)
    assert s.key_ratio_deducted == s.key_ratio  # no key project
    assert s.overdue == 1


def test_key_ratio_after_deduction() -> None:
    na = Category.ILLEGAL_NON_AGRICULTURAL
    rows = [CaseRow("360281", 2023, CaseState.REVIEW_DONE, na, Decimal(100), Decimal(100), Decimal(0)),
            CaseRow("360281", 2023, CaseState.REVIEW_DONE, na, Decimal(300), Decimal(300), Decimal(0), key_project=True),
            CaseRow("360281", 2023, CaseState.REVIEW_DONE, Category.LAWFUL, Decimal(600), Decimal(600), Decimal(0))]
    [s] = summarise(rows)
    assert s.key_ratio == Decimal(400) / Decimal(1000)  # 40 %
    assert s.key_ratio_deducted == Decimal(100) / Decimal(700)  # key project removed from both sides
