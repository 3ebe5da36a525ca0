"""A monitoring run whose process died is marked failed on the next open (and said so); one whose process
still runs is left alone; a run that fails while writing is marked failed at once."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from gengbao.adapters import layer_store, locks
from gengbao.adapters.db import monitoring_store
from gengbao.adapters.db.models import AuditRecord
from gengbao.adapters.db.models_monitoring import MonitorRun
from gengbao.domain.errors import ConflictError
from gengbao.services.monitoring import run as run_module
from gengbao.services.workspace import init_workspace, open_workspace
from tests.monitoring import builder as b
from tests.monitoring.conftest import build_workspace


def _running(ctx, token: str) -> int:  # type: ignore[no-untyped-def]
    with ctx.transaction() as s:
        return monitoring_store.start_run(s, mode="diff", from_epoch=2021, to_epoch=2022, source="", params={"lock": token},
                                          patches=0, slivers=0, sliver_area_m2=Decimal("0"),
                                          started_at=datetime.now(UTC))


def _states(ctx) -> dict[int, str]:  # type: ignore[no-untyped-def]
    with ctx.sessions() as s:
        return {r.id: r.state for r in s.scalars(select(MonitorRun))}


def test_dead_runs_are_marked_failed_on_open(tmp_path: Path, db_url: str | None) -> None:
    ctx = init_workspace(tmp_path / "ws", "360200", db_url)
    dead = _running(ctx, "deadbeef")
    alive = _running(ctx, "cafe")
    with locks.held(layer_store.lock_path(ctx.layout.layers, "run-cafe"), lambda: ConflictError()):
        again = open_workspace(tmp_path / "ws", db_url)
        assert again.notices == (f"监测运行 {dead} 的进程已终止，未完成的运行已标记为失败",)
        assert _states(again) == {dead: "failed", alive: "running"}
        with again.sessions() as s:
            last = s.scalars(select(AuditRecord).order_by(AuditRecord.seq.desc())).first()
        assert last is not None and (last.action, last.subject) == ("monitor.run_failed", f"monitor_run/{dead}")
    assert open_workspace(tmp_path / "ws", db_url).notices == (f"监测运行 {alive} 的进程已终止，未完成的运行已标记为失败",)
    assert open_workspace(tmp_path / "ws", db_url).notices == ()


def test_a_run_that_fails_while_writing_is_marked_failed(tmp_path: Path, scenario: b.Scenario,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    ws = build_workspace(tmp_path / "ws", scenario)

    def broken(*_a: object, **_k: object) -> list[str]:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(run_module, "_write", broken)
    with pytest.raises(OSError):
        run_module.run_monitor(ws, 2021, 2022)
    assert list(_states(ws).values()) == ["failed"]
    assert open_workspace(ws.root).notices == ()  # nothing left running, nothing to repair
