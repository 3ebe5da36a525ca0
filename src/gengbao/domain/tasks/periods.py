"""Reporting periods and cadences: monthly ``2024-03``, quarterly ``2024-Q1``, half-yearly ``2024-H1``,
yearly ``2024``. A report belongs to one period; a unit is current when it has reported for the last
complete period of its cadence.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from gengbao.domain.errors import InputError


class Cadence(StrEnum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    HALF_YEARLY = "half_yearly"
    YEARLY = "yearly"

    @property
    def months(self) -> int:
        return {"monthly": 1, "quarterly": 3, "half_yearly": 6, "yearly": 12}[self.value]

    @property
    def label(self) -> str:
        return {"monthly": "每月", "quarterly": "每季度", "half_yearly": "每半年", "yearly": "每年"}[
            self.value
        ]


def parse_cadence(text: str) -> Cadence:
    try:
        return Cadence(text.strip().lower())
    except ValueError:
        raise InputError(
            f"报送周期“{text}”不可用，应为 monthly、quarterly、half_yearly 或 yearly",
            code="tasks.cadence_invalid",
        ) from None


@dataclass(frozen=True, slots=True, order=True)
class Period:
    start: date
    end: date
    label: str

    def overlaps(self, other: Period) -> bool:
        return self.start <= other.end and self.end >= other.start

    def __str__(self) -> str:
        return self.label


def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _span(y: int, first_month: int, months: int, label: str) -> Period:
    last = first_month + months - 1
    return Period(date(y, first_month, 1), _month_end(y, last), label)


_FORMS = (
    (re.compile(r"^(\d{4})-?(?:M)?(\d{1,2})$"), "month"),
    (re.compile(r"^(\d{4})年(\d{1,2})月$"), "month"),
    (re.compile(r"^(\d{4})-?Q([1-4])$", re.I), "quarter"),
    (re.compile(r"^(\d{4})年第?([1-4一二三四])季度$"), "quarter"),
    (re.compile(r"^(\d{4})-?H([12])$", re.I), "half"),
    (re.compile(r"^(\d{4})年?(上|下)半年$"), "half"),
    (re.compile(r"^(\d{4})年?$"), "year"),
)
_CN = {"一": 1, "二": 2, "三": 3, "四": 4, "上": 1, "下": 2}


def parse_period(text: str) -> Period:
    """Read a period label; raises InputError naming the label when it is not one."""
    t = re.sub(r"\s+", "", text or "")
    for pattern, kind in _FORMS:
        m = pattern.match(t)
        if not m:
            continue
        y = int(m.group(1))
        n = int(_CN.get(m.group(2), 0) or m.group(2)) if kind != "year" else 0
        if kind == "month" and 1 <= n <= 12:
            return _span(y, n, 1, f"{y}-{n:02d}")
        if kind == "quarter":
            return _span(y, 3 * n - 2, 3, f"{y}-Q{n}")
        if kind == "half":
            return _span(y, 6 * n - 5, 6, f"{y}-H{n}")
        if kind == "year":
            return _span(y, 1, 12, str(y))
    raise InputError(
        f"报告期“{text}”无法识别，应写作 2024-03、2024-Q1、2024-H1 或 2024", code="tasks.period_invalid"
    )


def period_of(d: date, cadence: Cadence) -> Period:
    if cadence is Cadence.MONTHLY:
        return _span(d.year, d.month, 1, f"{d.year}-{d.month:02d}")
    if cadence is Cadence.QUARTERLY:
        q = (d.month - 1) // 3 + 1
        return _span(d.year, 3 * q - 2, 3, f"{d.year}-Q{q}")
    if cadence is Cadence.HALF_YEARLY:
        h = 1 if d.month <= 6 else 2
        return _span(d.year, 6 * h - 5, 6, f"{d.year}-H{h}")
    return _span(d.year, 1, 12, str(d.year))


def previous_period(p: Period, cadence: Cadence) -> Period:
    return period_of(p.start - timedelta(days=1), cadence)


def last_complete_period(as_of: date, cadence: Cadence) -> Period:
    """The latest period that has ended on or before ``as_of`` (the one units must have reported)."""
    current = period_of(as_of, cadence)
    return current if current.end == as_of else previous_period(current, cadence)


def periods_in_year(year: int, cadence: Cadence) -> list[Period]:
    out: list[Period] = []
    d = date(year, 1, 1)
    while d.year == year:
        p = period_of(d, cadence)
        out.append(p)
        d = p.end + timedelta(days=1)
    return out
