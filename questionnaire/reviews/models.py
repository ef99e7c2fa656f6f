"""Reviews and the roles people hold in them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import CheckConstraint, Column, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from questionnaire.db import JSONColumn, utcnow

SEATS = ("same_region", "other_region")
ROLES = ("focal_point", "expert", "observer", "reviewer")
RESPONDENT_ROLES = ("focal_point", "expert", "observer")
REVIEW_STATUSES = ("answering", "submitted")


class Review(SQLModel, table=True):
    """The review of one State on one instrument's questionnaire (one bank version)."""

    __tablename__ = "review"
    __table_args__ = (CheckConstraint("status IN ('answering', 'submitted')", name="status"),)

    id: int | None = Field(default=None, primary_key=True)
    phase_id: int | None = Field(
        default=None, foreign_key="review_phase.id", index=True, description="the review phase"
    )
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
        # One focal point per review, whatever two requests do at the same moment.
        Index(
            "uq_review_membership_focal_point",
            "review_id",
            unique=True,
            sqlite_where=text("role = 'focal_point'"),
            postgresql_where=text("role = 'focal_point'"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="review.id", index=True, description="the review")
    user_id: int = Field(foreign_key="user_account.id", index=True, description="the person")
    role: str = Field(max_length=12, description="focal_point, expert, observer or reviewer")
    nomination_id: int | None = Field(
        default=None,
        foreign_key="nomination.id",
        index=True,
        description="the nomination it comes from; ending that nomination removes it",
    )
    created_at: datetime = Field(default_factory=utcnow, description="UTC")


class ReviewPhase(SQLModel, table=True):
    """A phase of country reviews: one cluster, a group of States, a start date."""

    __tablename__ = "review_phase"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120, description="e.g. Cluster I, group 1")
    cluster: str = Field(max_length=4, description="review cluster, I to IV")
    started_on: date = Field(description="start of the phase's reviews")
    max_reviews_per_state: int = Field(
        default=3, description="how many States one State may review in this phase"
    )
    no_group_rule: str = Field(
        default="any_group",
        max_length=20,
        description="how entities in no regional group are drawn: any_group, "
        "other_region_only or excluded",
    )
    # The durations of the phase's deadlines, set on the phase form; none: the application's
    # (REVIEW_DEADLINES), as for phases opened before the form had them.
    focal_point_days: int | None = Field(
        default=None, description="days from the start to name the focal points"
    )
    experts_days: int | None = Field(
        default=None, description="days from the start to name the governmental experts"
    )
    answers_months: int | None = Field(
        default=None, description="months from the start to submit the answers"
    )
    feedback_months: int | None = Field(
        default=None,
        description="months from the submission of the answers for the written feedback",
    )
    created_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    created_at: datetime = Field(default_factory=utcnow, description="UTC")


class ReviewDraw(SQLModel, table=True):
    """One drawing of lots, stored so it can be reproduced: seed, inputs and result."""

    __tablename__ = "review_draw"
    __table_args__ = (CheckConstraint("kind IN ('draw', 'replacement')", name="kind"),)

    id: int | None = Field(default=None, primary_key=True)
    phase_id: int = Field(foreign_key="review_phase.id", index=True, description="the phase")
    kind: str = Field(default="draw", max_length=12, description="draw or replacement")
    seed: str = Field(max_length=64, description="seed of the random generator")
    seed_source: str = Field(
        default="", max_length=80, description="where the seed came from (server or fixed)"
    )
    procedure_version: str | None = Field(
        default=None, max_length=40, description="version of docs/drawing-of-lots.md followed"
    )
    used_mutual_fallback: bool | None = Field(
        default=None, description="whether mutual pairs had to be allowed to complete the draw"
    )
    inputs: Any = Field(
        sa_column=Column(JSONColumn, nullable=False),
        description="States, groups, parties and rules the draw used",
    )
    result: Any = Field(sa_column=Column(JSONColumn, nullable=False), description="the seats drawn")
    reason: str | None = Field(default=None, description="why a seat was drawn again")
    created_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    created_at: datetime = Field(default_factory=utcnow, description="UTC")


class ReviewAssignment(SQLModel, table=True):
    """A reviewing State's seat on one review (one State under review, one instrument)."""

    __tablename__ = "review_assignment"
    __table_args__ = (
        CheckConstraint("seat IN ('same_region', 'other_region')", name="seat"),
        # One active reviewing State per review and seat, whatever the requests do at once.
        Index(
            "uq_review_assignment_active_seat",
            "review_id",
            "seat",
            unique=True,
            sqlite_where=text("is_active"),
            postgresql_where=text("is_active"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="review.id", index=True, description="the review")
    reviewing_state: str = Field(
        foreign_key="state.code", max_length=3, index=True, description="the reviewing State"
    )
    seat: str = Field(max_length=14, description="same_region or other_region")
    is_additional: bool = Field(
        default=False,
        description="drawn because the first reviewer of the seat is not party to this instrument",
    )
    draw_id: int = Field(foreign_key="review_draw.id", description="the draw that chose it")
    is_active: bool = Field(default=True, description="false once replaced")
    ended_at: datetime | None = Field(default=None, description="when it was replaced (UTC)")
    end_reason: str | None = Field(default=None, description="why it was replaced")


class StateGroupDraw(SQLModel, table=True):
    """The split of States by lot into groups that start their reviews in consecutive years."""

    __tablename__ = "state_group_draw"

    id: int | None = Field(default=None, primary_key=True)
    seed: str = Field(max_length=64, description="seed of the random generator")
    seed_source: str = Field(max_length=80, description="where the seed came from")
    procedure_version: str = Field(max_length=40, description="version of the procedure")
    inputs: Any = Field(
        sa_column=Column(JSONColumn, nullable=False),
        description="the States split, the sizes of the groups and the first year",
    )
    result: Any = Field(
        sa_column=Column(JSONColumn, nullable=False),
        description="the groups: number, year they start and their States",
    )
    created_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    created_at: datetime = Field(default_factory=utcnow, description="UTC")
