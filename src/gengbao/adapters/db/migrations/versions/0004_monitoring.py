"""Monitoring: approval, monitor_run, monitor_region.

Revision ID: 0004_monitoring
Revises: 0001_core
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_monitoring"
down_revision = "0001_core"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "approval",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("approval_id", sa.String(128), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("issued", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("filed_area_m2", sa.String(64), nullable=True),
        sa.Column("area_m2", sa.String(64), nullable=False),
        sa.Column("geometry", sa.LargeBinary(), nullable=False),
        sa.Column("minx", sa.Float(), nullable=False),
        sa.Column("miny", sa.Float(), nullable=False),
        sa.Column("maxx", sa.Float(), nullable=False),
        sa.Column("maxy", sa.Float(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("source_row", sa.Integer(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("approval_id", name="uq_approval_approval_id"),
    )
    op.create_index("ix_approval_kind", "approval", ["kind"])
    op.create_table(
        "monitor_run",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("mode", sa.String(16), nullable=False),
        sa.Column("from_epoch", sa.Integer(), nullable=True),
        sa.Column("to_epoch", sa.Integer(), nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("patches", sa.Integer(), nullable=False),
        sa.Column("slivers", sa.Integer(), nullable=False),
        sa.Column("sliver_area_m2", sa.String(64), nullable=False),
        sa.Column("layer_path", sa.Text(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "monitor_region",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("run_id", sa.Integer(), sa.ForeignKey("monitor_run.id", ondelete="CASCADE",
                                                        name="fk_monitor_region_run_id_monitor_run"),
                  nullable=False),
        sa.Column("region", sa.String(12), nullable=False),
        sa.Column("level", sa.String(16), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
    )
    op.create_index("ix_monitor_region_run_id", "monitor_region", ["run_id"])


def downgrade() -> None:
    op.drop_index("ix_monitor_region_run_id", "monitor_region")
    op.drop_table("monitor_region")
    op.drop_table("monitor_run")
    op.drop_index("ix_approval_kind", "approval")
    op.drop_table("approval")
