"""Files a State attaches to its review as reference material, stored in the database."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, LargeBinary
from sqlmodel import Field, SQLModel

from questionnaire.db import utcnow


class ReviewAttachment(SQLModel, table=True):
    """A State's reply to an earlier questionnaire (a PDF, a spreadsheet, a document),
    readable by the State, the review's reviewers and the secretariat; never published."""

    __tablename__ = "review_attachment"

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="review.id", index=True, description="the review")
    filename: str = Field(max_length=200, description="the file's name as uploaded")
    media_type: str = Field(max_length=100, description="the type read from the content")
    size_bytes: int = Field(description="the file's size")
    description: str = Field(
        default="", max_length=300, description="what it is: the questionnaire and the year"
    )
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False), description="the file")
    uploaded_by_id: int | None = Field(
        default=None, foreign_key="user_account.id", description="who attached it"
    )
    uploaded_at: datetime = Field(default_factory=utcnow, description="UTC")
