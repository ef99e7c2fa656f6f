"""render key: the PDF cache is keyed on the content and on what renders it

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22 21:45:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Earlier revisions have none: their PDFs are not reused, the next identical content is
    # rendered again with the current template, stylesheet and translations.
    with op.batch_alter_table("publication") as batch:
        batch.add_column(sa.Column("render_key", sa.String(length=64), nullable=True))
        batch.create_index(op.f("ix_publication_render_key"), ["render_key"])


def downgrade() -> None:
    with op.batch_alter_table("publication") as batch:
        batch.drop_index(op.f("ix_publication_render_key"))
        batch.drop_column("render_key")
