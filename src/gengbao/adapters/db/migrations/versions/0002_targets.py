"""Region targets: target_value.

Revision ID: 0002_targets
Revises: 0001_core
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_targets"
down_revision = "0001_core"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "target_value",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("region", sa.String(12), nullable=False),
        sa.Column("measure", sa.String(32), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("value", sa.String(64), nullable=False),
        sa.Column("unit", sa.String(8), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("source_sha256", sa.String(64), nullable=False),
        sa.Column("row", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("region", "measure", "year", name="uq_target_value_key"),
    )


def downgrade() -> None:
    op.drop_table("target_value")
