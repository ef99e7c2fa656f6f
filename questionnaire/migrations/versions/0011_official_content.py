"""official content: party dates, provision texts, UN names

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 07:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

DEMO_SOURCE = "demo data (states.yaml), not from the UN Treaty Collection"


def upgrade() -> None:
    op.create_table(
        "state_participation",
        sa.Column("state_code", sa.String(length=3), nullable=False),
        sa.Column("instrument", sa.String(length=5), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=True),
        sa.Column("consent_kind", sa.String(length=20), nullable=True),
        sa.Column("consent_on", sa.Date(), nullable=True),
        sa.Column("in_force_on", sa.Date(), nullable=True),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("is_demo", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["state_code"],
            ["state.code"],
            name=op.f("fk_state_participation_state_code_state"),
        ),
        sa.PrimaryKeyConstraint("state_code", "instrument", name=op.f("pk_state_participation")),
    )
    op.create_table(
        "provision_text",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("instrument", sa.String(length=5), nullable=False),
        sa.Column("article", sa.Integer(), nullable=False),
        sa.Column("paragraph", sa.String(length=10), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("is_article_complete", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(length=500), nullable=False),
        sa.Column("loaded_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_provision_text")),
        sa.UniqueConstraint(
            "instrument",
            "article",
            "paragraph",
            "language",
            name=op.f("uq_provision_text_instrument_article_paragraph_language"),
        ),
    )
    _participation_from_party_lists()


def _participation_from_party_lists() -> None:
    """Existing party lists become undated demo participation rows."""
    connection = op.get_bind()
    state = sa.table("state", sa.column("code", sa.String), sa.column("parties", sa.JSON))
    participation = sa.table(
        "state_participation",
        sa.column("state_code", sa.String),
        sa.column("instrument", sa.String),
        sa.column("consent_kind", sa.String),
        sa.column("source", sa.String),
        sa.column("is_demo", sa.Boolean),
    )
    rows = [
        {
            "state_code": code,
            "instrument": instrument,
            "consent_kind": "not_recorded",
            "source": DEMO_SOURCE,
            "is_demo": True,
        }
        for code, parties in connection.execute(sa.select(state.c.code, state.c.parties))
        for instrument in parties or []
    ]
    if rows:
        op.bulk_insert(participation, rows)


def downgrade() -> None:
    op.drop_table("provision_text")
    op.drop_table("state_participation")
