"""published documents can be withdrawn; drafts go stale

A publication keeps what it was asked for (its `source`: the meeting, the symbol and the
reviews), so its content can be built again from the current data and compared: a draft
whose lists changed since is stale and cannot be published. A published revision can be
withdrawn (who, when, why). The summary of a list of observations gets the State's
confidentiality per paragraph.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 07:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("publication") as batch:
        batch.drop_constraint(op.f("ck_publication_status"), type_="check")
        batch.create_check_constraint(
            op.f("ck_publication_status"), "status IN ('draft', 'published', 'withdrawn')"
        )
        # Earlier revisions have none: their content cannot be built again, so they are
        # treated as stale (a draft of theirs is not published; a new revision is made).
        batch.add_column(sa.Column("source", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("withdrawn_by_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("withdrawal_reason", sa.Text(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_publication_withdrawn_by_id_user_account"),
            "user_account",
            ["withdrawn_by_id"],
            ["id"],
        )
    with op.batch_alter_table("list_of_observations") as batch:
        batch.add_column(
            sa.Column(
                "summary_confidential", sa.JSON(), nullable=False, server_default=sa.text("'[]'")
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("list_of_observations") as batch:
        batch.drop_column("summary_confidential")
    # A withdrawn revision must stay out of reach: without the status it goes back to draft,
    # which only the secretariat can see, never to published.
    op.execute("UPDATE publication SET status = 'draft' WHERE status = 'withdrawn'")
    with op.batch_alter_table("publication") as batch:
        batch.drop_constraint(
            op.f("fk_publication_withdrawn_by_id_user_account"), type_="foreignkey"
        )
        batch.drop_column("withdrawal_reason")
        batch.drop_column("withdrawn_by_id")
        batch.drop_column("withdrawn_at")
        batch.drop_column("source")
        batch.drop_constraint(op.f("ck_publication_status"), type_="check")
        batch.create_check_constraint(
            op.f("ck_publication_status"), "status IN ('draft', 'published')"
        )
