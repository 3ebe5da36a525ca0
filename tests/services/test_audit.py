"""The audit chain detects edited and deleted records, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import delete, update

from gengbao.adapters.db import audit_store as audit
from gengbao.adapters.db.models import AuditRecord
from gengbao.services.workspace import init_workspace


def _chain(tmp_path: Path, db_url: str | None):  # type: ignore[no-untyped-def]
    ws = init_workspace(tmp_path / "ws", "360200", db_url)
    with ws.transaction() as s:
        for i in range(4):
            audit.append(s, "tester", "case.advance", f"case/{i}", {"step": i})
    return ws


def test_intact_chain_verifies(tmp_path: Path, db_url: str | None) -> None:
    ws = _chain(tmp_path, db_url)
    with ws.sessions() as s:
        assert audit.count(s) == 5 and audit.verify(s) == []


def test_edited_payload_is_detected(tmp_path: Path, db_url: str | None) -> None:
    ws = _chain(tmp_path, db_url)
    with ws.transaction() as s:
        s.execute(update(AuditRecord).where(AuditRecord.seq == 3).values(payload='{"step": 99}'))
    with ws.sessions() as s:
        assert [(f.code, f.feature) for f in audit.verify(s)] == [("audit.tampered", "3")]


def test_deleted_record_is_detected(tmp_path: Path, db_url: str | None) -> None:
    ws = _chain(tmp_path, db_url)
    with ws.transaction() as s:
        s.execute(delete(AuditRecord).where(AuditRecord.seq == 2))
    with ws.sessions() as s:
        assert [(f.code, f.feature) for f in audit.verify(s)] == [("audit.gap", "3"), ("audit.broken_link", "3")]


def test_deleted_tail_is_not_silent_when_rehashed_chain_is_checked(tmp_path: Path) -> None:
    """Re-hashing after an edit (a forger's move) still breaks the next record's link."""
    ws = _chain(tmp_path, None)
    with ws.transaction() as s:
        rec = s.get(AuditRecord, 3)
        assert rec is not None
        rec.payload = '{"step": 7}'
        rec.hash = audit._digest(rec.seq, rec.at.isoformat() if rec.at.tzinfo else rec.at.replace(
            tzinfo=__import__("datetime").UTC).isoformat(), rec.actor, rec.action, rec.subject, rec.payload,
            rec.prev_hash)
    with ws.sessions() as s:
        assert [(f.code, f.feature) for f in audit.verify(s)] == [("audit.broken_link", "4")]
