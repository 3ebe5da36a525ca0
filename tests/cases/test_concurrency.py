"""Two processes update one case at the same time, both from the version they read: exactly one wins,
the other gets ``cases.conflict`` and changes nothing (SQLite and PostgreSQL)."""

from __future__ import annotations

import multiprocessing as mp
from pathlib import Path

from gengbao.domain.errors import GengbaoError
from gengbao.services.cases import workflow
from gengbao.services.cases.queries import show
from gengbao.services.context import Context
from gengbao.services.workspace import open_workspace
from tests.cases.conftest import DAY, FILLER
from tests.cases.test_workflow import ILLEGAL, add_views


def _worker(root: str, db: str | None, number: str, version: int, project: str, barrier: object,
            out: object) -> None:
    ctx = open_workspace(Path(root), db, actor=FILLER)
    from dataclasses import replace
    barrier.wait()  # type: ignore[attr-defined]
    try:
        workflow.judge(ctx, number, replace(ILLEGAL, project=project), DAY, expected_version=version)
        out.put((project, "ok"))  # type: ignore[attr-defined]
    except GengbaoError as exc:
        out.put((project, exc.code))  # type: ignore[attr-defined]


def test_two_processes_one_wins(ws: Context, case_no: str, tmp_path: Path, db_url: str | None) -> None:
    add_views(ws, case_no, tmp_path)
    version = show(ws, case_no).version
    ws.engine.dispose()
    mpc = mp.get_context("fork")
    barrier, out = mpc.Barrier(2), mpc.Queue()
    procs = [mpc.Process(target=_worker, args=(str(ws.root), db_url, case_no, version, p, barrier, out))
             for p in ("甲项目", "乙项目")]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    results = dict(out.get(timeout=5) for _ in procs)
    assert sorted(results.values()) == ["cases.conflict", "ok"]
    winner = next(k for k, v in results.items() if v == "ok")
    after = show(ws, case_no)
    assert after.version == version + 1 and after.judgement is not None and after.judgement["project"] == winner
