"""Monitoring runs have a state: running, finished, or failed (a run whose process died).

Revision ID: 0008_run_state
Revises: 0004_monitoring
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_run_state"
down_revision = "0004_monitoring"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("monitor_run") as batch:
        batch.add_column(sa.Column("state", sa.String(16), nullable=False, server_default="finished"))
    op.execute("UPDATE monitor_run SET state = 'running' WHERE finished_at IS NULL")


def downgrade() -> None:
    with op.batch_alter_table("monitor_run") as batch:
        batch.drop_column("state")
