"""Task-list import: all-or-nothing, a re-import updates the stored document and says what changed;
units not in the directory are imported with a warning naming the measure and the unit."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from gengbao.adapters.db.models import ImportRecord
from gengbao.adapters.db.models_tasks import TaskDocumentRow, TaskMeasureRow
from gengbao.adapters.file_digest import sha256_of
from gengbao.adapters.task_documents import read_task_document
from gengbao.domain.errors import GengbaoError
from gengbao.domain.findings import Finding, Severity
from gengbao.domain.tasks.changes import Changes, diff_measures
from gengbao.domain.tasks.measures import Measure, Role, TaskDocument
from gengbao.domain.tasks.units import Resolution
from gengbao.services.context import Context
from gengbao.services.tasks.organisations import document_region, load_directory, resolve_measure
from gengbao.services.tasks.store import measure_row, row_to_measure

ROLE_LABELS = {Role.LEAD: "牵头/责任单位", Role.COOPERATING: "配合单位", Role.IMPLEMENTING: "落实单位"}


@dataclass(frozen=True)
class ImportResult:
    key: str
    title: str
    layout: str
    region: str
    measures: list[Measure]
    changes: Changes
    warnings: list[Finding]
    resolutions: dict[int, dict[str, list[Resolution]]] = field(default_factory=dict)

    @property
    def counts(self) -> dict[str, int]:
        return {
            "measures": len(self.measures),
            "key_tasks": len(dict.fromkeys(m.key_task for m in self.measures if m.key_task)),
            "groups": len(dict.fromkeys((m.key_task, m.group_no, m.group) for m in self.measures if m.group)),
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": True,
            "document": self.key,
            "title": self.title,
            "layout": self.layout,
            "region": self.region,
            "counts": self.counts,
            "changes": self.changes.to_dict(),
            "warnings": [w.to_dict() for w in self.warnings],
            "measures": [measure_json(m, self.resolutions.get(m.number, {})) for m in self.measures],
        }


def measure_json(m: Measure, resolutions: dict[str, list[Resolution]] | None = None) -> dict[str, Any]:
    d = m.to_dict()
    if resolutions:
        d["units"] = {
            role: [
                {
                    "written": r.written,
                    "unit": r.unit.name if r.unit else None,
                    "kind": r.unit.kind.value if r.unit else "unknown",
                    "how": r.how,
                    "members": len(r.members),
                }
                for r in rs
            ]
            for role, rs in resolutions.items()
        }
    return d


def _record(
    ws: Context,
    path: Path,
    sha: str,
    ok: bool,
    imported: int,
    summary: dict[str, Any],
    errors: int,
    warnings: int,
) -> None:
    with ws.transaction() as s:
        s.add(
            ImportRecord(
                what="tasks",
                source_file=str(path),
                source_sha256=sha,
                ok=ok,
                imported=imported,
                error_count=errors,
                warning_count=warnings,
                summary=summary,
                at=datetime.now(UTC),
            )
        )


def _unknown_units(m: Measure, resolutions: dict[str, list[Resolution]]) -> list[Finding]:
    return [
        Finding(
            "tasks.unit_unknown",
            f"第 {m.number} 条举措的{ROLE_LABELS[Role(role)]}“{r.written}”不在单位名录中（仍按原文导入）",
            Severity.WARNING,
            f"第{m.number}条",
            role,
            r.written,
        )
        for role, rs in resolutions.items()
        for r in rs
        if not r.found
    ]


def import_tasks(
    ws: Context, path: Path, *, key: str | None = None, region: str | None = None
) -> ImportResult:
    """Read a task list and store it; a document with the same key is updated, never duplicated.
    Nothing is stored when anything fails; every attempt is recorded in ``import_record``."""
    path = Path(path)
    sha = sha256_of(path)
    try:
        doc = read_task_document(path)
        return _store(ws, doc, path, sha, key or path.stem, region)
    except GengbaoError as exc:
        _record(ws, path, sha, False, 0, {"error": exc.to_dict()}, 1, 0)
        raise


def _store(
    ws: Context, doc: TaskDocument, path: Path, sha: str, key: str, region: str | None
) -> ImportResult:
    now = datetime.now(UTC)
    with ws.transaction() as s:
        directory = load_directory(ws, s)
        context = document_region(ws, doc.title, region)
        measures = [replace(m, mentioned=directory.mentions(m.text, context)) for m in doc.measures]
        resolutions = {m.number: resolve_measure(directory, m, context) for m in measures}
        warnings = list(doc.findings)
        for m in measures:
            warnings.extend(_unknown_units(m, resolutions[m.number]))
        row = s.scalar(select(TaskDocumentRow).where(TaskDocumentRow.key == key))
        if row is None:
            row = TaskDocumentRow(key=key, imported_at=now)
            s.add(row)
        row.title, row.region, row.layout = doc.title, context, doc.layout
        row.columns = [[c.role.value, c.header] for c in doc.columns]
        row.phases = [p.to_dict() for p in doc.phases]
        row.source_file, row.source_sha256, row.updated_at = str(path), sha, now
        s.flush()
        q = select(TaskMeasureRow).where(TaskMeasureRow.document_id == row.id)
        stored = {r.number: r for r in s.scalars(q)}
        changes = diff_measures(
            {n: row_to_measure(r).content() for n, r in stored.items()},
            {m.number: m.content() for m in measures},
            {n for n, r in stored.items() if r.withdrawn},
        )
        for m in measures:
            values = measure_row(row.id, m)
            target = stored.get(m.number)
            if target is None:
                s.add(TaskMeasureRow(**values))
            else:
                for k, v in values.items():
                    setattr(target, k, v)
        for n in changes.withdrawn:
            stored[n].withdrawn = True
        result = ImportResult(key, doc.title, doc.layout, context, measures, changes, warnings, resolutions)
        summary = {"document": key, "title": doc.title, "counts": result.counts, "changes": changes.summary()}
        if changes.changed:
            payload = {**summary, "sha256": sha, "warnings": len(warnings)}
            ws.audit(s, "tasks.import", f"task_document:{key}", payload)
        s.add(
            ImportRecord(
                what="tasks",
                source_file=str(path),
                source_sha256=sha,
                ok=True,
                imported=len(measures),
                error_count=0,
                warning_count=len(warnings),
                summary=summary,
                at=now,
            )
        )
    return result
