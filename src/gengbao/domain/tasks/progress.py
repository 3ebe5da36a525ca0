"""Progress of measures, per measure and responsible unit (an *assignment*).

TaskStatus as of a date, from the unit's reports up to that date:

- ``done``: a report says done (percent 100 or marked done). Ongoing measures are never "done"; their
  done reports count as ordinary reports.
- ``overdue``: the deadline has passed (deadline < as-of) and it is not done.
- ``not_started``: no report yet.
- ``no_recent_report``: reports exist, but none covers the last complete period of the cadence.
- ``in_progress``: reported for the last complete period (or the current one).

Measures with a date are judged by their deadline first; measures without one (ongoing, external,
none) are judged by reporting cadence only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from gengbao.domain.tasks.deadlines import Deadline, DeadlineKind
from gengbao.domain.tasks.periods import Cadence, Period, last_complete_period


class TaskStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    OVERDUE = "overdue"
    NO_RECENT_REPORT = "no_recent_report"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]


_STATUS_LABELS = {
    TaskStatus.NOT_STARTED: "未开始",
    TaskStatus.IN_PROGRESS: "推进中",
    TaskStatus.DONE: "已完成",
    TaskStatus.OVERDUE: "逾期未完成",
    TaskStatus.NO_RECENT_REPORT: "上期未报送",
}


@dataclass(frozen=True, slots=True, order=True)
class MeasureRef:
    document: str
    number: int

    def __str__(self) -> str:
        return f"{self.document}#{self.number}"


@dataclass(frozen=True, slots=True)
class Assignment:
    """One unit responsible for one measure; ``role`` is lead, implementing, mentioned or issuer."""

    measure: MeasureRef
    unit: str
    unit_region: str
    deadline: Deadline
    role: str = "lead"

    def __str__(self) -> str:
        return f"{self.measure} {self.unit}"


@dataclass(frozen=True, slots=True)
class ProgressReport:
    measure: MeasureRef
    unit: str
    period: Period
    reported_on: date
    percent: int | None = None
    milestone: str = ""
    done: bool = False
    text: str = ""


@dataclass(frozen=True, slots=True)
class StatusRow:
    assignment: Assignment
    status: TaskStatus
    as_of: date
    last_report: ProgressReport | None
    done_on: date | None
    late: bool
    reason: str


def done_on(reports: Sequence[ProgressReport], until: date) -> date | None:
    """The date of the first done report on or before ``until``."""
    days = [r.reported_on for r in reports if r.done and r.reported_on <= until]
    return min(days) if days else None


def judge(a: Assignment, reports: Sequence[ProgressReport], as_of: date, cadence: Cadence) -> StatusRow:
    """The status of one assignment; ``reports`` may include other assignments' reports."""
    mine = sorted(
        (r for r in reports if r.measure == a.measure and r.unit == a.unit and r.reported_on <= as_of),
        key=lambda r: (r.reported_on, r.period.end),
    )
    last = mine[-1] if mine else None
    dl = a.deadline
    finished = done_on(mine, as_of) if dl.kind is not DeadlineKind.ONGOING else None
    if finished is not None:
        late = dl.due is not None and finished > dl.due
        why = f"{finished.isoformat()} 报告完成" + ("（晚于期限）" if late else "")
        return StatusRow(a, TaskStatus.DONE, as_of, last, finished, late, why)
    if dl.due is not None and as_of > dl.due:
        why = f"期限 {dl.due.isoformat()} 已过，未报告完成"
        return StatusRow(a, TaskStatus.OVERDUE, as_of, last, None, True, why)
    if last is None:
        return StatusRow(a, TaskStatus.NOT_STARTED, as_of, None, None, False, "尚无进度报告")
    expected = last_complete_period(as_of, cadence)
    if any(r.period.end >= expected.start for r in mine):
        why = f"已报送 {last.period.label}"
        return StatusRow(a, TaskStatus.IN_PROGRESS, as_of, last, None, False, why)
    why = f"{cadence.label}报送，缺 {expected.label} 期报告（最近一次为 {last.period.label}）"
    return StatusRow(a, TaskStatus.NO_RECENT_REPORT, as_of, last, None, False, why)


def judge_all(
    assignments: Sequence[Assignment], reports: Sequence[ProgressReport], as_of: date, cadence: Cadence
) -> list[StatusRow]:
    by_pair: dict[tuple[MeasureRef, str], list[ProgressReport]] = {}
    for r in reports:
        by_pair.setdefault((r.measure, r.unit), []).append(r)
    return [judge(a, by_pair.get((a.measure, a.unit), []), as_of, cadence) for a in assignments]
