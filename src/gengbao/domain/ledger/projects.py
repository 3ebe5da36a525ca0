"""Supplementary farmland projects (补充耕地项目): a declared transition table with guards.

立项 → 施工 → 新增耕地核定 (area, paddy area, quality grade, grain capacity) → 验收 → 报备入库.
Only 报备入库 credits the county bank (the ledger posts it); a project may be cancelled before
acceptance. :func:`advance` is pure: it returns the next project value or raises a stable error.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from gengbao.domain.errors import ConflictError, InputError
from gengbao.domain.ledger.model import Amounts

GRADE_RANGE = (1, 15)  # 质量等别: 1 best; 1–10 (GB/T 33469) or 1–15 (利用等别)


class ProjectState(StrEnum):
    APPROVED = "approved"  # 立项
    UNDER_WORKS = "under_works"  # 施工
    CERTIFIED = "certified"  # 新增耕地核定
    ACCEPTED = "accepted"  # 验收
    FILED = "filed"  # 报备入库
    CANCELLED = "cancelled"  # 撤销

    @property
    def label(self) -> str:
        return {
            "approved": "立项", "under_works": "施工", "certified": "新增耕地核定", "accepted": "验收",
            "filed": "报备入库", "cancelled": "撤销",
        }[self]


class ProjectAction(StrEnum):
    START_WORKS = "start_works"
    CERTIFY = "certify"
    ACCEPT = "accept"
    FILE = "file"
    CANCEL = "cancel"


TRANSITIONS: dict[tuple[ProjectState, ProjectAction], ProjectState] = {
    (ProjectState.APPROVED, ProjectAction.START_WORKS): ProjectState.UNDER_WORKS,
    (ProjectState.UNDER_WORKS, ProjectAction.CERTIFY): ProjectState.CERTIFIED,
    (ProjectState.CERTIFIED, ProjectAction.ACCEPT): ProjectState.ACCEPTED,
    (ProjectState.ACCEPTED, ProjectAction.FILE): ProjectState.FILED,
    (ProjectState.APPROVED, ProjectAction.CANCEL): ProjectState.CANCELLED,
    (ProjectState.UNDER_WORKS, ProjectAction.CANCEL): ProjectState.CANCELLED,
    (ProjectState.CERTIFIED, ProjectAction.CANCEL): ProjectState.CANCELLED,
}
TERMINAL = frozenset({ProjectState.FILED, ProjectState.CANCELLED})


@dataclass(frozen=True, slots=True)
class Certification:
    """新增耕地核定: what the finished project added."""

    amounts: Amounts  # quantity m², paddy m², grain capacity kg
    quality_grade: int

    def check(self, project_id: str) -> None:
        self.amounts.check_non_negative(f"项目 {project_id} 的核定结果")
        if self.amounts.quantity_m2 <= 0:
            raise InputError(f"项目 {project_id} 核定的新增耕地面积应大于 0", code="ledger.project.no_area")
        if self.amounts.paddy_m2 > self.amounts.quantity_m2:
            raise InputError(
                f"项目 {project_id} 核定的水田面积 {self.amounts.paddy_m2} m² 大于新增耕地面积 "
                f"{self.amounts.quantity_m2} m²", code="ledger.project.paddy_exceeds_area",
            )
        lo, hi = GRADE_RANGE
        if isinstance(self.quality_grade, bool) or not isinstance(self.quality_grade, int) or not (
            lo <= self.quality_grade <= hi
        ):
            raise InputError(
                f"项目 {project_id} 的质量等别应为 {lo}–{hi} 的整数，实际为 {self.quality_grade!r}",
                code="ledger.project.bad_grade",
            )


@dataclass(frozen=True, slots=True)
class Project:
    id: str
    county: str
    name: str
    state: ProjectState
    history: tuple[tuple[ProjectState, dt.date], ...]
    certification: Certification | None = None

    @property
    def last_date(self) -> dt.date:
        return self.history[-1][1]

    def to_dict(self) -> dict[str, Any]:
        c = self.certification
        return {
            "id": self.id, "county": self.county, "name": self.name, "state": str(self.state),
            "state_label": self.state.label,
            "history": [{"state": str(s), "date": d.isoformat()} for s, d in self.history],
            "certification": None if c is None else {**c.amounts.to_dict(), "quality_grade": c.quality_grade},
        }


def new_project(project_id: str, county: str, name: str, date: dt.date) -> Project:
    if not project_id.strip():
        raise InputError("补充耕地项目编号不能为空", code="ledger.project.no_id")
    if not (county.isdigit() and len(county) == 6):
        raise InputError(f"项目 {project_id} 的县级行政区划代码应为 6 位数字：{county!r}", code="ledger.bad_county")
    return Project(project_id, county, name, ProjectState.APPROVED, ((ProjectState.APPROVED, date),))


def advance(
    project: Project, action: ProjectAction, date: dt.date, certification: Certification | None = None
) -> Project:
    """The project after ``action`` on ``date``; a bad transition, date or certification raises."""
    nxt = TRANSITIONS.get((project.state, action))
    if nxt is None:
        allowed = [str(a) for (s, a) in TRANSITIONS if s is project.state]
        raise ConflictError(
            f"项目 {project.id} 处于“{project.state.label}”，不能执行 {action}"
            f"（可执行：{'、'.join(allowed) or '无，已办结'}）",
            code="ledger.project.bad_transition", project=project.id,
        )
    if date < project.last_date:
        raise InputError(
            f"项目 {project.id} 的 {action} 日期 {date} 早于上一环节日期 {project.last_date}",
            code="ledger.project.date_order", project=project.id,
        )
    if action is ProjectAction.CERTIFY:
        if certification is None:
            raise InputError(f"项目 {project.id} 核定需要面积、水田面积、质量等别和粮食产能",
                             code="ledger.project.no_certification")
        certification.check(project.id)
    elif certification is not None:
        raise InputError(f"只有核定环节可以提交核定结果（项目 {project.id}）", code="ledger.project.no_certification")
    return replace(
        project, state=nxt, history=(*project.history, (nxt, date)),
        certification=certification if certification is not None else project.certification,
    )
