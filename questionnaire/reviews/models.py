"""Reviews and the roles people hold in them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field, SQLModel

from questionnaire.db import utcnow

ROLES = ("focal_point", "expert", "observer", "reviewer")
RESPONDENT_ROLES = ("focal_point", "expert", "observer")
REVIEW_STATUSES = ("answering", "submitted")


class Review(SQLModel, table=True):
    """The review of one State on one instrument's questionnaire (one bank version)."""

    __tablename__ = "review"
    __table_args__ = (CheckConstraint("status IN ('answering', 'submitted')", name="status"),)

    id: int | None = Field(default=None, primary_key=True)
    state_code: str = Field(
        foreign_key="state.code", max_length=3, index=True, description="the State under review"
    )
    bank_version_id: int = Field(
        foreign_key="bank_version.id", description="the questionnaire it answers"
    )
    status: str = Field(default="answering", max_length=12, description="answering or submitted")
    started_on: date = Field(description="start of the review")
    answers_due_on: date = Field(description="deadline for the State's answers")
    created_at: datetime = Field(default_factory=utcnow, description="UTC")
    submitted_at: datetime | None = Field(default=None, description="UTC")
    submitted_by_id: int | None = Field(
        default=None, foreign_key="user_account.id", description="the focal point who submitted"
    )


class ReviewMembership(SQLModel, table=True):
    """A person's role in one review."""

    __tablename__ = "review_membership"
    __table_args__ = (
        UniqueConstraint("review_id", "user_id"),
        CheckConstraint("role IN ('focal_point', 'expert', 'observer', 'reviewer')", name="role"),
    )

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="review.id", index=True, description="the review")
    user_id: int = Field(foreign_key="user_account.id", index=True, description="the person")
    role: str = Field(max_length=12, description="focal_point, expert, observer or reviewer")
    created_at: datetime = Field(default_factory=utcnow, description="UTC")
