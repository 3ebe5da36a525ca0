"""Task lists (任务清单 / 分工表) as values: documents, their measures (举措) and campaign phases.

A measure belongs to a key task or area (重点任务 / 一、明细责任), usually to a measure group
(推进措施 / 主要任务), has a number, a text, lead, cooperating and implementing units, and a deadline.
``columns`` records the document's own column order so that exports look like the source.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from gengbao.domain.findings import Finding
from gengbao.domain.tasks.deadlines import Deadline, DeadlineKind
from gengbao.domain.tasks.unit_lists import UnitList


class ColumnRole(StrEnum):
    """What a column of a task table holds."""

    KEY_TASK = "key_task"
    GROUP_NO = "group_no"
    GROUP = "group"
    TEXT = "text"
    LEAD = "lead"
    COOPERATING = "cooperating"
    IMPLEMENTING = "implementing"
    DEADLINE = "deadline"


HEADER_ROLES: dict[str, ColumnRole] = {
    "重点任务": ColumnRole.KEY_TASK,
    "重点工作": ColumnRole.KEY_TASK,
    "任务类别": ColumnRole.KEY_TASK,
    "序号": ColumnRole.GROUP_NO,
    "推进措施": ColumnRole.GROUP,
    "主要任务": ColumnRole.GROUP,
    "具体举措": ColumnRole.TEXT,
    "工作举措": ColumnRole.TEXT,
    "具体措施": ColumnRole.TEXT,
    "工作措施": ColumnRole.TEXT,
    "工作内容": ColumnRole.TEXT,
    "牵头单位": ColumnRole.LEAD,
    "责任单位": ColumnRole.LEAD,
    "牵头部门": ColumnRole.LEAD,
    "责任部门": ColumnRole.LEAD,
    "配合单位": ColumnRole.COOPERATING,
    "配合部门": ColumnRole.COOPERATING,
    "协办单位": ColumnRole.COOPERATING,
    "落实单位": ColumnRole.IMPLEMENTING,
    "实施单位": ColumnRole.IMPLEMENTING,
    "完成时限": ColumnRole.DEADLINE,
    "时限要求": ColumnRole.DEADLINE,
    "完成时间": ColumnRole.DEADLINE,
    "时间节点": ColumnRole.DEADLINE,
}
UNIT_ROLES = (ColumnRole.LEAD, ColumnRole.COOPERATING, ColumnRole.IMPLEMENTING)


def header_role(cell: str) -> ColumnRole | None:
    return HEADER_ROLES.get(re.sub(r"\s+", "", cell))


@dataclass(frozen=True, slots=True)
class Column:
    role: ColumnRole
    header: str


# The columns used when a document has none of its own (paragraph layouts).
DEFAULT_COLUMNS = (
    Column(ColumnRole.KEY_TASK, "重点任务"),
    Column(ColumnRole.GROUP, "主要任务"),
    Column(ColumnRole.TEXT, "具体举措"),
    Column(ColumnRole.LEAD, "责任单位"),
    Column(ColumnRole.COOPERATING, "配合单位"),
    Column(ColumnRole.IMPLEMENTING, "落实单位"),
    Column(ColumnRole.DEADLINE, "完成时限"),
)


@dataclass(frozen=True, slots=True)
class Measure:
    number: int
    text: str
    label: str = ""
    key_task: str = ""
    group_no: str = ""
    group: str = ""
    lead: UnitList = UnitList()
    cooperating: UnitList = UnitList()
    implementing: UnitList = UnitList()
    deadline: Deadline = Deadline()
    mentioned: tuple[str, ...] = ()
    line: int = 0

    def units(self, role: ColumnRole) -> UnitList:
        return {
            ColumnRole.LEAD: self.lead,
            ColumnRole.COOPERATING: self.cooperating,
            ColumnRole.IMPLEMENTING: self.implementing,
        }[role]

    def content(self) -> dict[str, Any]:
        """The fields that identify what a measure says (everything but its position in the file)."""
        return {
            "label": self.label,
            "key_task": self.key_task,
            "group_no": self.group_no,
            "measure_group": self.group,
            "text": self.text,
            "lead_units": list(self.lead.names),
            "cooperating_units": list(self.cooperating.names),
            "implementing_units": list(self.implementing.names),
            "open_ended": [r.value for r in UNIT_ROLES if self.units(r).open_ended],
            "deadline": self.deadline.due.isoformat() if self.deadline.due else None,
            "deadline_start": self.deadline.start.isoformat() if self.deadline.start else None,
            "deadline_kind": self.deadline.kind.value,
            "deadline_text": self.deadline.text,
            "mentioned_units": list(self.mentioned),
        }

    def to_dict(self) -> dict[str, Any]:
        return {"number": self.number, **self.content()}


@dataclass(frozen=True, slots=True)
class Phase:
    """A campaign phase (全面排查阶段 2022-06-10 — 2022-07-10)."""

    name: str
    start: date
    end: date

    def to_dict(self) -> dict[str, str]:
        return {"name": self.name, "start": self.start.isoformat(), "end": self.end.isoformat()}


@dataclass(frozen=True, slots=True)
class TaskDocument:
    title: str
    layout: str
    measures: tuple[Measure, ...]
    columns: tuple[Column, ...] = DEFAULT_COLUMNS
    phases: tuple[Phase, ...] = ()
    findings: tuple[Finding, ...] = field(default=())

    def key_tasks(self) -> list[str]:
        return _distinct(m.key_task for m in self.measures)

    def groups(self) -> list[str]:
        return _distinct(f"{m.key_task}|{m.group_no}|{squash(m.group)}" for m in self.measures if m.group)


def _distinct(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")
_NUMBER = re.compile(r"^\s*(\d{1,3})\s*[.．、]\s*(?!\d)")
CN_DIGITS = "〇一二三四五六七八九"
_CN_LABEL = re.compile(r"^\s*[（(]\s*([一二三四五六七八九十]+)\s*[）)]\s*")
AREA_HEADING = re.compile(r"^\s*([一二三四五六七八九十]+)\s*[、.．]\s*\S")


def squash(text: str) -> str:
    """Text with all white space removed, for comparing cells written with different spacing."""
    return re.sub(r"\s+", "", text)


def clean_cell(text: str | None) -> str:
    """A cell's text without conversion artefacts ([bookmark: …]) and with normalised white space."""
    t = _BOOKMARK.sub("", text or "")
    t = t.replace("\u3000", " ").replace("\xa0", " ")
    return re.sub(r"[ \t]*\n[ \t]*", "\n", re.sub(r"[ \t]+", " ", t)).strip()


def split_number(text: str) -> tuple[int | None, str, str]:
    """``"12. 对符合…"`` → ``(12, "12.", "对符合…")``; unnumbered text gives ``(None, "", text)``."""
    m = _NUMBER.match(text)
    if not m:
        return None, "", text.strip()
    return int(m.group(1)), f"{m.group(1)}.", text[m.end() :].strip()


def chinese_number(text: str) -> int | None:
    """一 → 1, 十二 → 12, 二十 → 20 (the ordinals used in headings)."""
    if not text or any(ch not in CN_DIGITS + "十" for ch in text):
        return None
    if "十" not in text:
        return int("".join(str(CN_DIGITS.index(ch)) for ch in text))
    tens, _, ones = text.partition("十")
    return (CN_DIGITS.index(tens) if tens else 1) * 10 + (CN_DIGITS.index(ones) if ones else 0)


def split_cn_label(text: str) -> tuple[int | None, str, str]:
    """``"（三）坚决遏制…"`` → ``(3, "（三）", "坚决遏制…")``."""
    m = _CN_LABEL.match(text)
    if not m:
        return None, "", text
    return chinese_number(m.group(1)), f"（{m.group(1)}）", text[m.end() :].strip()


def undated(text: str = "") -> Deadline:
    return Deadline(DeadlineKind.NONE, text)
