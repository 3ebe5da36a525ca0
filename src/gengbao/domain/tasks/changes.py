"""What a re-import changes: measures added, updated (field by field), withdrawn and unchanged.

Measures are matched by number within their document. A measure missing from the new version is
withdrawn, not deleted (its progress reports stay); one that reappears is restored.
"""

from __future__ import annotations

from collections.abc import Mapping, Set
from dataclasses import dataclass
from typing import Any

FIELD_LABELS = {
    "label": "编号",
    "key_task": "重点任务",
    "group_no": "序号",
    "measure_group": "推进措施",
    "text": "举措内容",
    "lead_units": "牵头/责任单位",
    "cooperating_units": "配合单位",
    "implementing_units": "落实单位",
    "open_ended": "“等”标记",
    "deadline": "完成时限",
    "deadline_start": "起始日期",
    "deadline_kind": "时限类型",
    "deadline_text": "时限原文",
    "mentioned_units": "文中提及单位",
}


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str
    old: Any
    new: Any


@dataclass(frozen=True, slots=True)
class MeasureChange:
    number: int
    fields: tuple[FieldChange, ...]

    def describe(self) -> str:
        names = "、".join(FIELD_LABELS.get(f.field, f.field) for f in self.fields)
        return f"第 {self.number} 条：{names}"


@dataclass(frozen=True, slots=True)
class Changes:
    added: tuple[int, ...] = ()
    updated: tuple[MeasureChange, ...] = ()
    withdrawn: tuple[int, ...] = ()
    restored: tuple[int, ...] = ()
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.withdrawn or self.restored)

    def summary(self) -> str:
        parts = [f"新增 {len(self.added)} 条", f"更新 {len(self.updated)} 条", f"未变 {self.unchanged} 条"]
        if self.withdrawn:
            parts.append(f"撤销 {len(self.withdrawn)} 条（{'、'.join(map(str, self.withdrawn))}）")
        if self.restored:
            parts.append(f"恢复 {len(self.restored)} 条")
        text = "，".join(parts)
        if self.updated:
            text += "；" + "；".join(c.describe() for c in self.updated)
        return text

    def to_dict(self) -> dict[str, Any]:
        return {
            "added": list(self.added),
            "updated": [
                {
                    "number": c.number,
                    "fields": [{"field": f.field, "old": f.old, "new": f.new} for f in c.fields],
                }
                for c in self.updated
            ],
            "withdrawn": list(self.withdrawn),
            "restored": list(self.restored),
            "unchanged": self.unchanged,
            "summary": self.summary(),
        }


def diff_measures(
    old: Mapping[int, Mapping[str, Any]],
    new: Mapping[int, Mapping[str, Any]],
    withdrawn_before: Set[int] = frozenset(),
) -> Changes:
    """Compare stored measure contents (by number) with a newly read version."""
    added: list[int] = []
    updated: list[MeasureChange] = []
    restored: list[int] = []
    unchanged = 0
    for number in sorted(new):
        if number not in old:
            added.append(number)
            continue
        fields = tuple(
            FieldChange(k, old[number].get(k), v) for k, v in new[number].items() if old[number].get(k) != v
        )
        if number in withdrawn_before:
            restored.append(number)
        if fields:
            updated.append(MeasureChange(number, fields))
        elif number not in withdrawn_before:
            unchanged += 1
    withdrawn = tuple(n for n in sorted(old) if n not in new and n not in withdrawn_before)
    return Changes(tuple(added), tuple(updated), withdrawn, tuple(restored), unchanged)
