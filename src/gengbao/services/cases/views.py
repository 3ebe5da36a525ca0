"""Typed results of the case use cases (frozen dataclasses with ``to_dict`` for JSON)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from gengbao.domain.cases.judgement import Category
from gengbao.domain.cases.numbers import ClueSource
from gengbao.domain.cases.rectification import Progress, Way, days_overdue
from gengbao.domain.cases.states import CaseState
from gengbao.domain.findings import Finding

AREA_FIELDS = ("area_m2", "farmland_m2", "pbf_m2", "agricultural_m2", "unused_m2", "redline_m2")


@dataclass(frozen=True, slots=True)
class CaseView:
    number: str
    county: str
    region: str
    source: ClueSource
    year: int
    state: CaseState
    version: int
    areas: dict[str, Decimal]
    opened_on: date
    parent: str | None = None
    run_id: int | None = None
    patch_ref: str | None = None
    change_type: str = ""
    prejudged: str = ""
    location: str = ""
    category: Category | None = None
    subtype: str | None = None
    judgement: dict[str, Any] | None = None
    judged_on: date | None = None
    note: str = ""
    plan_way: Way | None = None
    deadline: date | None = None
    plan_approval: str | None = None
    progress: Progress | None = None
    closed_on: date | None = None
    findings: tuple[Finding, ...] = ()
    clues: tuple[dict[str, Any], ...] = ()
    evidence: tuple[dict[str, Any], ...] = ()
    children: tuple[str, ...] = ()

    def overdue_days(self, today: date) -> int:
        if self.deadline is None or self.progress is None or self.state is not CaseState.RECTIFYING:
            return 0
        return days_overdue(self.deadline, today, self.progress.complete)

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number, "county": self.county, "region": self.region, "source": str(self.source),
            "source_label": self.source.label, "year": self.year, "state": str(self.state),
            "state_label": self.state.label, "version": self.version,
            "areas": {k: str(v) for k, v in self.areas.items()}, "opened_on": self.opened_on.isoformat(),
            "parent": self.parent, "children": list(self.children), "run_id": self.run_id,
            "patch_ref": self.patch_ref, "change_type": self.change_type, "prejudged": self.prejudged,
            "location": self.location, "judgement": self.judgement,
            "judged_on": self.judged_on.isoformat() if self.judged_on else None, "note": self.note,
            "plan": None if self.plan_way is None else {
                "way": str(self.plan_way), "way_label": self.plan_way.label,
                "deadline": self.deadline.isoformat() if self.deadline else None, "approval_id": self.plan_approval},
            "progress": self.progress.to_dict() if self.progress else None,
            "closed_on": self.closed_on.isoformat() if self.closed_on else None,
            "findings": [f.to_dict() for f in self.findings], "clues": list(self.clues),
            "evidence": list(self.evidence),
        }


@dataclass(frozen=True, slots=True)
class OpenResult:
    opened: tuple[str, ...]
    linked: tuple[tuple[str, str], ...]  # (clue reference, case number)
    skipped: int = 0
    findings: tuple[Finding, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"opened": list(self.opened), "opened_count": len(self.opened),
                "linked": [{"clue": c, "case": n} for c, n in self.linked], "skipped": self.skipped,
                "findings": [f.to_dict() for f in self.findings]}


@dataclass(frozen=True, slots=True)
class ChangeResult:
    """The outcome of one transition (or a batch of them)."""

    action: str
    cases: tuple[CaseView, ...]
    findings: tuple[Finding, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"action": self.action, "cases": [c.to_dict() for c in self.cases],
                "findings": [f.to_dict() for f in self.findings], **self.extra}
