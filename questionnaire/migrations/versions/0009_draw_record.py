"""the record of a drawing of lots

A draw keeps where its seed came from, the version of the procedure it followed and whether
mutual pairs had to be allowed; a phase keeps how entities in no regional group are drawn.
One active reviewing State per review and seat (a partial unique index), so that two draws
at once cannot both seat their States. The split of States into groups drawn by lot is kept.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 07:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

#: Data fix: seats that a concurrent second draw added next to the first one's are ended, the
#: earliest active seat of each review and seat being kept, before the unique index is made.
END_DUPLICATE_SEATS = """
UPDATE review_assignment SET is_active = :no, ended_at = CURRENT_TIMESTAMP,
    end_reason = 'Ended by migration 0009: a second draw made at the same time'
WHERE is_active = :yes AND EXISTS (
    SELECT 1 FROM review_assignment AS earlier
    WHERE earlier.review_id = review_assignment.review_id
      AND earlier.seat = review_assignment.seat
      AND earlier.is_active = :yes
      AND earlier.id < review_assignment.id
)
"""


def upgrade() -> None:
    with op.batch_alter_table("review_draw") as batch:
        batch.add_column(
            sa.Column(
                "seed_source",
                sa.String(length=80),
                nullable=False,
                server_default="not recorded (drawn before seed sources were kept)",
            )
        )
        batch.add_column(sa.Column("procedure_version", sa.String(length=40), nullable=True))
        batch.add_column(sa.Column("used_mutual_fallback", sa.Boolean(), nullable=True))
    with op.batch_alter_table("review_phase") as batch:
        batch.add_column(
            sa.Column(
                "no_group_rule", sa.String(length=20), nullable=False, server_default="any_group"
            )
        )
    op.get_bind().execute(sa.text(END_DUPLICATE_SEATS), {"yes": True, "no": False})
    op.create_index(
        "uq_review_assignment_active_seat",
        "review_assignment",
        ["review_id", "seat"],
        unique=True,
        sqlite_where=sa.text("is_active"),
        postgresql_where=sa.text("is_active"),
    )
    op.create_table(
        "state_group_draw",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seed", sa.String(length=64), nullable=False),
        sa.Column("seed_source", sa.String(length=80), nullable=False),
        sa.Column("procedure_version", sa.String(length=40), nullable=False),
        sa.Column("inputs", sa.JSON(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_state_group_draw_created_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_state_group_draw")),
    )


def downgrade() -> None:
    op.drop_table("state_group_draw")
    op.drop_index("uq_review_assignment_active_seat", table_name="review_assignment")
    with op.batch_alter_table("review_phase") as batch:
        batch.drop_column("no_group_rule")
    with op.batch_alter_table("review_draw") as batch:
        batch.drop_column("used_mutual_fallback")
        batch.drop_column("procedure_version")
        batch.drop_column("seed_source")
