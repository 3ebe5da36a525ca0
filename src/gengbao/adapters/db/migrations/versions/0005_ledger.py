"""Offset ledger: ledger_project, ledger_entry, ledger_posting, ledger_freeze.

Revision ID: 0005_ledger
Revises: 0001_core
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_ledger"
down_revision = "0001_core"
branch_labels = ("ledger",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ledger_project",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("county", sa.String(12), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("history", sa.JSON(), nullable=False),
        sa.Column("certification", sa.JSON(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_ledger_project_county", "ledger_project", ["county"])
    op.create_table(
        "ledger_entry",
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("entry_id", sa.String(32), nullable=False, unique=True),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("memo", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "ledger_posting",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("entry_seq", sa.Integer(), sa.ForeignKey("ledger_entry.seq"), nullable=False),
        sa.Column("account_kind", sa.String(16), nullable=False),
        sa.Column("account_owner", sa.String(64), nullable=False),
        sa.Column("account_sub", sa.String(64), nullable=False),
        sa.Column("commodity", sa.String(16), nullable=False),
        sa.Column("amount", sa.String(64), nullable=False),
    )
    op.create_index("ix_ledger_posting_entry_seq", "ledger_posting", ["entry_seq"])
    op.create_index("ix_ledger_posting_account_owner", "ledger_posting", ["account_owner"])
    op.create_table(
        "ledger_freeze",
        sa.Column("case_id", sa.String(64), primary_key=True),
        sa.Column("county", sa.String(12), nullable=False),
        sa.Column("requested_m2", sa.String(64), nullable=False),
        sa.Column("lots", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("frozen_on", sa.Date(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
    )
    op.create_index("ix_ledger_freeze_county", "ledger_freeze", ["county"])


def downgrade() -> None:
    op.drop_table("ledger_freeze")
    op.drop_table("ledger_posting")
    op.drop_table("ledger_entry")
    op.drop_table("ledger_project")
