"""Reminders already sent."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from questionnaire.db import utcnow


class ReminderSent(SQLModel, table=True):
    """One deadline reminder: an item (e.g. a review's answers) at one threshold before or
    after its due date. The unique key makes `reminders send` idempotent."""

    __tablename__ = "reminder_sent"
    __table_args__ = (UniqueConstraint("item", "due_on", "threshold"),)

    id: int | None = Field(default=None, primary_key=True)
    item: str = Field(max_length=80, description="what is due, e.g. answers:12")
    due_on: date = Field(description="the deadline the reminder was about")
    threshold: str = Field(max_length=12, description="days before (14, 7, 1) or overdue")
    recipients: int = Field(default=0, description="how many people were written to")
    sent_at: datetime = Field(default_factory=utcnow, description="UTC")
