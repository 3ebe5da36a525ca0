"""Task lists in the database: documents, measures, the workspace's units, progress reports, settings
and import records. Every ORM query of the tasks capability lives here; callers get domain values."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from gengbao.adapters.db.models import Setting
from gengbao.adapters.db.models_tasks import TaskDocumentRow, TaskMeasureRow, TaskReportRow, TaskUnitRow
from gengbao.domain.errors import NotFoundError, UsageError
from gengbao.domain.tasks.deadlines import Deadline, DeadlineKind
from gengbao.domain.tasks.measures import Column, ColumnRole, Measure, TaskDocument
from gengbao.domain.tasks.organisations import Unit, UnitKind
from gengbao.domain.tasks.periods import Period
from gengbao.domain.tasks.progress import MeasureRef, ProgressReport
from gengbao.domain.tasks.unit_lists import UnitList


@dataclass(frozen=True, slots=True)
class StoredDocument:
    """An imported task list as stored (its measures are read separately)."""

    id: int
    key: str
    title: str
    region: str
    layout: str
    columns: tuple[Column, ...]
    phases: tuple[dict[str, str], ...]


@dataclass(frozen=True, slots=True)
class StoredMeasure:
    id: int
    measure: Measure
    withdrawn: bool


def _measure_values(doc_id: int, m: Measure) -> dict[str, Any]:
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


def _measure(r: TaskMeasureRow) -> Measure:
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


def _document(r: TaskDocumentRow) -> StoredDocument:
    columns = tuple(Column(ColumnRole(role), header) for role, header in r.columns)
    return StoredDocument(r.id, r.key, r.title, r.region, r.layout, columns, tuple(r.phases))


# -- documents and measures ------------------------------------------------------------------------
def documents(session: Session) -> list[StoredDocument]:
    return [_document(r) for r in session.scalars(select(TaskDocumentRow).order_by(TaskDocumentRow.id))]


def find_document(session: Session, document: str | None) -> StoredDocument:
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


def measures_of(session: Session, doc: StoredDocument, include_withdrawn: bool = False) -> list[Measure]:
    q = select(TaskMeasureRow).where(TaskMeasureRow.document_id == doc.id)
    if not include_withdrawn:
        q = q.where(TaskMeasureRow.withdrawn.is_(False))
    return [_measure(r) for r in session.scalars(q.order_by(TaskMeasureRow.number))]


def find_measure(session: Session, doc: StoredDocument, number: int) -> StoredMeasure | None:
    """Measure ``number`` of ``doc`` (withdrawn or not); None when it was never imported."""
    q = select(TaskMeasureRow).where(TaskMeasureRow.document_id == doc.id, TaskMeasureRow.number == number)
    r = session.scalar(q)
    return None if r is None else StoredMeasure(r.id, _measure(r), r.withdrawn)


def save_document(
    session: Session, key: str, doc: TaskDocument, region: str, source_file: str, sha256: str, now: datetime
) -> StoredDocument:
    """Insert the document ``key`` or update the stored one (its measures are written separately)."""
    row = session.scalar(select(TaskDocumentRow).where(TaskDocumentRow.key == key))
    if row is None:
        row = TaskDocumentRow(key=key, imported_at=now)
        session.add(row)
    row.title, row.region, row.layout = doc.title, region, doc.layout
    row.columns = [[c.role.value, c.header] for c in doc.columns]
    row.phases = [p.to_dict() for p in doc.phases]
    row.source_file, row.source_sha256, row.updated_at = source_file, sha256, now
    session.flush()
    return _document(row)


def _measure_rows(session: Session, doc_id: int) -> dict[int, TaskMeasureRow]:
    q = select(TaskMeasureRow).where(TaskMeasureRow.document_id == doc_id)
    return {r.number: r for r in session.scalars(q)}


def stored_measures(session: Session, doc_id: int) -> dict[int, StoredMeasure]:
    """Every stored measure of a document by number, withdrawn ones included."""
    rows = _measure_rows(session, doc_id)
    return {n: StoredMeasure(r.id, _measure(r), r.withdrawn) for n, r in rows.items()}


def write_measures(
    session: Session, doc_id: int, measures: Sequence[Measure], withdrawn: Iterable[int]
) -> None:
    """Store ``measures`` (new ones added, stored ones overwritten and no longer withdrawn) and mark the
    numbers in ``withdrawn`` as withdrawn."""
    stored = _measure_rows(session, doc_id)
    for m in measures:
        values = _measure_values(doc_id, m)
        target = stored.get(m.number)
        if target is None:
            session.add(TaskMeasureRow(**values))
        else:
            for k, v in values.items():
                setattr(target, k, v)
    for n in withdrawn:
        stored[n].withdrawn = True


# -- the workspace's units -------------------------------------------------------------------------
def units(session: Session) -> list[Unit]:
    """Units added to the workspace's directory (the packaged directory is not stored)."""
    rows = session.scalars(select(TaskUnitRow))
    return [Unit(r.name, r.region, UnitKind(r.kind), tuple(r.aliases or ())) for r in rows]


def save_unit(session: Session, region: str, name: str, kind: UnitKind, aliases: Sequence[str]) -> Unit:
    """Add the unit or update its kind; ``aliases`` are added to those stored."""
    row = session.scalar(select(TaskUnitRow).where(TaskUnitRow.region == region, TaskUnitRow.name == name))
    if row is None:
        row = TaskUnitRow(region=region, name=name, kind=kind.value, aliases=[])
        session.add(row)
    row.kind = kind.value
    row.aliases = list(dict.fromkeys([*(row.aliases or []), *aliases]))
    return Unit(name, region, kind, tuple(row.aliases))


# -- progress reports ------------------------------------------------------------------------------
def add_report(
    session: Session,
    measure_id: int,
    report: ProgressReport,
    unit_region: str,
    attachments: list[dict[str, object]],
    actor: str,
    created_at: datetime,
) -> int:
    """Store one progress report on the stored measure ``measure_id``; returns its id."""
    r, period = report, report.period
    rep = TaskReportRow(
        measure_id=measure_id, unit=r.unit, unit_region=unit_region, period=period.label,
        period_start=period.start, period_end=period.end, reported_on=r.reported_on, percent=r.percent,
        milestone=r.milestone, done=r.done, text=r.text, attachments=attachments, actor=actor,
        created_at=created_at,
    )
    session.add(rep)
    session.flush()
    return rep.id


def _report(r: TaskReportRow, ref: MeasureRef) -> ProgressReport:
    period = Period(r.period_start, r.period_end, r.period)
    return ProgressReport(ref, r.unit, period, r.reported_on, r.percent, r.milestone, r.done, r.text)


def reports(session: Session, document: str | None = None) -> list[ProgressReport]:
    """Every progress report (of the document with key ``document``), in the order recorded."""
    q = (
        select(TaskReportRow, TaskMeasureRow.number, TaskDocumentRow.key)
        .join(TaskMeasureRow, TaskReportRow.measure_id == TaskMeasureRow.id)
        .join(TaskDocumentRow, TaskMeasureRow.document_id == TaskDocumentRow.id)
    )
    if document:
        q = q.where(TaskDocumentRow.key == document)
    return [_report(r, MeasureRef(key, n)) for r, n, key in session.execute(q.order_by(TaskReportRow.id))]


# -- settings and import records -------------------------------------------------------------------
def setting(session: Session, key: str) -> str | None:
    return session.scalar(select(Setting.value).where(Setting.key == key))


def save_setting(session: Session, key: str, value: str) -> None:
    session.merge(Setting(key=key, value=value))
