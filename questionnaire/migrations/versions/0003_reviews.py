"""review phases, draws, assignments, observations, dialogue, outbox

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 17:40:34.509060
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outbox_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("to_email", sa.String(length=254), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("body", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_message")),
    )
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outbox_message_sent_at"), ["sent_at"], unique=False)

    op.create_table(
        "review_phase",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("cluster", sa.String(length=4), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("max_reviews_per_state", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_review_phase_created_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_phase")),
    )
    op.create_table(
        "review_draw",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("phase_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("seed", sa.String(length=64), nullable=False),
        sa.Column("inputs", sa.JSON(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("reason", sa.String(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('draw', 'replacement')", name=op.f("ck_review_draw_kind")),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_review_draw_created_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["phase_id"], ["review_phase.id"], name=op.f("fk_review_draw_phase_id_review_phase")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_draw")),
    )
    with op.batch_alter_table("review_draw", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_draw_phase_id"), ["phase_id"], unique=False)

    op.create_table(
        "dialogue_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("section_key", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("body", sa.String(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("author_state", sa.String(length=3), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('request', 'reply', 'comment')", name=op.f("ck_dialogue_message_kind")
        ),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["user_account.id"],
            name=op.f("fk_dialogue_message_author_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["review_id"], ["review.id"], name=op.f("fk_dialogue_message_review_id_review")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dialogue_message")),
    )
    with op.batch_alter_table("dialogue_message", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_dialogue_message_review_id"), ["review_id"], unique=False
        )

    op.create_table(
        "list_of_observations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("summary", sa.String(), nullable=False),
        sa.Column("summary_version", sa.Integer(), nullable=False),
        sa.Column("summary_updated_by_id", sa.Integer(), nullable=True),
        sa.Column("summary_updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('drafting', 'with_state', 'agreed', 'final')",
            name=op.f("ck_list_of_observations_status"),
        ),
        sa.ForeignKeyConstraint(
            ["review_id"], ["review.id"], name=op.f("fk_list_of_observations_review_id_review")
        ),
        sa.ForeignKeyConstraint(
            ["summary_updated_by_id"],
            ["user_account.id"],
            name=op.f("fk_list_of_observations_summary_updated_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_list_of_observations")),
        sa.UniqueConstraint("review_id", name=op.f("uq_list_of_observations_review_id")),
    )
    op.create_table(
        "observation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("section_key", sa.String(length=40), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("text", sa.String(), nullable=False),
        sa.Column("cited_keys", sa.JSON(), nullable=False),
        sa.Column("is_confidential", sa.Boolean(), nullable=False),
        sa.Column("is_deleted", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "category IN ('good_practice', 'gap', 'suggestion', 'assistance_need')",
            name=op.f("ck_observation_category"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_observation_created_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["review_id"], ["review.id"], name=op.f("fk_observation_review_id_review")
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["user_account.id"],
            name=op.f("fk_observation_updated_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_observation")),
    )
    with op.batch_alter_table("observation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_observation_review_id"), ["review_id"], unique=False)

    op.create_table(
        "review_assignment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("reviewing_state", sa.String(length=3), nullable=False),
        sa.Column("seat", sa.String(length=14), nullable=False),
        sa.Column("is_additional", sa.Boolean(), nullable=False),
        sa.Column("draw_id", sa.Integer(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("end_reason", sa.String(), nullable=True),
        sa.CheckConstraint(
            "seat IN ('same_region', 'other_region')", name=op.f("ck_review_assignment_seat")
        ),
        sa.ForeignKeyConstraint(
            ["draw_id"], ["review_draw.id"], name=op.f("fk_review_assignment_draw_id_review_draw")
        ),
        sa.ForeignKeyConstraint(
            ["review_id"], ["review.id"], name=op.f("fk_review_assignment_review_id_review")
        ),
        sa.ForeignKeyConstraint(
            ["reviewing_state"],
            ["state.code"],
            name=op.f("fk_review_assignment_reviewing_state_state"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_assignment")),
    )
    with op.batch_alter_table("review_assignment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_review_assignment_review_id"), ["review_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_review_assignment_reviewing_state"), ["reviewing_state"], unique=False
        )

    op.create_table(
        "list_transition",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("list_id", sa.Integer(), nullable=False),
        sa.Column("from_status", sa.String(length=12), nullable=False),
        sa.Column("to_status", sa.String(length=12), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["user_account.id"], name=op.f("fk_list_transition_actor_id_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["list_id"],
            ["list_of_observations.id"],
            name=op.f("fk_list_transition_list_id_list_of_observations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_list_transition")),
    )
    with op.batch_alter_table("list_transition", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_list_transition_list_id"), ["list_id"], unique=False)

    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.add_column(sa.Column("phase_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_review_phase_id"), ["phase_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_review_phase_id_review_phase"), "review_phase", ["phase_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_review_phase_id_review_phase"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_review_phase_id"))
        batch_op.drop_column("phase_id")

    with op.batch_alter_table("list_transition", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_list_transition_list_id"))

    op.drop_table("list_transition")
    with op.batch_alter_table("review_assignment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_assignment_reviewing_state"))
        batch_op.drop_index(batch_op.f("ix_review_assignment_review_id"))

    op.drop_table("review_assignment")
    with op.batch_alter_table("observation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_observation_review_id"))

    op.drop_table("observation")
    op.drop_table("list_of_observations")
    with op.batch_alter_table("dialogue_message", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dialogue_message_review_id"))

    op.drop_table("dialogue_message")
    with op.batch_alter_table("review_draw", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_draw_phase_id"))

    op.drop_table("review_draw")
    op.drop_table("review_phase")
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_message_sent_at"))

    op.drop_table("outbox_message")
