"""Cases: case_record, case_clue, case_evidence (WKB geometry with bbox columns on both back ends).

On PostgreSQL with the PostGIS extension available (Debian: postgresql-15-postgis-3), ``case_record``
also gets ``geom``, a PostGIS geometry (EPSG:4490) generated from the WKB column and kept in step by
the database, with a GiST index: GIS clients read cases straight from the table and overlap searches
use the index. Where the extension cannot be created the table keeps WKB + bbox only.

Revision ID: 0006_cases
Revises: 0001_core
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_cases"
down_revision = "0001_core"
branch_labels = None
depends_on = None

_AREA = ("area_m2", "farmland_m2", "pbf_m2", "agricultural_m2", "unused_m2", "redline_m2")


def upgrade() -> None:
    op.create_table(
        "case_record",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("number", sa.String(32), nullable=False),
        sa.Column("county", sa.String(6), nullable=False),
        sa.Column("region", sa.String(19), nullable=False),
        sa.Column("source", sa.String(24), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(24), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), sa.ForeignKey("case_record.id", name="fk_case_record_parent_id_case_record"),
                  nullable=True),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("patch_ref", sa.String(64), nullable=True),
        sa.Column("from_epoch", sa.Integer(), nullable=True),
        sa.Column("to_epoch", sa.Integer(), nullable=True),
        sa.Column("change_type", sa.String(40), nullable=False),
        sa.Column("prejudged", sa.String(32), nullable=False),
        sa.Column("location", sa.Text(), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("geometry", sa.LargeBinary(), nullable=True),
        *(sa.Column(c, sa.Float(), nullable=True) for c in ("minx", "miny", "maxx", "maxy")),
        *(sa.Column(c, sa.String(64), nullable=False) for c in _AREA),
        sa.Column("category", sa.String(32), nullable=True),
        sa.Column("subtype", sa.String(32), nullable=True),
        sa.Column("judgement", sa.JSON(), nullable=True),
        sa.Column("judged_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("plan_way", sa.String(16), nullable=True),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("plan_approval", sa.String(128), nullable=True),
        sa.Column("demolished_m2", sa.String(64), nullable=False),
        sa.Column("legalised_m2", sa.String(64), nullable=False),
        sa.Column("rectified_on", sa.Date(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("findings", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("number", name="uq_case_record_number"),
    )
    op.create_index("ix_case_record_county", "case_record", ["county"])
    op.create_index("ix_case_record_state", "case_record", ["state"])
    op.create_index("ix_case_record_run_id", "case_record", ["run_id"])
    op.create_index("ix_case_record_bbox", "case_record", ["minx", "maxx", "miny", "maxy"])
    _postgis_column()
    op.create_table(
        "case_clue",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("case_record.id", ondelete="CASCADE",
                                                         name="fk_case_clue_case_id_case_record"), nullable=False),
        sa.Column("source", sa.String(24), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("patch_ref", sa.String(64), nullable=True),
        sa.Column("reference", sa.Text(), nullable=False),
        sa.Column("linked", sa.Boolean(), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=False),
    )
    op.create_index("ix_case_clue_case_id", "case_clue", ["case_id"])
    op.create_table(
        "case_evidence",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("case_record.id", ondelete="CASCADE",
                                                         name="fk_case_evidence_case_id_case_record"), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("path", sa.String(160), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("format", sa.String(16), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("taken_at", sa.DateTime(), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("azimuth", sa.Float(), nullable=True),
        sa.Column("device", sa.String(128), nullable=False),
        sa.Column("phash", sa.String(32), nullable=False),
        sa.Column("check_code", sa.String(64), nullable=False),
        sa.Column("accepted", sa.Boolean(), nullable=False),
        sa.Column("added_on", sa.Date(), nullable=False),
        sa.Column("added_by", sa.String(64), nullable=False),
        sa.Column("findings", sa.JSON(), nullable=False),
    )
    op.create_index("ix_case_evidence_case_id", "case_evidence", ["case_id"])
    op.create_index("ix_case_evidence_sha256", "case_evidence", ["sha256"])
    op.create_index("ix_case_evidence_phash", "case_evidence", ["phash"])


def _postgis_column() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    available = bind.execute(sa.text("SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'")).scalar()
    if not available:
        return
    try:
        with bind.begin_nested():
            bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS postgis"))
    except sa.exc.DBAPIError:  # no right to create it: stay with WKB + bbox
        return
    op.execute("ALTER TABLE case_record ADD COLUMN geom geometry(Geometry, 4490) GENERATED ALWAYS AS "
               "(ST_SetSRID(ST_GeomFromWKB(geometry), 4490)) STORED")
    op.execute("CREATE INDEX ix_case_record_geom ON case_record USING gist (geom)")


def downgrade() -> None:
    op.drop_table("case_evidence")
    op.drop_table("case_clue")
    op.drop_table("case_record")
