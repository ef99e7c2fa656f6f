"""peer sharing: a State's consent to be named to its peers in a consolidated analysis

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 07:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "peer_sharing_consent",
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("given_by_id", sa.Integer(), nullable=False),
        sa.Column("given_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"], ["review.id"], name=op.f("fk_peer_sharing_consent_review_id_review")
        ),
        sa.ForeignKeyConstraint(
            ["given_by_id"],
            ["user_account.id"],
            name=op.f("fk_peer_sharing_consent_given_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("review_id", name=op.f("pk_peer_sharing_consent")),
    )


def downgrade() -> None:
    op.drop_table("peer_sharing_consent")
