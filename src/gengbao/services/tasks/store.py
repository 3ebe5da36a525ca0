"""Stored task lists: documents and measures, read back as domain values."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from gengbao.adapters.db.models_tasks import TaskDocumentRow, TaskMeasureRow
from gengbao.domain.errors import NotFoundError, UsageError
from gengbao.domain.tasks.deadlines import Deadline, DeadlineKind
from gengbao.domain.tasks.measures import Column, Measure, Role
from gengbao.domain.tasks.unit_lists import UnitList


def measure_row(doc_id: int, m: Measure) -> dict[str, Any]:
    return {
        "document_id": doc_id,
        "number": m.number,
        "label": m.label,
        "key_task": m.key_task,
        "group_no": m.group_no,
        "measure_group": m.group,
        "text": m.text,
        "lead": m.lead.to_dict(),
        "cooperating": m.cooperating.to_dict(),
        "implementing": m.implementing.to_dict(),
        "mentioned": list(m.mentioned),
        "deadline": m.deadline.due,
        "deadline_start": m.deadline.start,
        "deadline_kind": m.deadline.kind.value,
        "deadline_text": m.deadline.text,
        "line": m.line,
        "withdrawn": False,
    }


def row_to_measure(r: TaskMeasureRow) -> Measure:
    return Measure(
        number=r.number,
        text=r.text,
        label=r.label,
        key_task=r.key_task,
        group_no=r.group_no,
        group=r.measure_group,
        lead=UnitList.from_dict(r.lead),
        cooperating=UnitList.from_dict(r.cooperating),
        implementing=UnitList.from_dict(r.implementing),
        deadline=Deadline(DeadlineKind(r.deadline_kind), r.deadline_text, r.deadline, r.deadline_start),
        mentioned=tuple(r.mentioned or ()),
        line=r.line,
    )


def documents(session: Session) -> list[TaskDocumentRow]:
    return list(session.scalars(select(TaskDocumentRow).order_by(TaskDocumentRow.id)))


def find_document(session: Session, document: str | None) -> TaskDocumentRow:
    """The document named by key (or id); the only document when none is named."""
    docs = documents(session)
    if document is None:
        if len(docs) == 1:
            return docs[0]
        if not docs:
            raise NotFoundError("工作空间中还没有导入任何任务清单", code="tasks.no_documents")
        raise UsageError(
            f"工作空间中有 {len(docs)} 份任务清单，请用 --document 指定：{'、'.join(d.key for d in docs)}",
            code="tasks.document_ambiguous",
        )
    for d in docs:
        if document in (d.key, str(d.id)):
            return d
    raise NotFoundError(
        f"没有名为“{document}”的任务清单（已有：{'、'.join(d.key for d in docs) or '无'}）",
        code="tasks.document_not_found",
    )


def measures_of(
    session: Session, doc: TaskDocumentRow, include_withdrawn: bool = False
) -> list[TaskMeasureRow]:
    q = select(TaskMeasureRow).where(TaskMeasureRow.document_id == doc.id)
    if not include_withdrawn:
        q = q.where(TaskMeasureRow.withdrawn.is_(False))
    return list(session.scalars(q.order_by(TaskMeasureRow.number)))


def doc_columns(doc: TaskDocumentRow) -> list[Column]:
    return [Column(Role(role), header) for role, header in doc.columns]
