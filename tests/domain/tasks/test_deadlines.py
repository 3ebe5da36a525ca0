"""Deadline texts: dates where they name one, a kind otherwise."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gengbao.domain.tasks.deadlines import DeadlineKind, parse_deadline, parse_range


@pytest.mark.parametrize(
    ("text", "kind", "due", "start"),
    [
        ("2021年底", "date", date(2021, 12, 31), None),
        ("2020年底", "date", date(2020, 12, 31), None),
        ("2022年底前", "date", date(2022, 12, 31), None),
        ("2024年6月底", "date", date(2024, 6, 30), None),
        ("2024年2月", "date", date(2024, 2, 29), None),
        ("2023年11月20日前", "date", date(2023, 11, 20), None),
        ("2023年第三季度", "date", date(2023, 9, 30), None),
        ("2024年上半年", "date", date(2024, 6, 30), None),
        ("2024-03-05", "date", date(2024, 3, 5), None),
        ("2022年6月10日—2022年7月10日", "range", date(2022, 7, 10), date(2022, 6, 10)),
        ("2022年12月16日—2023年1月15日", "range", date(2023, 1, 15), date(2022, 12, 16)),
        ("2022年7月11日-12月15日", "range", date(2022, 12, 15), date(2022, 7, 11)),
        ("长期推进", "ongoing", None, None),
        ("长期坚持", "ongoing", None, None),
        ("依照自然资源部规定的期限", "external", None, None),
        ("按上级要求", "external", None, None),
        ("", "none", None, None),
        ("视情况而定", "unparsed", None, None),
        ("2022年2月30日", "unparsed", None, None),
        ("2022年7月10日—2022年6月10日", "unparsed", None, None),
    ],
)
def test_parse(text: str, kind: str, due: date | None, start: date | None) -> None:
    d = parse_deadline(text)
    assert (d.kind.value, d.due, d.start) == (kind, due, start)


def test_judged_by_cadence() -> None:
    assert parse_deadline("长期推进").judged_by_cadence
    assert parse_deadline("依照自然资源部规定的期限").judged_by_cadence
    assert not parse_deadline("2021年底").judged_by_cadence
    assert parse_deadline("2021年底").kind.label == "限期"


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31)))
def test_any_written_day_parses_to_that_day(d: date) -> None:
    assert parse_deadline(f"{d.year}年{d.month}月{d.day}日").due == d
    assert parse_deadline(f"{d.year}年{d.month}月{d.day}日前").kind is DeadlineKind.DATE


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2098, 12, 31)), st.integers(0, 400))
def test_ranges_round_trip(a: date, days: int) -> None:
    b = a + timedelta(days=days)
    text = f"{a.year}年{a.month}月{a.day}日—{b.year}年{b.month}月{b.day}日"
    assert parse_range(text) == (a, b)
