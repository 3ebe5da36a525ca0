"""Deadlines (完成时限) as task lists write them, parsed to a date where they name one.

``2021年底`` → 2021-12-31, ``2024年6月底`` → 2024-06-30, ``2022年6月10日`` → that day, a phase range
``2022年6月10日—2022年7月10日`` → a range ending 2022-07-10. Text that names no date is kept with a
kind: ``长期推进`` is ongoing (judged by reporting cadence), ``依照自然资源部规定的期限`` is external
(a date set elsewhere), an empty cell is none, anything else is unparsed (kept, never guessed).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class DeadlineKind(StrEnum):
    DATE = "date"
    RANGE = "range"
    ONGOING = "ongoing"
    EXTERNAL = "external"
    NONE = "none"
    UNPARSED = "unparsed"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    DeadlineKind.DATE: "限期",
    DeadlineKind.RANGE: "阶段期限",
    DeadlineKind.ONGOING: "长期",
    DeadlineKind.EXTERNAL: "按上级规定期限",
    DeadlineKind.NONE: "未定期限",
    DeadlineKind.UNPARSED: "期限未能识别",
}


@dataclass(frozen=True, slots=True)
class Deadline:
    """A deadline: ``due`` is the last day (None when the text names no date); ``start`` for ranges."""

    kind: DeadlineKind = DeadlineKind.NONE
    text: str = ""
    due: date | None = None
    start: date | None = None

    @property
    def dated(self) -> bool:
        return self.due is not None

    @property
    def judged_by_cadence(self) -> bool:
        """Measures without a date are judged by whether their units keep reporting."""
        return self.due is None or self.kind is DeadlineKind.ONGOING


_ONGOING = re.compile(r"^(长期推进|长期坚持|长期|持续推进|持续开展|常态化推进|常态化|持续)$")
_EXTERNAL = re.compile(r"(依照|按照|根据|按).*(规定|要求|部署).*(期限|时限|时间)|^按(上级|国家|省)")
_DASH = "—–~～至到\\-"
_ONE = (
    r"(?:(?P<y{n}>\d{{4}})\s*年)?\s*(?:"
    r"(?P<half{n}>上半年|下半年)"
    r"|第?(?P<q{n}>[一二三四1-4])季度"
    r"|(?P<m{n}>\d{{1,2}})\s*月\s*(?:(?P<d{n}>\d{{1,2}})\s*日|(?P<me{n}>底|末|份)?)"
    r"|(?P<ye{n}>底|末|年底|年末)"
    r")?"
)
_SUFFIX = r"\s*(?:前|之前|以前|内|止)?\s*(?:完成)?\s*$"


def _one(n: int) -> str:
    return _ONE.format(n=n)


_SINGLE = re.compile(r"^\s*(?:于|在|力争|到|至)?\s*" + _one(1) + _SUFFIX)
_RANGE = re.compile(r"^\s*" + _one(1) + rf"\s*[{_DASH}]+\s*" + _one(2) + _SUFFIX)
_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")
_QUARTER = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _bounds(g: dict[str, str | None], n: int, year: int | None) -> tuple[date, date] | None:
    """First and last day named by the n-th date expression; None when it names no day."""
    y_text = g.get(f"y{n}")
    y = int(y_text) if y_text else year
    if y is None:
        return None
    try:
        if g.get(f"d{n}"):
            d = date(y, int(g[f"m{n}"] or 0), int(g[f"d{n}"] or 0))
            return d, d
        if g.get(f"m{n}"):
            m = int(g[f"m{n}"] or 0)
            return date(y, m, 1), _month_end(y, m)
    except ValueError:
        return None
    if g.get(f"q{n}"):
        q = _QUARTER[g[f"q{n}"] or "1"]
        return date(y, 3 * q - 2, 1), _month_end(y, 3 * q)
    if g.get(f"half{n}") == "上半年":
        return date(y, 1, 1), date(y, 6, 30)
    if g.get(f"half{n}") == "下半年":
        return date(y, 7, 1), date(y, 12, 31)
    if y_text:
        return date(y, 1, 1), date(y, 12, 31)
    return None


def parse_deadline(text: str) -> Deadline:
    """Parse a deadline cell; never raises (unreadable text comes back as ``UNPARSED``)."""
    t = re.sub(r"\s+", "", text or "")
    if not t:
        return Deadline(DeadlineKind.NONE, "")
    if _ONGOING.match(t):
        return Deadline(DeadlineKind.ONGOING, t)
    m = _ISO.match(t)
    if m:
        try:
            d = date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return Deadline(DeadlineKind.UNPARSED, t)
        return Deadline(DeadlineKind.DATE, t, d)
    m = _RANGE.match(t)
    if m:
        first = _bounds(m.groupdict(), 1, None)
        second = _bounds(m.groupdict(), 2, first[0].year if first else None)
        if first and second and first[0] <= second[1]:
            return Deadline(DeadlineKind.RANGE, t, second[1], first[0])
    m = _SINGLE.match(t)
    if m:
        b = _bounds(m.groupdict(), 1, None)
        if b is not None:
            return Deadline(DeadlineKind.DATE, t, b[1])
    if _EXTERNAL.search(t):
        return Deadline(DeadlineKind.EXTERNAL, t)
    return Deadline(DeadlineKind.UNPARSED, t)


def parse_range(text: str) -> tuple[date, date] | None:
    """``2022年6月10日—2022年7月10日`` → (start, end), or None when the text is not a date range."""
    d = parse_deadline(text)
    if d.kind is DeadlineKind.RANGE and d.start is not None and d.due is not None:
        return d.start, d.due
    return None


def span(deadlines: list[Deadline], text: str) -> Deadline:
    """A range covering several dated deadlines (a campaign's phases), or NONE when none is dated."""
    starts = [d.start or d.due for d in deadlines if d.due is not None]
    ends = [d.due for d in deadlines if d.due is not None]
    if not ends:
        return Deadline(DeadlineKind.NONE, "")
    return Deadline(DeadlineKind.RANGE, text, max(ends), min(s for s in starts if s is not None))
