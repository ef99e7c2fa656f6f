"""Tokens of the read-only API."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from questionnaire.db import utcnow


class ApiToken(SQLModel, table=True):
    """A secret that lets a program read the API as a secretariat member; only its SHA-256
    is stored, the token itself is shown once when it is created."""

    __tablename__ = "api_token"
    __table_args__ = (UniqueConstraint("token_hash"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120, description="what the token is for, e.g. 'dashboard sync'")
    token_hash: str = Field(max_length=64, description="SHA-256 (hex) of the token")
    created_by_id: int = Field(
        foreign_key="user_account.id", index=True, description="the secretariat member it acts for"
    )
    created_at: datetime = Field(default_factory=utcnow, description="UTC")
    last_used_at: datetime | None = Field(default=None, description="UTC, last accepted request")
    revoked_at: datetime | None = Field(default=None, description="UTC; refused from then on")

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
