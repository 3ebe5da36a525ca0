"""Hash-chained audit trail (storage): append on every state change; ``verify`` detects edits and deletions."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from gengbao.adapters.db.models import AuditRecord
from gengbao.domain.findings import Finding

GENESIS = "0" * 64
AUDIT_LOCK_KEY = 0x67656E6762616F  # "gengbao": the PostgreSQL advisory lock that serialises appends


def _digest(seq: int, at: str, actor: str, action: str, subject: str, payload: str, prev: str) -> str:
    h = hashlib.sha256()
    for part in (str(seq), at, actor, action, subject, payload, prev):
        h.update(part.encode("utf-8"))
        h.update(b"\x1f")
    return h.hexdigest()


def append(session: Session, actor: str, action: str, subject: str, payload: dict[str, Any]) -> AuditRecord:
    """Append one record inside ``session``'s transaction. Appends are serialised: on PostgreSQL by a
    transaction-scoped advisory lock taken before the chain's head is read, on SQLite by the write lock
    that write transactions take when they begin (``Context.transaction``)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": AUDIT_LOCK_KEY})
    last = session.scalars(select(AuditRecord).order_by(AuditRecord.seq.desc()).limit(1)).first()
    seq = 1 if last is None else last.seq + 1
    prev = GENESIS if last is None else last.hash
    at = datetime.now(UTC).replace(microsecond=0)
    body = json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str)
    rec = AuditRecord(
        seq=seq, at=at, actor=actor, action=action, subject=subject, payload=body, prev_hash=prev,
        hash=_digest(seq, at.isoformat(), actor, action, subject, body, prev),
    )
    session.add(rec)
    session.flush()
    return rec


def verify(session: Session) -> list[Finding]:
    """Walk the chain; report every record whose hash or link does not hold, and gaps in ``seq``."""
    findings: list[Finding] = []
    prev = GENESIS
    expected_seq = 1
    for rec in session.scalars(select(AuditRecord).order_by(AuditRecord.seq)):
        at = rec.at if rec.at.tzinfo else rec.at.replace(tzinfo=UTC)
        if rec.seq != expected_seq:
            findings.append(Finding("audit.gap", f"审计记录 {expected_seq}–{rec.seq - 1} 缺失（被删除）",
                                    feature=str(rec.seq)))
        if rec.prev_hash != prev:
            findings.append(Finding("audit.broken_link", f"审计记录 {rec.seq} 与前一条记录的链接不符",
                                    feature=str(rec.seq)))
        calc = _digest(rec.seq, at.isoformat(), rec.actor, rec.action, rec.subject, rec.payload, rec.prev_hash)
        if calc != rec.hash:
            findings.append(Finding("audit.tampered", f"审计记录 {rec.seq} 的内容已被修改", feature=str(rec.seq)))
        prev = rec.hash
        expected_seq = rec.seq + 1
    return findings


def count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(AuditRecord)) or 0)


def hash_at(session: Session, seq: int) -> str | None:
    """The stored hash of record ``seq``, or None when there is no such record."""
    return session.scalar(select(AuditRecord.hash).where(AuditRecord.seq == seq))


def for_subject(session: Session, subject: str, limit: int = 500) -> list[AuditRecord]:
    """The records about one subject (e.g. ``case/360281WPZF2023000123``), oldest first."""
    stmt = select(AuditRecord).where(AuditRecord.subject == subject).order_by(AuditRecord.seq).limit(limit)
    return list(session.scalars(stmt))
