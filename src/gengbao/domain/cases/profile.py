"""The case rules that vary by place (rules are data): which monitoring patches open a clue, the
rectification deadline, how far from its patch a photo may be taken, how alike two photos may be
before they count as the same picture, and the closure tolerance. Defaults follow DOMAIN.md §5 and
seed 003 (60 days); a profile overrides them (``CaseRules.from_mapping``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from decimal import Decimal
from typing import Any

from gengbao.domain.cases.closure import Tolerance
from gengbao.domain.errors import RuleError


@dataclass(frozen=True, slots=True)
class Selection:
    """A patch needs a check when its prejudged legality is listed, or when its change type is listed
    and it lies on PBF (非粮化 on PBF)."""

    legality: frozenset[str] = frozenset({"suspected_illegal", "temporary_expired", "facility_excess"})
    change_types_on_pbf: frozenset[str] = frozenset({"non_grain_conversion", "non_grain_crop"})

    def selects(self, legality: str, change_type: str, on_pbf: bool) -> bool:
        return legality in self.legality or (on_pbf and change_type in self.change_types_on_pbf)


@dataclass(frozen=True, slots=True)
class CaseRules:
    selection: Selection = field(default_factory=Selection)
    deadline_days: int = 60
    photo_max_distance_m: float = 100.0
    near_duplicate_bits: int = 4
    closure_tolerance: Tolerance = field(default_factory=Tolerance)
    link_min_overlap_m2: float = 1.0

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> CaseRules:
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise RuleError(f"案件规则中有不认识的项：{'、'.join(sorted(unknown))}", code="cases.rules_unknown")
        out = cls()
        for k, v in data.items():
            if k == "selection":
                out = replace(out, selection=Selection(frozenset(v.get("legality", out.selection.legality)),
                                                       frozenset(v.get("change_types_on_pbf",
                                                                       out.selection.change_types_on_pbf))))
            elif k == "closure_tolerance":
                out = replace(out, closure_tolerance=Tolerance(Decimal(str(v["m2"])), Decimal(str(v["share"]))))
            else:
                out = replace(out, **{k: type(getattr(out, k))(v)})
        return out
