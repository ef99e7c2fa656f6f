"""notifications: reminders sent, agreements of the reviewing States

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 07:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("carries_link", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f("ix_outbox_message_to_email"), ["to_email"], unique=False)
    # Messages queued before this revision were account e-mails or review messages whose text
    # was dropped on sending: the ones still waiting may hold activation links.
    op.execute("UPDATE outbox_message SET carries_link = true WHERE sent_at IS NULL")

    op.create_table(
        "reminder_sent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item", sa.String(length=80), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("threshold", sa.String(length=12), nullable=False),
        sa.Column("recipients", sa.Integer(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder_sent")),
        sa.UniqueConstraint(
            "item", "due_on", "threshold", name=op.f("uq_reminder_sent_item_due_on_threshold")
        ),
    )
    op.create_table(
        "list_agreement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("list_id", sa.Integer(), nullable=False),
        sa.Column("reviewing_state", sa.String(length=3), nullable=False),
        sa.Column("agreed_by_id", sa.Integer(), nullable=False),
        sa.Column("agreed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("content_mark", sa.String(length=64), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["list_id"],
            ["list_of_observations.id"],
            name=op.f("fk_list_agreement_list_id_list_of_observations"),
        ),
        sa.ForeignKeyConstraint(
            ["reviewing_state"],
            ["state.code"],
            name=op.f("fk_list_agreement_reviewing_state_state"),
        ),
        sa.ForeignKeyConstraint(
            ["agreed_by_id"],
            ["user_account.id"],
            name=op.f("fk_list_agreement_agreed_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["withdrawn_by_id"],
            ["user_account.id"],
            name=op.f("fk_list_agreement_withdrawn_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_list_agreement")),
    )
    with op.batch_alter_table("list_agreement", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_list_agreement_list_id"), ["list_id"], unique=False)
    op.create_table(
        "list_signatory",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("reviewing_state", sa.String(length=3), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("designated_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"], ["review.id"], name=op.f("fk_list_signatory_review_id_review")
        ),
        sa.ForeignKeyConstraint(
            ["reviewing_state"],
            ["state.code"],
            name=op.f("fk_list_signatory_reviewing_state_state"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_list_signatory_user_id_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["designated_by_id"],
            ["user_account.id"],
            name=op.f("fk_list_signatory_designated_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_list_signatory")),
        sa.UniqueConstraint(
            "review_id", "user_id", name=op.f("uq_list_signatory_review_id_user_id")
        ),
    )
    with op.batch_alter_table("list_signatory", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_list_signatory_review_id"), ["review_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("list_signatory", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_list_signatory_review_id"))
    op.drop_table("list_signatory")
    with op.batch_alter_table("list_agreement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_list_agreement_list_id"))
    op.drop_table("list_agreement")
    op.drop_table("reminder_sent")
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_message_to_email"))
        batch_op.drop_column("next_attempt_at")
        batch_op.drop_column("carries_link")
