"""Messages waiting to be sent, kept after sending as a record."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from questionnaire.db import utcnow


class OutboxMessage(SQLModel, table=True):
    """An e-mail written in the same transaction as the change it tells about."""

    __tablename__ = "outbox_message"

    id: int | None = Field(default=None, primary_key=True)
    to_email: str = Field(max_length=254, index=True, description="recipient")
    subject: str = Field(max_length=200)
    body: str = Field(description="plain text")
    carries_link: bool = Field(
        default=False,
        description="holds a personal link (activation, reset): the text is dropped once sent",
    )
    created_at: datetime = Field(default_factory=utcnow, description="UTC")
    sent_at: datetime | None = Field(default=None, index=True, description="UTC, once sent")
    attempts: int = Field(default=0, description="delivery attempts so far")
    next_attempt_at: datetime | None = Field(
        default=None, description="UTC; after a failure, not tried again before then"
    )
    last_error: str | None = Field(default=None, description="the last delivery error")
