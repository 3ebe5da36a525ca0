"""Task lists: task_document, task_measure, task_unit, task_report.

Revision ID: 0003_tasks
Revises: 0001_core
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_tasks"
down_revision = "0001_core"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "task_document",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("region", sa.String(12), nullable=False),
        sa.Column("layout", sa.String(32), nullable=False),
        sa.Column("columns", sa.JSON(), nullable=False),
        sa.Column("phases", sa.JSON(), nullable=False),
        sa.Column("source_file", sa.Text(), nullable=False),
        sa.Column("source_sha256", sa.String(64), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("key", name="uq_task_document_key"),
    )
    op.create_table(
        "task_measure",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "document_id",
            sa.Integer(),
            sa.ForeignKey(
                "task_document.id", ondelete="CASCADE", name="fk_task_measure_document_id_task_document"
            ),
            nullable=False,
        ),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(32), nullable=False),
        sa.Column("key_task", sa.Text(), nullable=False),
        sa.Column("group_no", sa.String(32), nullable=False),
        sa.Column("measure_group", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("lead", sa.JSON(), nullable=False),
        sa.Column("cooperating", sa.JSON(), nullable=False),
        sa.Column("implementing", sa.JSON(), nullable=False),
        sa.Column("mentioned", sa.JSON(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("deadline_start", sa.Date(), nullable=True),
        sa.Column("deadline_kind", sa.String(16), nullable=False),
        sa.Column("deadline_text", sa.Text(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("withdrawn", sa.Boolean(), nullable=False),
        sa.UniqueConstraint("document_id", "number", name="uq_task_measure_document_number"),
    )
    op.create_index("ix_task_measure_document_id", "task_measure", ["document_id"])
    op.create_table(
        "task_unit",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("region", sa.String(12), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("aliases", sa.JSON(), nullable=False),
        sa.UniqueConstraint("region", "name", name="uq_task_unit_region_name"),
    )
    op.create_table(
        "task_report",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "measure_id",
            sa.Integer(),
            sa.ForeignKey(
                "task_measure.id", ondelete="CASCADE", name="fk_task_report_measure_id_task_measure"
            ),
            nullable=False,
        ),
        sa.Column("unit", sa.String(200), nullable=False),
        sa.Column("unit_region", sa.String(12), nullable=False),
        sa.Column("period", sa.String(16), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("reported_on", sa.Date(), nullable=False),
        sa.Column("percent", sa.Integer(), nullable=True),
        sa.Column("milestone", sa.Text(), nullable=False),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("attachments", sa.JSON(), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_task_report_measure_id", "task_report", ["measure_id"])


def downgrade() -> None:
    op.drop_index("ix_task_report_measure_id", "task_report")
    op.drop_table("task_report")
    op.drop_table("task_unit")
    op.drop_index("ix_task_measure_document_id", "task_measure")
    op.drop_table("task_measure")
    op.drop_table("task_document")
