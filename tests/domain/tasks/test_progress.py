"""TaskStatus of an assignment from its reports; reporting periods and cadences."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gengbao.domain.errors import InputError
from gengbao.domain.tasks.deadlines import parse_deadline
from gengbao.domain.tasks.periods import (
    Cadence,
    last_complete_period,
    parse_period,
    period_of,
    periods_in_year,
)
from gengbao.domain.tasks.progress import Assignment, MeasureRef, ProgressReport, TaskStatus, judge

REF = MeasureRef("doc", 4)
DATED = Assignment(REF, "浮梁县人民政府", "360222", parse_deadline("2024年6月底"))
ONGOING = Assignment(REF, "浮梁县人民政府", "360222", parse_deadline("长期推进"))


def rep(
    period: str, on: date, *, done: bool = False, percent: int | None = None, unit: str = "浮梁县人民政府"
) -> ProgressReport:
    return ProgressReport(REF, unit, parse_period(period), on, percent, "", done)


M = Cadence.MONTHLY


def status(a: Assignment, reports: list[ProgressReport], as_of: date, cadence: Cadence = M) -> TaskStatus:
    return judge(a, reports, as_of, cadence).status


def test_not_started_in_progress_and_no_recent_report() -> None:
    feb = rep("2024-02", date(2024, 3, 2), percent=20)
    assert status(DATED, [], date(2024, 3, 15)) is TaskStatus.NOT_STARTED
    assert status(DATED, [feb], date(2024, 3, 15)) is TaskStatus.IN_PROGRESS
    row = judge(DATED, [feb], date(2024, 5, 10), M)
    assert row.status is TaskStatus.NO_RECENT_REPORT
    assert row.reason == "每月报送，缺 2024-04 期报告（最近一次为 2024-02）"
    assert status(DATED, [feb], date(2024, 3, 1)) is TaskStatus.NOT_STARTED  # filed after the as-of date


def test_done_overdue_and_late() -> None:
    done_in_time = rep("2024-06", date(2024, 6, 20), percent=100, done=True)
    assert status(DATED, [done_in_time], date(2024, 7, 1)) is TaskStatus.DONE
    assert status(DATED, [rep("2024-05", date(2024, 6, 2), percent=80)], date(2024, 7, 1)) is TaskStatus.OVERDUE
    assert status(DATED, [], date(2024, 6, 30)) is TaskStatus.NOT_STARTED  # the deadline day itself is not past
    assert status(DATED, [], date(2024, 7, 1)) is TaskStatus.OVERDUE
    late = rep("2024-07", date(2024, 7, 5), done=True)
    assert status(DATED, [late], date(2024, 7, 3)) is TaskStatus.OVERDUE
    row = judge(DATED, [late], date(2024, 7, 10), M)
    assert (row.status, row.done_on, row.late) == (TaskStatus.DONE, date(2024, 7, 5), True)


def test_ongoing_measures_are_judged_by_cadence_only() -> None:
    reports = [rep("2024-01", date(2024, 2, 1), done=True)]
    assert status(ONGOING, reports, date(2024, 2, 15)) is TaskStatus.IN_PROGRESS
    assert status(ONGOING, reports, date(2025, 2, 15)) is TaskStatus.NO_RECENT_REPORT
    assert (
        status(ONGOING, reports, date(2024, 3, 15), Cadence.QUARTERLY) is TaskStatus.IN_PROGRESS
    )  # covers a later period
    assert (
        status(ONGOING, [rep("2023-Q2", date(2023, 7, 3))], date(2024, 1, 10), Cadence.QUARTERLY)
        is TaskStatus.NO_RECENT_REPORT
    )
    assert (
        status(ONGOING, [rep("2024-Q1", date(2024, 4, 3))], date(2024, 5, 1), Cadence.QUARTERLY)
        is TaskStatus.IN_PROGRESS
    )


def test_other_units_reports_do_not_count() -> None:
    other = rep("2024-06", date(2024, 6, 1), done=True, unit="乐平市人民政府")
    assert status(DATED, [other], date(2024, 7, 1)) is TaskStatus.OVERDUE


@pytest.mark.parametrize(
    ("text", "label", "start", "end"),
    [
        ("2024-03", "2024-03", date(2024, 3, 1), date(2024, 3, 31)),
        ("2024年2月", "2024-02", date(2024, 2, 1), date(2024, 2, 29)),
        ("2024-Q2", "2024-Q2", date(2024, 4, 1), date(2024, 6, 30)),
        ("2024年第三季度", "2024-Q3", date(2024, 7, 1), date(2024, 9, 30)),
        ("2024-H2", "2024-H2", date(2024, 7, 1), date(2024, 12, 31)),
        ("2024年上半年", "2024-H1", date(2024, 1, 1), date(2024, 6, 30)),
        ("2024", "2024", date(2024, 1, 1), date(2024, 12, 31)),
    ],
)
def test_parse_period(text: str, label: str, start: date, end: date) -> None:
    p = parse_period(text)
    assert (p.label, p.start, p.end) == (label, start, end)


@pytest.mark.parametrize("text", ["2024-13", "March", "2024-Q5", ""])
def test_bad_period(text: str) -> None:
    with pytest.raises(InputError) as e:
        parse_period(text)
    assert e.value.code == "tasks.period_invalid"


def test_last_complete_period() -> None:
    assert last_complete_period(date(2024, 3, 31), M).label == "2024-03"
    assert last_complete_period(date(2024, 4, 1), M).label == "2024-03"
    assert last_complete_period(date(2024, 1, 10), Cadence.QUARTERLY).label == "2023-Q4"
    assert [len(periods_in_year(2024, c)) for c in Cadence] == [12, 4, 2, 1]


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 30)), st.sampled_from(list(Cadence)))
def test_periods_contain_their_day_and_tile(d: date, c: Cadence) -> None:
    p = period_of(d, c)
    assert p.start <= d <= p.end
    nxt = period_of(p.end + timedelta(days=1), c)
    assert nxt.start == p.end + timedelta(days=1)
    assert parse_period(p.label) == p


REPORT = st.builds(
    lambda d, done: rep(f"{d.year}-{d.month:02d}", d, done=done),
    st.dates(min_value=date(2024, 1, 1), max_value=date(2025, 6, 30)),
    st.booleans(),
)


@given(st.lists(REPORT, max_size=8), st.dates(date(2024, 1, 1), date(2025, 12, 31)), st.integers(0, 400))
def test_done_is_final_and_overdue_only_turns_done(
    reports: list[ProgressReport], d1: date, days: int
) -> None:
    d2 = d1 + timedelta(days=days)
    first, later = status(DATED, reports, d1), status(DATED, reports, d2)
    if first is TaskStatus.DONE:
        assert later is TaskStatus.DONE
    if first is TaskStatus.OVERDUE:
        assert later in (TaskStatus.OVERDUE, TaskStatus.DONE)
    if d1 > date(2024, 6, 30):
        assert first in (TaskStatus.OVERDUE, TaskStatus.DONE)
