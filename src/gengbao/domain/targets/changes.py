"""A re-imported target table: what changed against the stored figures."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

# --------------------------------------------------------------------------------------------
# Re-import: what changed
# --------------------------------------------------------------------------------------------
from gengbao.domain.targets.kinds import TargetKey


class ChangeKind(StrEnum):
    ADDED = "added"
    CHANGED = "changed"
    REMOVED = "removed"
    UNCHANGED = "unchanged"

    @property
    def label(self) -> str:
        return {"added": "新增", "changed": "变更", "removed": "删除", "unchanged": "未变"}[self.value]


@dataclass(frozen=True, slots=True)
class TargetChange:
    region: str
    name: str
    key: TargetKey
    kind: ChangeKind
    old: Decimal | None
    new: Decimal | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "region": self.region, "name": self.name, "measure": str(self.key.measure), "year": self.key.year,
            "label": self.key.label, "change": str(self.kind),
            "old": None if self.old is None else str(self.old), "new": None if self.new is None else str(self.new),
        }


Cell = tuple[str, TargetKey]


def diff_values(
    stored: Mapping[Cell, Decimal],
    incoming: Mapping[Cell, Decimal],
    replaceable: Collection[Cell] = (),
    name_of: Callable[[str], str] = str,
) -> list[TargetChange]:
    """Compare an import with what is stored.

    Values are compared as numbers (``129.45`` equals ``129.450``). ``replaceable`` are the stored
    cells that came from the same sources as this import: those missing from it are removed.
    """
    out: list[TargetChange] = []
    for cell, new in incoming.items():
        old = stored.get(cell)
        if old is None:
            kind = ChangeKind.ADDED
        elif old != new:
            kind = ChangeKind.CHANGED
        else:
            kind = ChangeKind.UNCHANGED
        out.append(TargetChange(cell[0], name_of(cell[0]), cell[1], kind, old, new))
    for cell in replaceable:
        if cell not in incoming and cell in stored:
            out.append(TargetChange(cell[0], name_of(cell[0]), cell[1], ChangeKind.REMOVED, stored[cell], None))
    out.sort(key=lambda c: (c.region, c.key.sort_key))
    return out
