"""A State's nomination of a person to a review, as recorded from its note verbale."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import CheckConstraint, Column
from sqlmodel import Field, SQLModel

from questionnaire.db import JSONColumn, utcnow

#: The roles a State names people to: on the reviewing side, only focal points and experts.
NOMINATION_ROLES = ("focal_point", "expert", "observer")
REVIEWING_ROLES = ("focal_point", "expert")
#: Whose review: the nominating State's own, or one where it holds reviewing seats.
SIDES = ("under_review", "reviewing")


class Nomination(SQLModel, table=True):
    """One person named by one State, for one role, by one note verbale.

    It gives the person a membership in each review it covers (`ReviewMembership.nomination_id`);
    ending it removes those memberships at once and keeps this row as the history.
    """

    __tablename__ = "nomination"
    __table_args__ = (
        CheckConstraint("role IN ('focal_point', 'expert', 'observer')", name="role"),
        CheckConstraint("side IN ('under_review', 'reviewing')", name="side"),
    )

    id: int | None = Field(default=None, primary_key=True)
    nominating_state: str = Field(
        foreign_key="state.code", max_length=3, index=True, description="the State that nominates"
    )
    user_id: int = Field(foreign_key="user_account.id", index=True, description="the person")
    role: str = Field(max_length=12, description="focal_point, expert or observer")
    side: str = Field(max_length=12, description="under_review or reviewing")
    state_under_review: str = Field(
        foreign_key="state.code", max_length=3, index=True, description="whose review it is for"
    )
    phase_id: int | None = Field(
        default=None,
        foreign_key="review_phase.id",
        index=True,
        description="the phase whose reviews of that State it covers",
    )
    review_id: int | None = Field(
        default=None,
        foreign_key="review.id",
        description="the single review it covers, for a review opened outside a phase",
    )
    instruments: Any = Field(
        default_factory=list,
        sa_column=Column(JSONColumn, nullable=False),
        description="instruments covered; empty for all (all the seats, on the reviewing side)",
    )
    note_reference: str = Field(max_length=100, description="reference of the note verbale")
    note_date: date = Field(description="date of the note verbale")
    created_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    created_at: datetime = Field(default_factory=utcnow, description="UTC")
    ended_at: datetime | None = Field(default=None, description="UTC; access ended then")
    ended_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    end_reason: str | None = Field(default=None, description="why the membership ended")

    @property
    def is_active(self) -> bool:
        return self.ended_at is None
