"""Several processes appending to the audit chain at once never fork or break it (SQLite and PostgreSQL),
and every record names the actor that wrote it."""

from __future__ import annotations

import multiprocessing as mp
from pathlib import Path

from sqlalchemy import select

from gengbao.adapters.db import audit_store as audit
from gengbao.adapters.db.models import AuditRecord
from gengbao.domain.access import Actor, Role
from gengbao.services.workspace import init_workspace, open_workspace

WRITERS = 4
APPENDS = 12


def _writer(root: str, db_url: str | None, n: int, start: mp.synchronize.Event) -> None:  # type: ignore[name-defined]
    ctx = open_workspace(Path(root), db_url, actor=Actor(f"writer{n}", Role.COUNTY_FILLER, "3602"))
    start.wait()
    for i in range(APPENDS):
        with ctx.transaction() as s:
            # read something first, as use cases do, then append: the read-then-write must not race
            s.scalar(select(AuditRecord.seq).order_by(AuditRecord.seq.desc()).limit(1))
            ctx.audit(s, "test.append", f"item/{n}/{i}", {"writer": n, "i": i})


def test_concurrent_writers_keep_one_chain(tmp_path: Path, db_url: str | None) -> None:
    root = tmp_path / "ws"
    init_workspace(root, "360200", db_url)
    mpc = mp.get_context("spawn")
    start = mpc.Event()
    procs = [mpc.Process(target=_writer, args=(str(root), db_url, n, start)) for n in range(WRITERS)]
    for p in procs:
        p.start()
    start.set()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0] * WRITERS
    ctx = open_workspace(root, db_url)
    with ctx.sessions() as s:
        assert audit.verify(s) == []
        records = list(s.scalars(select(AuditRecord).order_by(AuditRecord.seq)))
    # the init record plus every append, numbered 1..N without a gap
    assert [r.seq for r in records] == list(range(1, 1 + 1 + WRITERS * APPENDS))
    by_actor: dict[str, int] = {}
    for r in records[1:]:
        by_actor[r.actor] = by_actor.get(r.actor, 0) + 1
    assert by_actor == {f"writer{n}": APPENDS for n in range(WRITERS)}
    assert records[0].actor == "local"
