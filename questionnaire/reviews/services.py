"""Opening reviews and giving people their roles in them."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import Session, select

from questionnaire.accounts.models import User
from questionnaire.banks.models import BankVersion
from questionnaire.errors import RuleViolation
from questionnaire.reviews.models import RESPONDENT_ROLES, ROLES, Review, ReviewMembership

#: The review mechanism gives States six months to answer the questionnaire.
ANSWER_PERIOD = timedelta(days=183)


def open_review(
    db: Session, *, state_code: str, bank_version: BankVersion, started_on: date
) -> Review:
    """Open the review of a State on a bank version, with its answer deadline."""
    if bank_version.status != "published":
        raise RuleViolation("a review can only use a published questionnaire")
    review = Review(
        state_code=state_code,
        bank_version_id=bank_version.id,  # type: ignore[arg-type]
        started_on=started_on,
        answers_due_on=started_on + ANSWER_PERIOD,
    )
    db.add(review)
    db.flush()
    return review


def add_member(db: Session, review: Review, user: User, role: str) -> ReviewMembership:
    """Give `user` a role in `review`; one focal point per review, respondents of its State."""
    if role not in ROLES:
        raise RuleViolation(f"unknown role {role!r}")
    existing = db.exec(
        select(ReviewMembership).where(
            ReviewMembership.review_id == review.id, ReviewMembership.user_id == user.id
        )
    ).first()
    if existing is not None:
        if existing.role != role:
            raise RuleViolation(f"{user.email} already has the role {existing.role}")
        return existing
    if role in RESPONDENT_ROLES and user.state_code != review.state_code:
        raise RuleViolation("respondents must belong to the State under review")
    if role == "reviewer" and user.state_code in (None, review.state_code):
        raise RuleViolation("reviewers must belong to another State")
    if role == "focal_point" and focal_point_of(db, review) is not None:
        raise RuleViolation("the review already has a focal point")
    membership = ReviewMembership(review_id=review.id, user_id=user.id, role=role)  # type: ignore[arg-type]
    db.add(membership)
    db.flush()
    return membership


def focal_point_of(db: Session, review: Review) -> ReviewMembership | None:
    return db.exec(
        select(ReviewMembership).where(
            ReviewMembership.review_id == review.id, ReviewMembership.role == "focal_point"
        )
    ).first()
