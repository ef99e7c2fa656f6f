"""User accounts."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from questionnaire.db import utcnow


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
