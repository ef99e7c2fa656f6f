"""a reply in the dialogue names the request for clarification it answers

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-02 08:20:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("dialogue_message", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reply_to_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_dialogue_message_reply_to_id_dialogue_message",
            "dialogue_message",
            ["reply_to_id"],
            ["id"],
        )
        batch_op.create_index(
            batch_op.f("ix_dialogue_message_reply_to_id"), ["reply_to_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("dialogue_message", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dialogue_message_reply_to_id"))
        batch_op.drop_constraint(
            "fk_dialogue_message_reply_to_id_dialogue_message", type_="foreignkey"
        )
        batch_op.drop_column("reply_to_id")
