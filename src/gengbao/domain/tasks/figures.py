"""Task-progress figures for scorecards, for one region's assignments in one year.

- completion rate: of the assignments whose deadline falls in the year, the share done by 31
  December (with ``on_time``: done by their own deadline);
- overdue count: assignments whose deadline is on or before 31 December and that are not done by then;
- reporting rate: of the reporting periods each assignment owed in the year (every period of the
  cadence, up to and including the period of its done report), the share with a report; reports
  filed up to ``grace_days`` after the year's end count.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from gengbao.domain.assessment.scorecard import Figure
from gengbao.domain.tasks.deadlines import DeadlineKind
from gengbao.domain.tasks.periods import Cadence, periods_in_year
from gengbao.domain.tasks.progress import Assignment, MeasureRef, ProgressReport, done_on

RATE = Decimal("0.0001")


def _rate(n: int, d: int) -> Decimal:
    return (Decimal(n) / Decimal(d)).quantize(RATE, rounding=ROUND_HALF_UP)


def _pairs(reports: Sequence[ProgressReport]) -> dict[tuple[MeasureRef, str], list[ProgressReport]]:
    out: dict[tuple[MeasureRef, str], list[ProgressReport]] = {}
    for r in reports:
        out.setdefault((r.measure, r.unit), []).append(r)
    return out


def _list(items: Sequence[str], limit: int = 12) -> str:
    shown = "、".join(items[:limit])
    return shown + (f" 等 {len(items)} 项" if len(items) > limit else "")


def completion_rate(
    assignments: Sequence[Assignment], reports: Sequence[ProgressReport], year: int, on_time: bool = False
) -> Figure:
    cutoff = date(year, 12, 31)
    by_pair = _pairs(reports)
    due = [a for a in assignments if a.deadline.due is not None and a.deadline.due.year == year]
    done: list[str] = []
    missing: list[str] = []
    for a in sorted(due, key=str):
        until = min(cutoff, a.deadline.due) if on_time and a.deadline.due else cutoff
        fin = done_on(by_pair.get((a.measure, a.unit), []), until)
        (done if fin is not None else missing).append(f"{a}（期限 {a.deadline.due}）")
    data = {"due": len(due), "done": len(done)}
    if not due:
        return Figure(None, "ratio", f"{year} 年无到期举措", (), data)
    when = "按各自期限" if on_time else f"至 {cutoff.isoformat()}"
    text = f"{year} 年到期举措 {len(due)} 项，{when}完成 {len(done)} 项，完成率 {_rate(len(done), len(due))}"
    if missing:
        text += f"；未完成：{_list(missing)}"
    return Figure(_rate(len(done), len(due)), "ratio", text, tuple(done + missing), data)


def overdue_count(assignments: Sequence[Assignment], reports: Sequence[ProgressReport], year: int) -> Figure:
    cutoff = date(year, 12, 31)
    by_pair = _pairs(reports)
    overdue = sorted(
        f"{a}（期限 {a.deadline.due}）"
        for a in assignments
        if a.deadline.due is not None
        and a.deadline.due <= cutoff
        and done_on(by_pair.get((a.measure, a.unit), []), cutoff) is None
    )
    text = f"截至 {cutoff.isoformat()} 逾期未完成举措 {len(overdue)} 项"
    if overdue:
        text += f"：{_list(overdue)}"
    return Figure(Decimal(len(overdue)), "count", text, tuple(overdue), {"overdue": len(overdue)})


def reporting_rate(
    assignments: Sequence[Assignment],
    reports: Sequence[ProgressReport],
    year: int,
    cadence: Cadence,
    grace_days: int = 10,
) -> Figure:
    cutoff = date(year, 12, 31)
    filed_by = cutoff + timedelta(days=grace_days)
    periods = periods_in_year(year, cadence)
    by_pair = _pairs(reports)
    owed = filed = 0
    gaps: list[str] = []
    for a in sorted(assignments, key=str):
        mine = [r for r in by_pair.get((a.measure, a.unit), []) if r.reported_on <= filed_by]
        done = [r for r in mine if r.done and r.reported_on <= cutoff]
        fin = (
            min(r.period.end for r in done) if done and a.deadline.kind is not DeadlineKind.ONGOING else None
        )
        expected = [p for p in periods if fin is None or p.start <= fin]
        have = [p for p in expected if any(r.period.overlaps(p) for r in mine)]
        owed += len(expected)
        filed += len(have)
        if len(have) < len(expected):
            gaps.append(f"{a} 缺 {len(expected) - len(have)} 期")
    data = {"owed": owed, "filed": filed, "cadence": cadence.value}
    if owed == 0:
        return Figure(None, "ratio", f"{year} 年无应报送的进度", (), data)
    text = f"{year} 年{cadence.label}报送，应报 {owed} 期次，实报 {filed} 期次，报送率 {_rate(filed, owed)}"
    if gaps:
        text += f"；{_list(gaps)}"
    return Figure(_rate(filed, owed), "ratio", text, tuple(gaps), data)
