"""nominations and memberships

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 07:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "nomination",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("nominating_state", sa.String(length=3), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=12), nullable=False),
        sa.Column("side", sa.String(length=12), nullable=False),
        sa.Column("state_under_review", sa.String(length=3), nullable=False),
        sa.Column("phase_id", sa.Integer(), nullable=True),
        sa.Column("review_id", sa.Integer(), nullable=True),
        sa.Column("instruments", sa.JSON(), nullable=False),
        sa.Column("note_reference", sa.String(length=100), nullable=False),
        sa.Column("note_date", sa.Date(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_by_id", sa.Integer(), nullable=True),
        sa.Column("end_reason", sa.String(), nullable=True),
        sa.CheckConstraint(
            "role IN ('focal_point', 'expert', 'observer')", name=op.f("ck_nomination_role")
        ),
        sa.CheckConstraint(
            "side IN ('under_review', 'reviewing')", name=op.f("ck_nomination_side")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_nomination_created_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["ended_by_id"],
            ["user_account.id"],
            name=op.f("fk_nomination_ended_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["nominating_state"], ["state.code"], name=op.f("fk_nomination_nominating_state_state")
        ),
        sa.ForeignKeyConstraint(
            ["phase_id"], ["review_phase.id"], name=op.f("fk_nomination_phase_id_review_phase")
        ),
        sa.ForeignKeyConstraint(
            ["review_id"], ["review.id"], name=op.f("fk_nomination_review_id_review")
        ),
        sa.ForeignKeyConstraint(
            ["state_under_review"],
            ["state.code"],
            name=op.f("fk_nomination_state_under_review_state"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_nomination_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_nomination")),
    )
    with op.batch_alter_table("nomination", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_nomination_nominating_state"), ["nominating_state"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_nomination_phase_id"), ["phase_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_nomination_state_under_review"), ["state_under_review"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_nomination_user_id"), ["user_id"], unique=False)

    with op.batch_alter_table("review_membership", schema=None) as batch_op:
        batch_op.add_column(sa.Column("nomination_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_review_membership_nomination_id"), ["nomination_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_review_membership_nomination_id_nomination"),
            "nomination",
            ["nomination_id"],
            ["id"],
        )
    op.create_index(
        "uq_review_membership_focal_point",
        "review_membership",
        ["review_id"],
        unique=True,
        sqlite_where=sa.text("role = 'focal_point'"),
        postgresql_where=sa.text("role = 'focal_point'"),
    )


def downgrade() -> None:
    op.drop_index("uq_review_membership_focal_point", table_name="review_membership")
    with op.batch_alter_table("review_membership", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_review_membership_nomination_id_nomination"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_review_membership_nomination_id"))
        batch_op.drop_column("nomination_id")

    with op.batch_alter_table("nomination", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_nomination_user_id"))
        batch_op.drop_index(batch_op.f("ix_nomination_state_under_review"))
        batch_op.drop_index(batch_op.f("ix_nomination_phase_id"))
        batch_op.drop_index(batch_op.f("ix_nomination_nominating_state"))
    op.drop_table("nomination")
