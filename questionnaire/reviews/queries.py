"""Read-only questions about reviews, shared by views and services."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from questionnaire.accounts.models import User
from questionnaire.banks.models import BankVersion
from questionnaire.reference.models import State
from questionnaire.reviews.models import Review, ReviewMembership


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
    return [ReviewRow(r, s, b, roles[r.id]) for r, s, b in db.exec(query)]


def membership(db: Session, review_id: int, user_id: int) -> ReviewMembership | None:
    return db.exec(
        select(ReviewMembership).where(
            ReviewMembership.review_id == review_id, ReviewMembership.user_id == user_id
        )
    ).first()
