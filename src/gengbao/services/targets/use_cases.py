"""Region targets: import a target table into the workspace, list what is stored, and check it.

``import_targets`` reads every table of a file, resolves every row to a region code inside the
workspace region and only then writes, in one transaction with an import record and an audit
record: a bad file stores nothing. Re-importing updates the stored figures and reports each one as
added, changed, removed (gone from a table it came from) or unchanged.

``check_targets`` runs the pure checks of :mod:`gengbao.domain.targets` on what is stored and, for an
epoch, compares the targets with that epoch's survey statistics per county.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from gengbao.adapters.db import targets_store as store
from gengbao.adapters.db import workspace_store
from gengbao.adapters.file_digest import sha256_of
from gengbao.adapters.target_tables import read_target_tables
from gengbao.domain.errors import GengbaoError, NotFoundError
from gengbao.domain.findings import Severity
from gengbao.domain.regions import RegionLevel
from gengbao.domain.targets import (
    DEFAULT_TASK_PLACES,
    DEFAULT_TASK_RATE,
    UNIT,
    ChangeKind,
    SurveyTotals,
    TargetChange,
    TargetFinding,
    TargetKey,
    TargetTable,
    collect_values,
    compare_with_survey,
    diff_values,
)
from gengbao.domain.targets import (
    check_targets as check_target_values,
)
from gengbao.services.context import Context
from gengbao.services.survey import stats as survey_stats


@dataclass(frozen=True, slots=True)
class TableSummary:
    source: str
    label: str
    title: str | None
    kinds: tuple[str, ...]
    rows: int
    columns: tuple[str, ...]
    unit: str

    @classmethod
    def of(cls, t: TargetTable) -> TableSummary:
        return cls(t.source_key, t.label, t.title, tuple(str(k) for k in t.kinds), len(t.rows),
                   tuple(k.label for k in t.keys), t.unit)

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "label": self.label, "title": self.title, "kinds": list(self.kinds),
                "rows": self.rows, "columns": list(self.columns), "unit": self.unit}


@dataclass(frozen=True, slots=True)
class ImportResult:
    file: str
    sha256: str
    tables: tuple[TableSummary, ...]
    changes: tuple[TargetChange, ...]

    @property
    def counts(self) -> dict[str, int]:
        c = Counter(ch.kind for ch in self.changes)
        return {str(k): c.get(k, 0) for k in ChangeKind}

    @property
    def changed(self) -> tuple[TargetChange, ...]:
        return tuple(ch for ch in self.changes if ch.kind is not ChangeKind.UNCHANGED)

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file, "sha256": self.sha256, "unit": UNIT,
            "tables": [t.to_dict() for t in self.tables], "counts": self.counts,
            "changes": [ch.to_dict() for ch in self.changes],
        }


@dataclass(frozen=True, slots=True)
class StoredTarget:
    region: str
    name: str
    key: TargetKey
    value: Decimal
    source: str
    row: int | None

    def to_dict(self) -> dict[str, Any]:
        return {"region": self.region, "name": self.name, "measure": str(self.key.measure), "year": self.key.year,
                "label": self.key.label, "value": str(self.value), "unit": UNIT, "source": self.source,
                "row": self.row}


@dataclass(frozen=True, slots=True)
class CheckReport:
    region: str
    epoch: int | None
    regions: int
    values: int
    findings: tuple[TargetFinding, ...]

    @property
    def counts(self) -> dict[str, int]:
        c = Counter(f.severity for f in self.findings)
        return {str(s): c.get(s, 0) for s in Severity}

    def to_dict(self) -> dict[str, Any]:
        return {"region": self.region, "epoch": self.epoch, "regions": self.regions, "values": self.values,
                "unit": UNIT, "counts": self.counts, "findings": [f.to_dict() for f in self.findings]}


def _name_of(ws: Context) -> Callable[[str], str]:
    def name(code: str) -> str:
        r = ws.catalog.find(code)
        return r.name if r is not None else code
    return name


def import_targets(ws: Context, path: Path) -> ImportResult:
    """Import every target table in ``path`` (CSV, XLSX or a notice's text); all or nothing."""
    path = Path(path)
    tables = read_target_tables(path)
    values = collect_values(tables, ws.catalog, ws.region)
    sha = sha256_of(path)
    sources = {t.source_key for t in tables}
    now = datetime.now(UTC)
    incoming = {(v.region, v.key): v for v in values}
    with ws.transaction() as s:
        current = {(v.region, v.key): v for v in store.values(s)}
        stored = {cell: v.value for cell, v in current.items()}
        replaceable = [cell for cell, v in current.items() if v.source in sources]
        changes = diff_values(stored, {c: v.value for c, v in incoming.items()}, replaceable, _name_of(ws))
        store.write_changes(s, changes, incoming, sha, now)
        result = ImportResult(path.name, sha, tuple(TableSummary.of(t) for t in tables), tuple(changes))
        summary = {"tables": [t.to_dict() for t in result.tables], "counts": result.counts}
        workspace_store.record_import(s, what="targets", source_file=str(path), source_sha256=sha, ok=True,
                                      imported=len(values), error_count=0, warning_count=0, summary=summary)
        s.flush()
        ws.audit(s, "targets.import", path.name, {
            "sha256": sha, "tables": sorted(sources), "counts": result.counts,
            "changes": [ch.to_dict() for ch in result.changed],
        })
    return result


def list_targets(ws: Context) -> list[StoredTarget]:
    """Every stored figure, by region code then measure."""
    name = _name_of(ws)
    with ws.sessions() as s:
        stored = store.values(s)
    out = [StoredTarget(v.region, name(v.region), v.key, v.value, v.source, v.row) for v in stored]
    out.sort(key=lambda t: (t.region, t.key.sort_key))
    return out


def load_targets(ws: Context) -> dict[str, dict[TargetKey, Decimal]]:
    out: dict[str, dict[TargetKey, Decimal]] = {}
    for t in list_targets(ws):
        out.setdefault(t.region, {})[t.key] = t.value
    return out


def survey_totals(ws: Context, epoch: int) -> list[SurveyTotals]:
    """County farmland and PBF areas of ``epoch`` from the survey statistics service."""
    try:
        rows = survey_stats.region_stats(ws, epoch, by=RegionLevel.COUNTY)
    except NotImplementedError:
        raise GengbaoError(
            "调查统计功能尚未就绪，暂不能按调查年度比对保护目标。", code="targets.survey_stats_unavailable"
        ) from None
    return [SurveyTotals(r.region, r.farmland_m2, r.pbf_m2) for r in rows]


def check_targets(
    ws: Context,
    epoch: int | None = None,
    *,
    rate: Decimal = DEFAULT_TASK_RATE,
    places: int = DEFAULT_TASK_PLACES,
) -> CheckReport:
    """Findings on the stored targets; with ``epoch``, also against that survey's statistics."""
    values = load_targets(ws)
    if not values:
        raise NotFoundError(
            "工作空间中还没有耕地保护目标，请先用 gengbao targets import 导入目标表。", code="targets.none"
        )
    findings = check_target_values(values, ws.catalog, rate=rate, places=places)
    if epoch is not None:
        findings += compare_with_survey(values, survey_totals(ws, epoch), ws.catalog, epoch)
    return CheckReport(ws.region, epoch, len(values), sum(len(v) for v in values.values()), tuple(findings))
