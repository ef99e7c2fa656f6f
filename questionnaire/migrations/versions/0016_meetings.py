"""meetings of the working groups and their documents

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 07:30:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "meeting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("body_code", sa.String(length=12), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("venue", sa.JSON(), nullable=False),
        sa.Column("plenary_meetings", sa.Integer(), nullable=False),
        sa.Column("interpretation", sa.JSON(), nullable=False),
        sa.Column("original_language", sa.String(length=2), nullable=False),
        sa.Column("opens_at", sa.String(length=5), nullable=False),
        sa.Column("dates_approved_on", sa.Date(), nullable=True),
        sa.Column("dates_by_silence", sa.Boolean(), nullable=False),
        sa.Column("agenda_approved_on", sa.Date(), nullable=True),
        sa.Column("agenda_by_silence", sa.Boolean(), nullable=False),
        sa.Column("agenda", sa.JSON(), nullable=False),
        sa.Column("organization", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("ends_on >= starts_on", name=op.f("ck_meeting_dates")),
        sa.CheckConstraint("plenary_meetings >= 1", name=op.f("ck_meeting_plenary_meetings")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting")),
        sa.UniqueConstraint("body_code", "year", name=op.f("uq_meeting_body_code_year")),
    )
    op.create_table(
        "meeting_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("corrigendum", sa.Integer(), nullable=False),
        sa.Column("joint_with", sa.JSON(), nullable=False),
        sa.Column("agenda_item", sa.String(length=8), nullable=True),
        sa.Column("titles", sa.JSON(), nullable=False),
        sa.Column("original_language", sa.String(length=2), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=True),
        sa.Column("job_number", sa.String(length=12), nullable=True),
        sa.Column("content", sa.String(length=16), nullable=True),
        sa.Column("symbol", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('agenda', 'paper', 'crp', 'draft_report', 'participants')",
            name=op.f("ck_meeting_document_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meeting.id"], name=op.f("fk_meeting_document_meeting_id_meeting")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_document")),
        sa.UniqueConstraint("symbol", name=op.f("uq_meeting_document_symbol")),
    )
    op.create_index(
        op.f("ix_meeting_document_meeting_id"), "meeting_document", ["meeting_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_meeting_document_meeting_id"), table_name="meeting_document")
    op.drop_table("meeting_document")
    op.drop_table("meeting")
