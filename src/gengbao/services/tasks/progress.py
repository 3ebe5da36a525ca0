"""Progress on task-list measures: units report per period; status per measure and unit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from gengbao.adapters.db import tasks_store as store
from gengbao.adapters.evidence.attachments import store_attachment
from gengbao.domain.errors import InputError, NotFoundError, UsageError
from gengbao.domain.tasks.periods import Cadence, Period, parse_cadence, parse_period, period_of
from gengbao.domain.tasks.progress import (
    Assignment,
    MeasureRef,
    ProgressReport,
    StatusRow,
    TaskStatus,
    judge_all,
)
from gengbao.services.context import Context
from gengbao.services.tasks.organisations import all_assignments, measure_assignments, unit_directory

CADENCE_KEY = "tasks.cadence"


def _cadence(stored: str | None) -> Cadence:
    return parse_cadence(stored) if stored else Cadence.MONTHLY


def current_cadence(ws: Context) -> Cadence:
    """The workspace's reporting cadence (monthly unless set)."""
    with ws.sessions() as s:
        return _cadence(store.setting(s, CADENCE_KEY))


def set_cadence(ws: Context, cadence: str) -> Cadence:
    c = parse_cadence(cadence)
    with ws.transaction() as s:
        store.save_setting(s, CADENCE_KEY, c.value)
        ws.audit(s, "tasks.cadence", CADENCE_KEY, {"cadence": c.value})
    return c


@dataclass(frozen=True)
class RecordedReport:
    id: int
    document: str
    number: int
    unit: str
    period: Period
    reported_on: date
    percent: int | None
    milestone: str
    done: bool
    attachments: list[dict[str, object]]


def record_report(
    ws: Context,
    *,
    number: int,
    unit: str,
    document: str | None = None,
    period: str | None = None,
    reported_on: date | None = None,
    percent: int | None = None,
    milestone: str = "",
    done: bool = False,
    text: str = "",
    attachments: Sequence[Path] = (),
) -> RecordedReport:
    """Record one unit's progress on one measure; the unit must be responsible for the measure."""
    if percent is not None and not 0 <= percent <= 100:
        raise InputError(f"进度百分比应在 0–100 之间，实际为 {percent}", code="tasks.percent_invalid")
    if percent is None and not milestone and not done and not text:
        raise UsageError(
            "进度报告至少要有 --percent、--milestone、--done 或 --text 之一", code="tasks.report_empty"
        )
    day = reported_on or date.today()
    with ws.transaction() as s:
        cadence = _cadence(store.setting(s, CADENCE_KEY))
        per = parse_period(period) if period else period_of(day, cadence)
        if per.start > day:
            raise InputError(f"报告期 {per.label} 尚未开始（报告日期 {day}）", code="tasks.period_future")
        doc = store.find_document(s, document)
        stored = store.find_measure(s, doc, number)
        if stored is None or stored.withdrawn:
            raise NotFoundError(
                f"任务清单“{doc.key}”中没有第 {number} 条举措", code="tasks.measure_not_found"
            )
        directory = unit_directory(ws, store.units(s))
        resolved = directory.find(unit, doc.region)
        names = [u.name for u in resolved.members] or [unit]
        assigned = {a.unit: a for a in measure_assignments(directory, doc, stored.measure)}
        hit = next((n for n in names if n in assigned), None)
        if hit is None:
            shown = "、".join(list(assigned)[:8]) + (" 等" if len(assigned) > 8 else "")
            raise InputError(
                f"“{unit}”不是第 {number} 条举措的责任单位（责任单位：{shown}）",
                code="tasks.unit_not_assigned",
            )
        files = [store_attachment(ws.layout.evidence, Path(p)) for p in attachments]
        is_done = done or percent == 100
        report = ProgressReport(MeasureRef(doc.key, number), hit, per, day, percent, milestone, is_done, text)
        region, now = assigned[hit].unit_region, datetime.now(UTC)
        report_id = store.add_report(s, stored.id, report, region, files, ws.actor.user_id, now)
        ws.audit(s, "tasks.report",
            f"task_report:{report_id}",
            {
                "document": doc.key,
                "number": number,
                "unit": hit,
                "period": per.label,
                "reported_on": day.isoformat(),
                "percent": percent,
                "milestone": milestone,
                "done": is_done,
                "attachments": [a["sha256"] for a in files],
            },
        )
        return RecordedReport(report_id, doc.key, number, hit, per, day, percent, milestone, is_done, files)


def assignments_and_reports(
    ws: Context, document: str | None = None
) -> tuple[list[Assignment], list[ProgressReport]]:
    """Every assignment and progress report (of the document with key ``document``): facts for scorecards."""
    with ws.sessions() as s:
        _, assignments = all_assignments(ws, s, document)
        return assignments, store.reports(s, document)


@dataclass(frozen=True)
class StatusResult:
    as_of: date
    cadence: Cadence
    rows: list[StatusRow]

    def counts(self) -> dict[str, int]:
        return {s.value: sum(1 for r in self.rows if r.status is s) for s in TaskStatus}


def task_status(
    ws: Context,
    *,
    unit: str | None = None,
    as_of: date | None = None,
    cadence: str | None = None,
    document: str | None = None,
) -> StatusResult:
    """TaskStatus of every (measure, unit) as of a date; ``unit`` narrows to one unit (any of its names)."""
    day = as_of or date.today()
    with ws.sessions() as s:
        c = parse_cadence(cadence) if cadence else _cadence(store.setting(s, CADENCE_KEY))
        key = store.find_document(s, document).key if document else None
        if key is None and not store.documents(s):
            raise NotFoundError(
                "工作空间中还没有导入任何任务清单（先运行 gengbao tasks import）", code="tasks.no_documents"
            )
        directory, assignments = all_assignments(ws, s, key)
        reports = store.reports(s, key)
    if unit:
        wanted = {u.name for u in directory.find(unit).members} or {unit}
        assignments = [a for a in assignments if a.unit in wanted]
        if not assignments:
            raise NotFoundError(f"“{unit}”没有负责任何举措", code="tasks.unit_without_measures")
    rows = judge_all(assignments, reports, day, c)
    rows.sort(key=lambda r: (r.assignment.measure, r.assignment.unit))
    return StatusResult(day, c, rows)


def status_json(row: StatusRow) -> dict[str, object]:
    a, last = row.assignment, row.last_report
    return {
        "document": a.measure.document,
        "number": a.measure.number,
        "unit": a.unit,
        "unit_region": a.unit_region,
        "role": a.role,
        "status": row.status.value,
        "status_label": row.status.label,
        "deadline": a.deadline.due.isoformat() if a.deadline.due else None,
        "deadline_kind": a.deadline.kind.value,
        "done_on": row.done_on.isoformat() if row.done_on else None,
        "late": row.late,
        "reason": row.reason,
        "last_report": None
        if last is None
        else {
            "period": last.period.label,
            "reported_on": last.reported_on.isoformat(),
            "percent": last.percent,
            "milestone": last.milestone,
            "done": last.done,
        },
    }
