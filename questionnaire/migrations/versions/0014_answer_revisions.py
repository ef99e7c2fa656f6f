"""answer revisions audited: an index to find an answer's latest revision

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 07:00:00.000000

Finding an answer's latest revision sorted all its revisions; the index on (answer_id,
version, id) gives it directly, and serves the foreign key's lookups as the index on
answer_id alone did, which it replaces.
"""

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("answer_revision", schema=None) as batch_op:
        batch_op.create_index(
            "ix_answer_revision_latest", ["answer_id", "version", "id"], unique=False
        )
        batch_op.drop_index(batch_op.f("ix_answer_revision_answer_id"))


def downgrade() -> None:
    with op.batch_alter_table("answer_revision", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_answer_revision_answer_id"), ["answer_id"], unique=False
        )
        batch_op.drop_index("ix_answer_revision_latest")
