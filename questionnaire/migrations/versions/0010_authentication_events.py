"""authentication events and lockouts per address and account

Failed logins remember the client address they came from: lockouts count failures per
address and account, so that nobody can lock an account for everyone. The audit log keeps
the e-mail address given and the client address of authentication events (logins, logouts,
failures, lockouts), so that the secretariat can filter on them.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 07:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("login_failure") as batch:
        batch.add_column(
            sa.Column("client_address", sa.String(length=64), nullable=False, server_default="")
        )
        batch.create_index(batch.f("ix_login_failure_client_address"), ["client_address"])
    with op.batch_alter_table("audit_entry") as batch:
        batch.add_column(sa.Column("login_email", sa.String(length=254), nullable=True))
        batch.add_column(sa.Column("client_address", sa.String(length=64), nullable=True))
        batch.create_index(batch.f("ix_audit_entry_client_address"), ["client_address"])


def downgrade() -> None:
    with op.batch_alter_table("audit_entry") as batch:
        batch.drop_index(batch.f("ix_audit_entry_client_address"))
        batch.drop_column("client_address")
        batch.drop_column("login_email")
    with op.batch_alter_table("login_failure") as batch:
        batch.drop_index(batch.f("ix_login_failure_client_address"))
        batch.drop_column("client_address")
