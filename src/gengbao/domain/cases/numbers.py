"""Clue sources and case numbers: ``<county 6 digits><source letters><year 4><serial 6>``
(e.g. ``360281WPZF2023000123``, DOMAIN.md §5a)."""

from __future__ import annotations

import re
from enum import StrEnum

from gengbao.domain.errors import InputError


class ClueSource(StrEnum):
    SATELLITE = "satellite"
    INSPECTION = "inspection"
    AUDIT = "audit"
    PARTY_INSPECTION = "party_inspection"
    REPORT = "report"
    PATROL = "patrol"
    MEDIA = "media"

    @property
    def label(self) -> str:
        return _SOURCES[self][0]

    @property
    def letters(self) -> str:
        return _SOURCES[self][1]


_SOURCES: dict[ClueSource, tuple[str, str]] = {
    ClueSource.SATELLITE: ("卫片执法", "WPZF"),
    ClueSource.INSPECTION: ("督察", "DC"),
    ClueSource.AUDIT: ("审计", "SJ"),
    ClueSource.PARTY_INSPECTION: ("巡察", "XS"),
    ClueSource.REPORT: ("举报", "JB"),
    ClueSource.PATROL: ("巡查", "XC"),
    ClueSource.MEDIA: ("媒体", "MT"),
}

PATTERN = re.compile(r"^(\d{6})([A-Z]{2,4})(\d{4})(\d{6})$")


def parse_source(text: str) -> ClueSource:
    for s in ClueSource:
        if text in (s.value, s.label, s.letters):
            return s
    known = "、".join(f"{s.label}（{s.value}）" for s in ClueSource)
    raise InputError(f"不认识的线索来源“{text}”。可用：{known}", code="cases.unknown_source", value=text)


def case_number(county: str, source: ClueSource, year: int, serial: int) -> str:
    if len(county) != 6 or not county.isdigit():
        raise InputError(f"案件编号须用 6 位县级代码，收到“{county}”。", code="cases.bad_county", value=county)
    if not 0 < serial < 1_000_000 or not 1000 <= year <= 9999:
        raise InputError(f"案件序号 {serial} 或年份 {year} 超出范围。", code="cases.bad_serial")
    return f"{county}{source.letters}{year:04d}{serial:06d}"


def parse_number(number: str) -> tuple[str, ClueSource, int, int]:
    m = PATTERN.match(number)
    letters = {s.letters: s for s in ClueSource}
    if m is None or m.group(2) not in letters:
        raise InputError(f"“{number}”不是案件编号（县代码6位+来源字母+年份4位+序号6位）。",
                         code="cases.bad_number", value=number)
    return m.group(1), letters[m.group(2)], int(m.group(3)), int(m.group(4))
