"""Users: app_user, auth_token, login_attempt.

Revision ID: 0005_users
Revises: 0001_core
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_users"
down_revision = "0001_core"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "app_user",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("display_name", sa.String(128), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("jurisdiction", sa.String(12), nullable=False),
        sa.Column("password_hash", sa.String(256), nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("name", name="uq_app_user_name"),
    )
    op.create_table(
        "auth_token",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("app_user.id", ondelete="CASCADE",
                                                         name="fk_auth_token_user_id_app_user"), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("label", sa.String(128), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("token_hash", name="uq_auth_token_token_hash"),
    )
    op.create_index("ix_auth_token_user_id", "auth_token", ["user_id"])
    op.create_table(
        "login_attempt",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("account", sa.String(64), nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_login_attempt_account", "login_attempt", ["account"])
    op.create_index("ix_login_attempt_address", "login_attempt", ["address"])
    op.create_index("ix_login_attempt_at", "login_attempt", ["at"])


def downgrade() -> None:
    op.drop_table("login_attempt")
    op.drop_index("ix_auth_token_user_id", "auth_token")
    op.drop_table("auth_token")
    op.drop_table("app_user")
