"""The audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Column, Index
from sqlmodel import Field, SQLModel

from questionnaire.db import JSONColumn, utcnow


class AuditEntry(SQLModel, table=True):
    """One change: who, when, what, the values before and after, and why."""

    __tablename__ = "audit_entry"
    __table_args__ = (Index("ix_audit_entry_object", "object_type", "object_id"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, description="UTC")
    actor_id: int | None = Field(
        default=None,
        foreign_key="user_account.id",
        description="who made the change; none for the system",
    )
    action: str = Field(max_length=40, description="e.g. answer.save, review.submit")
    object_type: str = Field(max_length=40, description="table of the changed object")
    object_id: str = Field(max_length=40, description="its key")
    review_id: int | None = Field(
        default=None,
        foreign_key="review.id",
        index=True,
        description="the review concerned, if any",
    )
    before: Any = Field(default=None, sa_column=Column(JSONColumn, nullable=True))
    after: Any = Field(default=None, sa_column=Column(JSONColumn, nullable=True))
    reason: str | None = Field(default=None, description="the reason given, where one is required")
    login_email: str | None = Field(
        default=None,
        max_length=254,
        description="authentication events: the e-mail address given (never the password)",
    )
    client_address: str | None = Field(
        default=None,
        max_length=64,
        index=True,
        description="authentication events: the client's IP address",
    )
