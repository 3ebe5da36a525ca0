"""Region targets in the database: the stored figures and the write of an import's changes.
Every ORM query of the targets capability lives here; callers get domain values."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from gengbao.adapters.db.models_targets import NO_YEAR, TargetValueRecord
from gengbao.domain.targets import UNIT, ChangeKind, TargetChange, TargetKey, TargetKind, TargetValue

Cell = tuple[str, TargetKey]


def _key(rec: TargetValueRecord) -> TargetKey:
    measure = TargetKind(rec.measure)
    return TargetKey(measure, rec.year if measure.yearly else None)


def _records(session: Session) -> dict[Cell, TargetValueRecord]:
    return {(r.region, _key(r)): r for r in session.scalars(select(TargetValueRecord))}


def values(session: Session) -> list[TargetValue]:
    """Every stored figure, with the table (``source``) and row it came from."""
    rows = session.scalars(select(TargetValueRecord))
    return [TargetValue(r.region, _key(r), r.value, r.source, r.row) for r in rows]


def write_changes(
    session: Session,
    changes: Sequence[TargetChange],
    incoming: Mapping[Cell, TargetValue],
    sha256: str,
    now: datetime,
) -> None:
    """Apply an import's changes: removed figures are deleted; every other one is stored with its new
    source (its value only when it changed)."""
    records = _records(session)
    for ch in changes:
        cell = (ch.region, ch.key)
        if ch.kind is ChangeKind.REMOVED:
            session.delete(records[cell])
            continue
        v = incoming[cell]
        rec = records.get(cell)
        if rec is None:
            rec = TargetValueRecord(region=v.region, measure=str(v.key.measure),
                                    year=v.key.year if v.key.year is not None else NO_YEAR)
            session.add(rec)
        if ch.kind is not ChangeKind.UNCHANGED:
            rec.value = v.value
        rec.unit = UNIT
        rec.source = v.source
        rec.source_sha256 = sha256
        rec.row = v.row
        rec.updated_at = now
