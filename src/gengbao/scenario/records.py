"""Ground-truth records: events, approvals (conversion, facility filing, temporary permit), projects."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import shapely

EVENT_TYPES = (
    "approved_construction", "illegal_construction", "orchard", "pond", "forest", "facility", "temporary_use",
    "temporary_restoration", "temporary_expired", "abandonment", "restoration", "supplementary", "demolition",
    "fake_rectification",
)
TYPE_LABELS = {
    "approved_construction": "批准建设", "illegal_construction": "违法建设", "orchard": "耕地种植园木",
    "pond": "耕地挖塘", "forest": "耕地植树", "facility": "设施农用地", "temporary_use": "临时用地",
    "temporary_restoration": "临时用地期满复垦", "temporary_expired": "临时用地期满未恢复", "abandonment": "撂荒",
    "restoration": "恢复耕地", "supplementary": "补充耕地项目", "demolition": "拆除复耕",
    "fake_rectification": "虚假整改",
}


@dataclass
class Event:
    event_id: str
    county: str
    epoch: int
    type: str
    date: str
    bsm: str  # BSM of the event's parcel at ``epoch``
    parent_bsm: str  # BSM of the parcel it came from at the previous epoch
    zldwdm: str
    from_class: str
    to_class: str
    to_zzsxdm: str | None
    area_m2: float
    farmland_m2: float
    pbf_m2: float
    lawful: bool
    geometry: shapely.Geometry
    approval_id: str | None = None
    related_event: str | None = None
    restored: bool = False
    restored_epoch: int | None = None
    declared_restored: bool = False


@dataclass
class Approval:
    approval_id: str
    county: str
    kind: str  # conversion | facility | temporary
    doc_no: str
    issue_date: str
    valid_until: str | None
    filed_area_m2: float
    geometry: shapely.Geometry
    event_id: str | None = None
    used_area_m2: float | None = None
    understated: bool = False
    will_restore: bool = False
    restored_epoch: int | None = None


@dataclass
class Project:
    project_id: str
    county: str
    kind: str  # restoration | reclamation
    epoch: int
    event_id: str
    new_farmland_m2: float
    paddy_m2: float
    quality_grade: int
    grain_capacity_kg: float
    accepted_date: str
    geometry: shapely.Geometry


@dataclass
class Truth:
    events: list[Event] = field(default_factory=list)
    approvals: list[Approval] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    counters: dict[str, int] = field(default_factory=dict)

    def next_id(self, key: str) -> int:
        self.counters[key] = self.counters.get(key, 0) + 1
        return self.counters[key]


def epoch_date(epoch: int) -> date:
    """The standard date of a survey epoch (年度变更调查: 31 December)."""
    return date(epoch, 12, 31)


# Days of the year: approvals, filings and permits come first, then the change on the ground, then the
# acceptance of a project; everything before the epoch's standard date (31 December).
APPROVAL_DAYS = (1, 140)
EVENT_DAYS = (150, 270)
ACCEPTANCE_DAYS = (280, 360)


def day_in_year(rng: np.random.Generator, year: int, first: int = 1, last: int = 330) -> date:
    return date(year, 1, 1) + timedelta(days=int(rng.integers(first - 1, last)))


def add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)
