"""Every ORM query of the cases capability (sessions come from the service's context).

Updates of a case go through :func:`update_case`: ``UPDATE … WHERE id = ? AND version = ?`` with the
version the caller read; no row updated means someone else changed the case in between, and the
caller gets ``ConflictError(code="cases.conflict")``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import Table, bindparam, func, insert, select, text, update
from sqlalchemy.orm import Session

from gengbao.adapters.db.models_cases import CaseClue, CaseRecord, EvidenceRecord
from gengbao.adapters.db.models_monitoring import ApprovalRecord, MonitorRun
from gengbao.domain.errors import ConflictError

__all__ = ["CaseClue", "CaseRecord", "EvidenceRecord"]


def now() -> datetime:
    return datetime.now(UTC)


def next_serial(s: Session, prefix: str) -> int:
    """The next serial after the highest case number starting with ``prefix`` (county+letters+year)."""
    last = s.scalar(select(func.max(CaseRecord.number)).where(CaseRecord.number.like(f"{prefix}%")))
    return 1 if last is None else int(last[len(prefix):]) + 1


def add_case(s: Session, **fields: Any) -> CaseRecord:
    rec = CaseRecord(version=1, updated_at=now(), findings=[], note="", **fields)
    s.add(rec)
    s.flush()
    return rec


def add_cases(s: Session, rows: Sequence[dict[str, Any]]) -> dict[str, int]:
    """Insert many cases at once (one executemany; psycopg pipelines it); returns number → id."""
    if not rows:
        return {}
    at = now()
    full = [{"version": 1, "updated_at": at, "note": "", "findings": [], **r} for r in rows]
    s.execute(insert(CaseRecord), full)
    numbers = [r["number"] for r in rows]
    q = select(CaseRecord.number, CaseRecord.id).where(CaseRecord.number >= min(numbers),
                                                       CaseRecord.number <= max(numbers))
    wanted = set(numbers)
    return {n: i for n, i in s.execute(q) if n in wanted}


def add_clue(s: Session, **fields: Any) -> CaseClue:
    clue = CaseClue(**fields)
    s.add(clue)
    return clue


def add_clues(s: Session, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        s.execute(insert(CaseClue), list(rows))


def get_case(s: Session, number: str) -> CaseRecord | None:
    return s.scalars(select(CaseRecord).where(CaseRecord.number == number)).first()


def get_case_by_id(s: Session, case_id: int) -> CaseRecord | None:
    return s.get(CaseRecord, case_id)


def update_case(s: Session, rec: CaseRecord, read_version: int, values: dict[str, Any]) -> int:
    """Write ``values`` to the case if it still has ``read_version``; returns the new version."""
    res = s.execute(update(CaseRecord).where(CaseRecord.id == rec.id, CaseRecord.version == read_version)
                    .values(version=read_version + 1, updated_at=now(), **values)
                    .execution_options(synchronize_session=False))
    if res.rowcount != 1:  # type: ignore[attr-defined]
        raise ConflictError(f"案件 {rec.number} 已被他人修改（读取时为第 {read_version} 版）。请重新查看案件后再操作。",
                            code="cases.conflict", number=rec.number, version=read_version)
    s.expire(rec)
    return read_version + 1


def overlapping(s: Session, county: str, bbox: tuple[float, float, float, float],
                states: Iterable[str]) -> list[CaseRecord]:
    """Cases of ``county`` in ``states`` whose bbox meets ``bbox`` (candidates; test exactly after)."""
    minx, miny, maxx, maxy = bbox
    q = select(CaseRecord).where(CaseRecord.county == county, CaseRecord.state.in_(list(states)),
                                 CaseRecord.geometry.is_not(None), CaseRecord.minx <= maxx, CaseRecord.maxx >= minx,
                                 CaseRecord.miny <= maxy, CaseRecord.maxy >= miny)
    return list(s.scalars(q))


def open_cases_in(s: Session, county: str, states: Iterable[str]) -> list[tuple[int, str, bytes]]:
    q = select(CaseRecord.id, CaseRecord.number, CaseRecord.geometry).where(
        CaseRecord.county == county, CaseRecord.state.in_(list(states)), CaseRecord.geometry.is_not(None))
    return [(i, n, bytes(g or b"")) for i, n, g in s.execute(q)]


def list_cases(s: Session, prefix: str = "", state: str | None = None, number_like: str | None = None,
               states: Iterable[str] | None = None) -> list[CaseRecord]:
    q = select(CaseRecord).where(CaseRecord.region.like(f"{prefix}%")).order_by(CaseRecord.number)
    if state is not None:
        q = q.where(CaseRecord.state == state)
    if states is not None:
        q = q.where(CaseRecord.state.in_(list(states)))
    if number_like is not None:
        q = q.where(CaseRecord.number.like(number_like))
    return list(s.scalars(q))


def children(s: Session, case_id: int) -> list[CaseRecord]:
    return list(s.scalars(select(CaseRecord).where(CaseRecord.parent_id == case_id).order_by(CaseRecord.number)))


def clues_of(s: Session, case_id: int) -> list[CaseClue]:
    return list(s.scalars(select(CaseClue).where(CaseClue.case_id == case_id).order_by(CaseClue.id)))


def clued_patches(s: Session, run_id: int) -> set[str]:
    q = select(CaseClue.patch_ref).where(CaseClue.run_id == run_id, CaseClue.patch_ref.is_not(None))
    return {p for p in s.scalars(q) if p is not None}


def run(s: Session, run_id: int) -> MonitorRun | None:
    return s.get(MonitorRun, run_id)


def approval(s: Session, approval_id: str) -> ApprovalRecord | None:
    return s.scalars(select(ApprovalRecord).where(ApprovalRecord.approval_id == approval_id)).first()


def add_evidence(s: Session, **fields: Any) -> EvidenceRecord:
    rec = EvidenceRecord(**fields)
    s.add(rec)
    s.flush()
    return rec


def evidence_of(s: Session, case_id: int) -> list[EvidenceRecord]:
    return list(s.scalars(select(EvidenceRecord).where(EvidenceRecord.case_id == case_id).order_by(EvidenceRecord.id)))


def evidence_elsewhere(s: Session, case_id: int) -> list[tuple[int, str, str, str]]:
    """(evidence id, case number, sha256, phash) of photos attached to other cases."""
    q = (select(EvidenceRecord.id, CaseRecord.number, EvidenceRecord.sha256, EvidenceRecord.phash)
         .join(CaseRecord, CaseRecord.id == EvidenceRecord.case_id).where(EvidenceRecord.case_id != case_id))
    return [(i, n, h, p) for i, n, h, p in s.execute(q)]


def all_evidence(s: Session, prefix: str = "") -> list[tuple[EvidenceRecord, str]]:
    q = (select(EvidenceRecord, CaseRecord.number).join(CaseRecord, CaseRecord.id == EvidenceRecord.case_id)
         .where(CaseRecord.region.like(f"{prefix}%")).order_by(EvidenceRecord.id))
    return [(e, n) for e, n in s.execute(q)]


def closed_cases(s: Session, prefix: str = "") -> list[tuple[int, str, str, bytes, Decimal, Decimal, int, Any]]:
    """(id, number, county, geometry, area, legalised, version, closed_on) of closed cases with a geometry."""
    q = select(CaseRecord.id, CaseRecord.number, CaseRecord.county, CaseRecord.geometry, CaseRecord.area_m2,
               CaseRecord.legalised_m2, CaseRecord.version, CaseRecord.closed_on).where(
        CaseRecord.state == "closed", CaseRecord.geometry.is_not(None), CaseRecord.region.like(f"{prefix}%"))
    return [(a, b, c, bytes(d or b""), e, f, g, h) for a, b, c, d, e, f, g, h in s.execute(q)]


def bulk_update(s: Session, rows: Sequence[tuple[int, int, dict[str, Any]]]) -> None:
    """(id, read version, values) for many cases; any stale version raises ``cases.conflict``."""
    for case_id, version, values in rows:
        res = s.execute(update(CaseRecord).where(CaseRecord.id == case_id, CaseRecord.version == version)
                        .values(version=version + 1, updated_at=now(), **values)
                        .execution_options(synchronize_session=False))
        if res.rowcount != 1:  # type: ignore[attr-defined]
            raise ConflictError(f"案件（内部编号 {case_id}）已被他人修改，请重试。", code="cases.conflict")


def get_cases(s: Session, numbers: Sequence[str]) -> dict[str, CaseRecord]:
    out: dict[str, CaseRecord] = {}
    for i in range(0, len(numbers), 1000):
        chunk = list(numbers[i:i + 1000])
        out.update((r.number, r) for r in s.scalars(select(CaseRecord).where(CaseRecord.number.in_(chunk))))
    return out


def evidence_kinds(s: Session, case_ids: Sequence[int]) -> dict[int, set[str]]:
    """Kinds of accepted photos per case."""
    out: dict[int, set[str]] = {}
    for i in range(0, len(case_ids), 1000):
        q = select(EvidenceRecord.case_id, EvidenceRecord.kind).where(
            EvidenceRecord.case_id.in_(list(case_ids[i:i + 1000])), EvidenceRecord.accepted.is_(True)).distinct()
        for cid, kind in s.execute(q):
            out.setdefault(cid, set()).add(kind)
    return out


def update_many(s: Session, rows: Sequence[tuple[CaseRecord, int, dict[str, Any]]]) -> None:
    """(case, read version, values) for many cases with the same value keys, one statement executed
    for all; any case changed since it was read raises ``cases.conflict`` (and the transaction rolls
    back)."""
    if not rows:
        return
    keys = sorted(rows[0][2])
    t = cast(Table, CaseRecord.__table__)
    stmt = (update(t).where(t.c.id == bindparam("_id"), t.c.version == bindparam("_v"))
            .values(version=bindparam("_v") + 1, updated_at=bindparam("_at"), **{k: bindparam(k) for k in keys}))
    conn = s.connection()
    at = now()
    params = [{"_id": r.id, "_v": v, "_at": at, **vals} for r, v, vals in rows]
    for r, _v, _vals in rows:
        s.expire(r)
    if conn.dialect.supports_sane_multi_rowcount:
        res = conn.execute(stmt, params)
        if res.rowcount == len(rows):
            return
        raise ConflictError("有案件在读取后已被他人修改，本批操作未执行。请重新查看后再操作。", code="cases.conflict")
    for p, (r, _v, _vals) in zip(params, rows, strict=True):
        if conn.execute(stmt, p).rowcount != 1:
            raise ConflictError(f"案件 {r.number} 已被他人修改，本批操作未执行。", code="cases.conflict", number=r.number)


def has_postgis(s: Session) -> bool:
    """True on PostgreSQL when ``case_record.geom`` (PostGIS, GiST-indexed) exists."""
    if s.get_bind().dialect.name != "postgresql":
        return False
    q = text("SELECT 1 FROM information_schema.columns WHERE table_name = 'case_record' AND column_name = 'geom'")
    return s.execute(q).scalar() is not None


def open_cases_near(s: Session, county: str, states: Iterable[str],
                    bbox: tuple[float, float, float, float]) -> list[tuple[int, str, bytes]]:
    """Open cases of ``county`` whose extent meets ``bbox``: through the PostGIS GiST index where there
    is one, else through the bbox columns."""
    minx, miny, maxx, maxy = bbox
    if has_postgis(s):
        q = text("SELECT id, number, geometry FROM case_record WHERE county = :c AND state = ANY(:st) "
                 "AND geom && ST_MakeEnvelope(:x0, :y0, :x1, :y1, 4490)")
        rows = s.execute(q, {"c": county, "st": list(states), "x0": minx, "y0": miny, "x1": maxx, "y1": maxy})
    else:
        rows = s.execute(select(CaseRecord.id, CaseRecord.number, CaseRecord.geometry).where(
            CaseRecord.county == county, CaseRecord.state.in_(list(states)), CaseRecord.geometry.is_not(None),
            CaseRecord.minx <= maxx, CaseRecord.maxx >= minx, CaseRecord.miny <= maxy, CaseRecord.maxy >= miny))
    return [(i, n, bytes(g)) for i, n, g in rows]
