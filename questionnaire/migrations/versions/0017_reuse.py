"""the submitted review a carried-forward answer came from; a review's attached replies to
earlier questionnaires

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02 08:25:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "review_attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(length=300), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("uploaded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"], ["review.id"], name="fk_review_attachment_review_id_review"
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"],
            ["user_account.id"],
            name="fk_review_attachment_uploaded_by_id_user_account",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_review_attachment"),
    )
    op.create_index(
        "ix_review_attachment_review_id", "review_attachment", ["review_id"], unique=False
    )
    with op.batch_alter_table("answer", schema=None) as batch_op:
        batch_op.add_column(sa.Column("carried_from_review_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_answer_carried_from_review_id_review", "review", ["carried_from_review_id"], ["id"]
        )


def downgrade() -> None:
    op.drop_index("ix_review_attachment_review_id", table_name="review_attachment")
    op.drop_table("review_attachment")
    with op.batch_alter_table("answer", schema=None) as batch_op:
        batch_op.drop_constraint("fk_answer_carried_from_review_id_review", type_="foreignkey")
        batch_op.drop_column("carried_from_review_id")
