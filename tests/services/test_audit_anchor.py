"""The audit chain is anchored outside its table: cutting records from the end, deleting them all,
recomputing the chain after an edit, or changing the anchor itself are all detected; a vanished database
is said to be missing, not silently replaced (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import delete, select

from gengbao.adapters.db import audit_store
from gengbao.adapters.db.models import AuditRecord
from gengbao.domain.errors import WorkspaceError
from gengbao.services.audit import verify_audit
from gengbao.services.workspace import init_workspace, open_workspace


def _workspace(tmp_path: Path, db_url: str | None):  # type: ignore[no-untyped-def]
    ctx = init_workspace(tmp_path / "ws", "360200", db_url)
    for i in range(4):
        with ctx.transaction() as s:
            ctx.audit(s, "case.advance", f"case/{i}", {"step": i})
    return ctx


def _codes(ctx) -> list[str]:  # type: ignore[no-untyped-def]
    return [f.code for f in verify_audit(ctx).findings]


def test_intact_chain_and_head_agree(tmp_path: Path, db_url: str | None) -> None:
    ctx = _workspace(tmp_path, db_url)
    check = verify_audit(ctx)
    assert (check.ok, check.records) == (True, 5)
    assert json.loads(ctx.layout.audit_head.read_text())["seq"] == 5


def test_records_cut_from_the_end_are_detected(tmp_path: Path, db_url: str | None) -> None:
    ctx = _workspace(tmp_path, db_url)
    with ctx.transaction() as s:
        s.execute(delete(AuditRecord).where(AuditRecord.seq >= 4))
    with ctx.sessions() as s:
        assert audit_store.verify(s) == []  # the chain alone still looks whole
    assert _codes(ctx) == ["audit.truncated"]


def test_deleting_every_record_is_detected(tmp_path: Path, db_url: str | None) -> None:
    ctx = _workspace(tmp_path, db_url)
    with ctx.transaction() as s:
        s.execute(delete(AuditRecord))
    check = verify_audit(ctx)
    assert check.records == 0 and [(f.code, f.message) for f in check.findings] == [
        ("audit.truncated", "全部审计记录已被删除")]


def test_a_chain_recomputed_after_an_edit_is_detected(tmp_path: Path, db_url: str | None) -> None:
    ctx = _workspace(tmp_path, db_url)
    with ctx.transaction() as s:  # edit record 3 and recompute every hash after it, as a forger would
        records = list(s.scalars(select(AuditRecord).order_by(AuditRecord.seq)))
        prev = records[1].hash
        for r in records[2:]:
            if r.seq == 3:
                r.payload = '{"step": 99}'
            at = r.at if r.at.tzinfo else r.at.replace(tzinfo=__import__("datetime").UTC)
            r.prev_hash = prev
            r.hash = audit_store._digest(r.seq, at.isoformat(), r.actor, r.action, r.subject, r.payload, prev)
            prev = r.hash
    with ctx.sessions() as s:
        assert audit_store.verify(s) == []
    assert _codes(ctx) == ["audit.rewritten"]


def test_an_edited_anchor_is_detected(tmp_path: Path) -> None:
    ctx = _workspace(tmp_path, None)
    head = json.loads(ctx.layout.audit_head.read_text())
    ctx.layout.audit_head.write_text(json.dumps({**head, "seq": 2}))
    assert "audit.head_tampered" in _codes(ctx)


def test_a_deleted_database_is_missing_not_replaced(tmp_path: Path) -> None:
    ctx = _workspace(tmp_path, None)
    ctx.engine.dispose()
    for suffix in ("", "-wal", "-shm"):
        Path(str(ctx.layout.sqlite) + suffix).unlink(missing_ok=True)
    with pytest.raises(WorkspaceError) as err:
        open_workspace(tmp_path / "ws")
    assert err.value.code == "workspace.database_missing"
    assert not ctx.layout.sqlite.exists()
