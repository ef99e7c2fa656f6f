"""Read-only questions about reviews, shared by views and services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from questionnaire.accounts.models import User
from questionnaire.banks.models import BankVersion
from questionnaire.observations.models import (
    LIST_STATUSES,
    DialogueMessage,
    ListOfObservations,
    Observation,
)
from questionnaire.reference.models import State
from questionnaire.reviews.deadlines import Deadlines
from questionnaire.reviews.models import Review, ReviewAssignment, ReviewMembership, ReviewPhase


@dataclass(frozen=True)
class ReviewRow:
    """A review as listed on someone's home page."""

    review: Review
    state: State
    bank_version: BankVersion
    role: str


def reviews_for(db: Session, user: User) -> list[ReviewRow]:
    """The reviews `user` takes part in (every review for the secretariat)."""
    query = (
        select(Review, State, BankVersion)
        .join(State, State.code == Review.state_code)  # type: ignore[arg-type]
        .join(BankVersion, BankVersion.id == Review.bank_version_id)  # type: ignore[arg-type]
        .order_by(State.name_en, BankVersion.instrument)
    )
    if user.is_secretariat:
        return [ReviewRow(r, s, b, "secretariat") for r, s, b in db.exec(query)]
    roles = dict(
        db.exec(
            select(ReviewMembership.review_id, ReviewMembership.role).where(
                ReviewMembership.user_id == user.id
            )
        ).all()
    )
    if not roles:
        return []
    query = query.where(Review.id.in_(roles))  # type: ignore[union-attr]
    return [ReviewRow(r, s, b, roles[r.id]) for r, s, b in db.exec(query) if r.id is not None]


def membership(db: Session, review_id: int, user_id: int) -> ReviewMembership | None:
    return db.exec(
        select(ReviewMembership).where(
            ReviewMembership.review_id == review_id, ReviewMembership.user_id == user_id
        )
    ).first()


@dataclass(frozen=True)
class DashboardRow:
    """One review on the secretariat's dashboard, with what is overdue."""

    review: Review
    state: State
    instrument: str
    phase_name: str | None
    reviewers: tuple[str, ...]
    list_status: str
    overdue: tuple[str, ...]


@dataclass(frozen=True)
class DashboardFilters:
    phase_id: int | None = None
    instrument: str | None = None
    region: str | None = None
    status: str | None = None


def dashboard(
    db: Session, filters: DashboardFilters, deadlines: Deadlines, today: date
) -> list[DashboardRow]:
    """Every review matching the filters, with its reviewers and overdue items."""
    query = (
        select(Review, State, BankVersion.instrument, ReviewPhase.name)
        .join(State, col(State.code) == Review.state_code)
        .join(BankVersion, col(BankVersion.id) == Review.bank_version_id)
        .join(ReviewPhase, col(ReviewPhase.id) == Review.phase_id, isouter=True)
        .order_by(col(State.name_en), col(BankVersion.instrument))
    )
    if filters.phase_id:
        query = query.where(Review.phase_id == filters.phase_id)
    if filters.instrument:
        query = query.where(BankVersion.instrument == filters.instrument)
    if filters.region:
        query = query.where(State.regional_group == filters.region)
    if filters.status in ("answering", "submitted"):
        query = query.where(Review.status == filters.status)
    rows = db.exec(query).all()
    ids = [review.id for review, *_ in rows]
    roles = _count_by(
        db,
        select(ReviewMembership.review_id, ReviewMembership.role, func.count())
        .where(col(ReviewMembership.review_id).in_(ids))
        .group_by(col(ReviewMembership.review_id), col(ReviewMembership.role)),
    )
    feedback = dict(
        db.exec(
            select(DialogueMessage.review_id, func.count())
            .where(col(DialogueMessage.review_id).in_(ids), DialogueMessage.kind == "request")
            .group_by(col(DialogueMessage.review_id))
        ).all()
    )
    observed = dict(
        db.exec(
            select(Observation.review_id, func.count())
            .where(col(Observation.review_id).in_(ids))
            .group_by(col(Observation.review_id))
        ).all()
    )
    lists = dict(
        db.exec(
            select(ListOfObservations.review_id, ListOfObservations.status).where(
                col(ListOfObservations.review_id).in_(ids)
            )
        ).all()
    )
    reviewers: dict[int, list[str]] = {}
    for assignment in db.exec(
        select(ReviewAssignment).where(
            col(ReviewAssignment.review_id).in_(ids), col(ReviewAssignment.is_active).is_(True)
        )
    ):
        reviewers.setdefault(assignment.review_id, []).append(assignment.reviewing_state)
    result = []
    for review, state, instrument, phase_name in rows:
        review_id: Any = review.id  # always set on rows read from the database
        overdue = _overdue(
            review, roles, feedback.get(review_id, 0) + observed.get(review_id, 0), deadlines, today
        )
        list_status = lists.get(review_id, "drafting" if review.status == "submitted" else "")
        if filters.status and filters.status not in ("answering", "submitted"):
            if filters.status == "overdue" and not overdue:
                continue
            if filters.status in LIST_STATUSES and list_status != filters.status:
                continue
        result.append(
            DashboardRow(
                review,
                state,
                instrument,
                phase_name,
                tuple(sorted(reviewers.get(review_id, []))),
                list_status,
                overdue,
            )
        )
    return result


def _count_by(db: Session, query) -> dict[tuple[Any, str], int]:  # type: ignore[no-untyped-def]
    return {(review_id, role): count for review_id, role, count in db.exec(query).all()}


def _overdue(
    review: Review,
    roles: dict[tuple[Any, str], int],
    feedback: int,
    deadlines: Deadlines,
    today: date,
) -> tuple[str, ...]:
    items = []
    if not roles.get((review.id, "focal_point")) and today > deadlines.focal_point_due(
        review.started_on
    ):
        items.append("focal_point")
    if not roles.get((review.id, "expert")) and today > deadlines.experts_due(review.started_on):
        items.append("experts")
    if review.status == "answering" and today > review.answers_due_on:
        items.append("answers")
    if (
        review.status == "submitted"
        and review.submitted_at is not None
        and not feedback
        and today > deadlines.feedback_due(review.submitted_at.date())
    ):
        items.append("feedback")
    return tuple(items)
