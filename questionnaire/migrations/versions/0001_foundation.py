"""foundation: states, bank versions, users, reviews

Revision ID: 0001
Revises:
Create Date: 2026-11-22 17:31:46.924749
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "bank_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("instrument", sa.String(length=8), nullable=False),
        sa.Column("cluster", sa.String(length=4), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("source_path", sa.String(length=300), nullable=False),
        sa.Column("question_count", sa.Integer(), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bank_version")),
        sa.UniqueConstraint(
            "instrument",
            "cluster",
            "version",
            name=op.f("uq_bank_version_instrument_cluster_version"),
        ),
    )
    op.create_table(
        "state",
        sa.Column("code", sa.String(length=3), nullable=False),
        sa.Column("iso2", sa.String(length=2), nullable=False),
        sa.Column("regional_group", sa.String(length=20), nullable=False),
        sa.Column("parties", sa.JSON(), nullable=False),
        sa.Column("names", sa.JSON(), nullable=True),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_state")),
    )
    op.create_table(
        "user_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=True),
        sa.Column("state_code", sa.String(length=3), nullable=True),
        sa.Column("is_secretariat", sa.Boolean(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("locale", sa.String(length=5), nullable=False),
        sa.Column("session_nonce", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["state_code"], ["state.code"], name=op.f("fk_user_account_state_code_state")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_account")),
    )
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_user_account_email"), ["email"], unique=True)

    op.create_table(
        "review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("state_code", sa.String(length=3), nullable=False),
        sa.Column("bank_version_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("answers_due_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("submitted_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("status IN ('answering', 'submitted')", name=op.f("ck_review_status")),
        sa.ForeignKeyConstraint(
            ["bank_version_id"],
            ["bank_version.id"],
            name=op.f("fk_review_bank_version_id_bank_version"),
        ),
        sa.ForeignKeyConstraint(
            ["state_code"], ["state.code"], name=op.f("fk_review_state_code_state")
        ),
        sa.ForeignKeyConstraint(
            ["submitted_by_id"],
            ["user_account.id"],
            name=op.f("fk_review_submitted_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review")),
    )
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_state_code"), ["state_code"], unique=False)

    op.create_table(
        "review_membership",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "role IN ('focal_point', 'expert', 'observer', 'reviewer')",
            name=op.f("ck_review_membership_role"),
        ),
        sa.ForeignKeyConstraint(
            ["review_id"], ["review.id"], name=op.f("fk_review_membership_review_id_review")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_review_membership_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_membership")),
        sa.UniqueConstraint(
            "review_id", "user_id", name=op.f("uq_review_membership_review_id_user_id")
        ),
    )
    with op.batch_alter_table("review_membership", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_review_membership_review_id"), ["review_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_review_membership_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("review_membership", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_membership_user_id"))
        batch_op.drop_index(batch_op.f("ix_review_membership_review_id"))

    op.drop_table("review_membership")
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_state_code"))

    op.drop_table("review")
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_user_account_email"))

    op.drop_table("user_account")
    op.drop_table("state")
    op.drop_table("bank_version")
