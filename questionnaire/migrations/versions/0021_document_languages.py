"""lists of observations and summaries have an original language and translations

Revision ID: 0021
Revises: 0019
Create Date: 2026-12-02 12:40:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("list_of_observations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("original_language", sa.String(length=2), nullable=True))
        batch_op.add_column(sa.Column("summary_language", sa.String(length=2), nullable=True))
    # Data fix: the lists written so far were made into papers as English text (the old
    # default of the papers' "language the lists are written in"), so they are English.
    op.execute(
        "UPDATE list_of_observations SET original_language = 'en' WHERE EXISTS "
        "(SELECT 1 FROM observation WHERE observation.review_id = list_of_observations.review_id)"
    )
    op.execute("UPDATE list_of_observations SET summary_language = 'en' WHERE summary <> ''")
    op.create_table(
        "observation_translation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("observation_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("text", sa.String(), nullable=False),
        sa.Column("source_sha256", sa.String(length=64), nullable=False),
        sa.Column("translated_by_id", sa.Integer(), nullable=False),
        sa.Column("translated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["observation_id"],
            ["observation.id"],
            name=op.f("fk_observation_translation_observation_id_observation"),
        ),
        sa.ForeignKeyConstraint(
            ["translated_by_id"],
            ["user_account.id"],
            name=op.f("fk_observation_translation_translated_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_observation_translation")),
        sa.UniqueConstraint(
            "observation_id",
            "language",
            name=op.f("uq_observation_translation_observation_id_language"),
        ),
    )
    op.create_index(
        op.f("ix_observation_translation_observation_id"),
        "observation_translation",
        ["observation_id"],
        unique=False,
    )
    op.create_table(
        "summary_translation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("list_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("paragraphs", sa.JSON(), nullable=False),
        sa.Column("source_sha256", sa.String(length=64), nullable=False),
        sa.Column("translated_by_id", sa.Integer(), nullable=False),
        sa.Column("translated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["list_id"],
            ["list_of_observations.id"],
            name=op.f("fk_summary_translation_list_id_list_of_observations"),
        ),
        sa.ForeignKeyConstraint(
            ["translated_by_id"],
            ["user_account.id"],
            name=op.f("fk_summary_translation_translated_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_summary_translation")),
        sa.UniqueConstraint(
            "list_id", "language", name=op.f("uq_summary_translation_list_id_language")
        ),
    )
    op.create_index(
        op.f("ix_summary_translation_list_id"), "summary_translation", ["list_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_summary_translation_list_id"), table_name="summary_translation")
    op.drop_table("summary_translation")
    op.drop_index(
        op.f("ix_observation_translation_observation_id"), table_name="observation_translation"
    )
    op.drop_table("observation_translation")
    with op.batch_alter_table("list_of_observations", schema=None) as batch_op:
        batch_op.drop_column("summary_language")
        batch_op.drop_column("original_language")
