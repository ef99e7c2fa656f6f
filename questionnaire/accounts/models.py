"""User accounts, their second factor, and failed logins."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field, SQLModel

from questionnaire.db import utcnow

LOGIN_FAILURE_KINDS = ("password", "code")


class User(SQLModel, table=True):
    """A person with an account: a State's respondent or reviewer, or secretariat staff."""

    __tablename__ = "user_account"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True, description="login, lower case")
    full_name: str = Field(max_length=200, description="name as nominated")
    password_hash: str | None = Field(default=None, max_length=200, description="argon2id hash")
    state_code: str | None = Field(
        default=None,
        foreign_key="state.code",
        max_length=3,
        description="the State the user acts for; none for the secretariat",
    )
    is_secretariat: bool = Field(default=False, description="UNODC secretariat staff")
    is_active: bool = Field(default=True, description="may log in")
    locale: str = Field(default="en", max_length=5, description="interface language")
    session_nonce: str = Field(
        default="0", max_length=32, description="changes to end every session of the user"
    )
    created_at: datetime = Field(default_factory=utcnow, description="UTC")
    last_login_at: datetime | None = Field(default=None, description="UTC")
    activated_at: datetime | None = Field(
        default=None, description="UTC, when the user first chose a password"
    )
    activation_sent_at: datetime | None = Field(
        default=None, description="UTC, when the last activation link was sent"
    )
    password_changed_at: datetime | None = Field(default=None, description="UTC")
    password_reset_sent_at: datetime | None = Field(
        default=None, description="UTC, when the last reset link was sent (limits e-mails)"
    )
    totp_seed: str | None = Field(
        default=None,
        max_length=64,
        description="random seed; the TOTP secret is derived from it with a server key",
    )
    totp_enabled_at: datetime | None = Field(
        default=None, description="UTC; set once the user proved the authenticator works"
    )
    totp_last_step: int | None = Field(
        default=None, description="last accepted TOTP time step; codes up to it are refused"
    )

    # Flask-Login protocol. Written out rather than inherited from UserMixin, whose
    # `is_active` property would shadow the column above.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_nonce}"

    @property
    def has_two_factor(self) -> bool:
        return self.totp_enabled_at is not None and self.totp_seed is not None


class RecoveryCode(SQLModel, table=True):
    """A single-use code that replaces the authenticator once; only its hash is kept."""

    __tablename__ = "recovery_code"
    __table_args__ = (UniqueConstraint("user_id", "code_hash"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True, description="the owner")
    code_hash: str = Field(max_length=64, description="SHA-256 (hex) of the normalised code")
    created_at: datetime = Field(default_factory=utcnow, description="UTC")
    used_at: datetime | None = Field(default=None, description="UTC; a used code is refused")


class LoginFailure(SQLModel, table=True):
    """A failed password or code for an e-mail address, known or not, from a client address;
    counted for lockouts (accounts.lockout)."""

    __tablename__ = "login_failure"
    __table_args__ = (CheckConstraint("kind IN ('password', 'code')", name="kind"),)

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, index=True, description="as typed, normalised")
    client_address: str = Field(
        default="", max_length=64, index=True, description="the client's IP address"
    )
    kind: str = Field(max_length=8, description="password or code")
    at: datetime = Field(default_factory=utcnow, index=True, description="UTC")
