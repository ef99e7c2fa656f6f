"""Who sits in a review, and so who is told about what happens in it."""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session, col, select

from questionnaire.accounts.models import User
from questionnaire.reviews.models import Review, ReviewAssignment, ReviewMembership


def seated_states(db: Session, review: Review) -> list[str]:
    """The reviewing States holding an active seat on `review`."""
    return sorted(
        set(
            db.exec(
                select(ReviewAssignment.reviewing_state).where(
                    ReviewAssignment.review_id == review.id,
                    col(ReviewAssignment.is_active).is_(True),
                )
            ).all()
        )
    )


def respondents(db: Session, review: Review, roles: Iterable[str]) -> list[User]:
    """People of the State under review with one of `roles` in the review."""
    return list(
        db.exec(
            select(User)
            .join(ReviewMembership, col(ReviewMembership.user_id) == User.id)
            .where(
                ReviewMembership.review_id == review.id,
                col(ReviewMembership.role).in_(list(roles)),
                User.state_code == review.state_code,
            )
            .order_by(col(User.id))
        ).all()
    )


def reviewers(db: Session, review: Review, state: str | None = None) -> list[User]:
    """The reviewers of States seated on `review` (of one State when `state` is given)."""
    states = [state] if state else seated_states(db, review)
    return list(
        db.exec(
            select(User)
            .join(ReviewMembership, col(ReviewMembership.user_id) == User.id)
            .where(
                ReviewMembership.review_id == review.id,
                ReviewMembership.role == "reviewer",
                col(User.state_code).in_(states),
            )
            .order_by(col(User.id))
        ).all()
    )


def secretariat(db: Session) -> list[User]:
    """Every active member of the secretariat."""
    return list(
        db.exec(
            select(User)
            .where(col(User.is_secretariat).is_(True), col(User.is_active).is_(True))
            .order_by(col(User.id))
        ).all()
    )


def everyone_but(db: Session, review: Review, author: User | None) -> list[User]:
    """The review's people (reviewers only while their State is seated), the author aside."""
    people = respondents(db, review, ("focal_point", "expert", "observer"))
    people += reviewers(db, review)
    return [user for user in people if author is None or user.id != author.id]
