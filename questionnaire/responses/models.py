"""Answers, their history, and the progress of sections."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from questionnaire.db import JSONColumn, utcnow

REVISION_KINDS = ("save", "autosave", "carry_forward", "confirm", "flag")


class Answer(SQLModel, table=True):
    """A State's current answer to one question of a review."""

    __tablename__ = "answer"
    __table_args__ = (UniqueConstraint("review_id", "question_key"),)

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="review.id", index=True, description="the review")
    question_key: str = Field(max_length=60, description="stable key of the question")
    value: Any = Field(
        default=None,
        sa_column=Column(JSONColumn, nullable=True),
        description="text, option key, or list of option keys or links",
    )
    is_confidential: bool = Field(
        default=False, description="reviewers and secretariat only, never published"
    )
    version: int = Field(default=1, description="increases with every change; guards conflicts")
    language: str = Field(default="en", max_length=5, description="language it was written in")
    is_carried_forward: bool = Field(
        default=False, description="copied from an earlier answer, not yet confirmed"
    )
    carried_from: str | None = Field(
        default=None, max_length=120, description="where a carried-forward answer came from"
    )
    carried_from_review_id: int | None = Field(
        default=None, foreign_key="review.id", description="the submitted review it came from"
    )
    updated_at: datetime = Field(default_factory=utcnow, description="UTC")
    updated_by_id: int | None = Field(
        default=None, foreign_key="user_account.id", description="who changed it last"
    )


class AnswerRevision(SQLModel, table=True):
    """The state of an answer after one change; only one person's consecutive autosaves of
    the text are coalesced (questionnaire.responses.revisions)."""

    __tablename__ = "answer_revision"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('save', 'autosave', 'carry_forward', 'confirm', 'flag')", name="kind"
        ),
        # An answer's latest revision, read by every save, without sorting its history.
        Index("ix_answer_revision_latest", "answer_id", "version", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    answer_id: int = Field(foreign_key="answer.id", description="the answer")
    version: int = Field(description="the answer's version after this change")
    kind: str = Field(max_length=16, description="save, autosave, carry_forward, confirm or flag")
    value: Any = Field(default=None, sa_column=Column(JSONColumn, nullable=True))
    is_confidential: bool = Field(default=False, description="the flag after this change")
    language: str = Field(default="en", max_length=5, description="language of the value")
    changed_by_id: int | None = Field(
        default=None, foreign_key="user_account.id", description="who made the change"
    )
    started_at: datetime = Field(default_factory=utcnow, description="first change (UTC)")
    changed_at: datetime = Field(default_factory=utcnow, description="last change (UTC)")


class SectionProgress(SQLModel, table=True):
    """Whether the respondents have marked a section of a review complete."""

    __tablename__ = "section_progress"
    __table_args__ = (UniqueConstraint("review_id", "section_key"),)

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="review.id", index=True, description="the review")
    section_key: str = Field(max_length=40, description="the bank section")
    is_complete: bool = Field(default=False, description="marked complete by an expert")
    updated_at: datetime = Field(default_factory=utcnow, description="UTC")
    updated_by_id: int | None = Field(
        default=None, foreign_key="user_account.id", description="who marked it"
    )
