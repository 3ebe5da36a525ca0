"""A forked process (a Dask worker started by fork) must not reuse its parent's pooled connections:
its engines' pools start empty, while the parent's pool keeps its connection."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import text

from gengbao.adapters.db.engine import make_engine, sqlite_url


def test_a_forked_child_starts_with_an_empty_pool(tmp_path: Path) -> None:
    engine = make_engine(sqlite_url(tmp_path / "x.sqlite"))
    with engine.connect() as conn:
        conn.execute(text("select 1"))
    assert engine.pool.checkedin() == 1  # type: ignore[attr-defined]
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child reports its pool size and leaves without running any cleanup
        os.write(write, str(engine.pool.checkedin()).encode())  # type: ignore[attr-defined]
        os._exit(0)
    os.close(write)
    child = os.read(read, 16).decode()
    os.waitpid(pid, 0)
    assert child == "0"
    assert engine.pool.checkedin() == 1  # type: ignore[attr-defined]
    with engine.connect() as conn:
        assert conn.execute(text("select 2")).scalar() == 2
