"""the durations of a phase's deadlines, set on the phase form

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-02 12:40:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

COLUMNS = ("focal_point_days", "experts_days", "answers_months", "feedback_months")


def upgrade() -> None:
    # Empty for the phases already open: they keep the application's durations.
    with op.batch_alter_table("review_phase", schema=None) as batch_op:
        for name in COLUMNS:
            batch_op.add_column(sa.Column(name, sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("review_phase", schema=None) as batch_op:
        for name in reversed(COLUMNS):
            batch_op.drop_column(name)
