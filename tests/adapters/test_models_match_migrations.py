"""Every ORM table matches what the migrations create: Alembic's autogenerate finds nothing to add, drop or
alter, on SQLite and on PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from gengbao.adapters.db.all_models import metadata
from gengbao.services.workspace import init_workspace


def test_autogenerate_diff_is_empty(tmp_path: Path, db_url: str | None) -> None:
    ctx = init_workspace(tmp_path / "ws", "360200", db_url)
    with ctx.engine.connect() as conn:
        mc = MigrationContext.configure(conn, opts={"compare_type": True, "compare_server_default": False})
        diff = compare_metadata(mc, metadata)
    # alembic's own bookkeeping table is not a model
    diff = [d for d in diff if not (d[0] == "remove_table" and d[1].name == "alembic_version")]
    assert diff == []
