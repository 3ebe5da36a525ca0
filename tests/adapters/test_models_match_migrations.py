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
    # alembic's own bookkeeping table is not a model, nor is what PostGIS adds where it is installed: its
    # spatial_ref_sys table and the generated case geometry with its GiST index (migration 0006_cases)
    postgis = {("remove_table", "spatial_ref_sys"), ("remove_column", "geom"), ("remove_index", "ix_case_record_geom")}
    diff = [d for d in diff if not (d[0] == "remove_table" and d[1].name == "alembic_version")
            and (d[0], _name(d)) not in postgis]
    assert diff == []


def _name(d: tuple) -> str:  # type: ignore[type-arg]
    """The name of what an autogenerate difference is about (table, column or index)."""
    if d[0] == "remove_column":
        return str(d[3].name)
    return str(getattr(d[1], "name", ""))
