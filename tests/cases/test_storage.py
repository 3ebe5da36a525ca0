"""Storage: the migration matches the models on both back ends; on PostgreSQL with PostGIS the case
geometry is also a PostGIS geometry (generated from the WKB, kept in step) with a GiST index."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from gengbao.adapters.db.all_models import metadata
from gengbao.services.context import Context
from gengbao.services.workspace import init_workspace
from tests.cases.conftest import COUNTY, LAND

MINE = ("case_record", "case_clue", "case_evidence")


def test_migration_matches_the_model(ws: Context) -> None:
    with ws.engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), metadata)
    mine = [d for d in diffs if any(t in repr(d) for t in MINE)
            and "'geom'" not in repr(d) and "ix_case_record_geom" not in repr(d)]
    assert mine == []


def test_postgis_geometry_with_gist_index(tmp_path: Path, pg_url: str) -> None:
    import psycopg

    with psycopg.connect(pg_url) as c:
        if c.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'").fetchone() is None:
            pytest.skip("PostGIS is not installed on this PostgreSQL server (Debian: postgresql-15-postgis-3)")
    from gengbao.domain.cases.numbers import ClueSource
    from gengbao.services.cases.clues import open_manual
    from gengbao.services.cases.queries import show
    from tests.cases.conftest import DAY, FILLER

    ws = init_workspace(tmp_path / "ws", COUNTY, pg_url)
    number = open_manual(ws.acting_as(FILLER), ClueSource.PATROL, COUNTY, DAY, geometry=LAND).opened[0]
    with ws.engine.connect() as conn:
        srid, area, hit = conn.execute(text(
            "SELECT ST_SRID(geom), ST_Area(geom::geography), "
            "(SELECT count(*) FROM case_record WHERE geom && ST_MakeEnvelope(117.2004, 29.3004, 117.2005, 29.3005, 4490))"
            " FROM case_record WHERE number = :n"), {"n": number}).one()
        index = conn.execute(text("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_case_record_geom'")).scalar()
    assert srid == 4490 and hit == 1 and "gist" in str(index)
    assert abs(area - float(show(ws, number).areas["area_m2"])) < 0.5  # PostGIS's geodesic area, a second method
