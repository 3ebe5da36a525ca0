"""Task-list import: all-or-nothing, a re-import updates the stored document and says what changed;
units not in the directory are imported with a warning naming the measure and the unit."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from gengbao.adapters.db import tasks_store as store
from gengbao.adapters.db import workspace_store
from gengbao.adapters.file_digest import sha256_of
from gengbao.adapters.task_documents import read_task_document
from gengbao.domain.errors import GengbaoError
from gengbao.domain.findings import Finding, Severity
from gengbao.domain.tasks.changes import Changes, diff_measures
from gengbao.domain.tasks.measures import ColumnRole, Measure, TaskDocument
from gengbao.domain.tasks.organisations import Resolution
from gengbao.services.context import Context
from gengbao.services.tasks.organisations import document_region, resolve_measure, unit_directory

ROLE_LABELS = {ColumnRole.LEAD: "牵头/责任单位", ColumnRole.COOPERATING: "配合单位", ColumnRole.IMPLEMENTING: "落实单位"}


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
        workspace_store.record_import(s, what="tasks", source_file=str(path), source_sha256=sha, ok=ok,
            imported=imported, error_count=errors, warning_count=warnings, summary=summary)


def _unknown_units(m: Measure, resolutions: dict[str, list[Resolution]]) -> list[Finding]:
    return [
        Finding(
            "tasks.unit_unknown",
            f"第 {m.number} 条举措的{ROLE_LABELS[ColumnRole(role)]}“{r.written}”不在单位名录中（仍按原文导入）",
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
        directory = unit_directory(ws, store.units(s))
        context = document_region(ws, doc.title, region)
        measures = [replace(m, mentioned=directory.mentions(m.text, context)) for m in doc.measures]
        resolutions = {m.number: resolve_measure(directory, m, context) for m in measures}
        warnings = list(doc.findings)
        for m in measures:
            warnings.extend(_unknown_units(m, resolutions[m.number]))
        saved = store.save_document(s, key, doc, context, str(path), sha, now)
        stored = store.stored_measures(s, saved.id)
        changes = diff_measures(
            {n: r.measure.content() for n, r in stored.items()},
            {m.number: m.content() for m in measures},
            {n for n, r in stored.items() if r.withdrawn},
        )
        store.write_measures(s, saved.id, measures, changes.withdrawn)
        result = ImportResult(key, doc.title, doc.layout, context, measures, changes, warnings, resolutions)
        summary = {"document": key, "title": doc.title, "counts": result.counts, "changes": changes.summary()}
        if changes.changed:
            payload = {**summary, "sha256": sha, "warnings": len(warnings)}
            ws.audit(s, "tasks.import", f"task_document:{key}", payload)
        workspace_store.record_import(s, what="tasks", source_file=str(path), source_sha256=sha, ok=True,
            imported=len(measures), error_count=0, warning_count=len(warnings), summary=summary)
    return result
