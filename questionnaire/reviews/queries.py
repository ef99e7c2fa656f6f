"""Read-only questions about reviews, shared by views and services."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from questionnaire.accounts.models import User
from questionnaire.banks.models import BankVersion
from questionnaire.reference.models import State
from questionnaire.reviews.models import (
    Review,
    ReviewAssignment,
    ReviewDraw,
    ReviewMembership,
    ReviewPhase,
)


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


def is_assigned(db: Session, review_id: int, state_code: str | None) -> bool:
    """Whether `state_code` holds an active seat as a reviewing State of the review."""
    if not state_code:
        return False
    found = db.exec(
        select(ReviewAssignment.id).where(
            ReviewAssignment.review_id == review_id,
            ReviewAssignment.reviewing_state == state_code,
            col(ReviewAssignment.is_active).is_(True),
        )
    ).first()
    return found is not None


def is_drawn(db: Session, phase: ReviewPhase) -> bool:
    """Whether the lots of `phase` have been drawn."""
    return (
        db.exec(
            select(ReviewDraw.id).where(ReviewDraw.phase_id == phase.id, ReviewDraw.kind == "draw")
        ).first()
        is not None
    )


@dataclass(frozen=True)
class NamedPerson:
    """Someone named in a review: their name, role and State."""

    user_id: int
    full_name: str
    role: str
    state_code: str


def named_people(db: Session, review_ids: list[int]) -> dict[int, list[NamedPerson]]:
    """Review id -> the people named in it (respondents and reviewers), by name."""
    found: dict[int, list[NamedPerson]] = {}
    for member, user in db.exec(
        select(ReviewMembership, User)
        .join(User, col(User.id) == ReviewMembership.user_id)
        .where(col(ReviewMembership.review_id).in_(review_ids))
        .order_by(col(User.full_name))
    ):
        found.setdefault(member.review_id, []).append(
            NamedPerson(user.id or 0, user.full_name, member.role, user.state_code or "")
        )
    return found


@dataclass(frozen=True)
class DeclinedSeat:
    """A seat that ends when its reviewing State is replaced, and the reviewers it had."""

    assignment: ReviewAssignment
    instrument: str
    reviewers: tuple[str, ...]


def declined_with(db: Session, assignment: ReviewAssignment) -> list[tuple[ReviewAssignment, str]]:
    """The active seats a State declines with `assignment`, with their instruments: a State
    declines its seat for a State under review, so its same seat on every instrument of that
    State in the phase goes (the rule `replacement.replace_reviewer` draws again)."""
    review = db.get(Review, assignment.review_id)
    if review is None:
        return []
    return list(
        db.exec(
            select(ReviewAssignment, BankVersion.instrument)
            .join(Review, col(Review.id) == ReviewAssignment.review_id)
            .join(BankVersion, col(BankVersion.id) == Review.bank_version_id)
            .where(
                Review.state_code == review.state_code,
                Review.phase_id == review.phase_id,
                ReviewAssignment.reviewing_state == assignment.reviewing_state,
                ReviewAssignment.seat == assignment.seat,
                col(ReviewAssignment.is_active).is_(True),
            )
            .order_by(col(BankVersion.instrument))
        ).all()
    )


def seats_declined(db: Session, assignment: ReviewAssignment) -> list[DeclinedSeat]:
    """The seats that replacing `assignment`'s State ends: the State declines the seat for the
    State under review, so its same seat on every instrument of that State in the phase is
    drawn again (the rule of `replacement.replace_reviewer`), with the people it had named there."""
    if not assignment.is_active:
        return []
    rows = declined_with(db, assignment)
    people = named_people(db, [seat.review_id for seat, _ in rows])
    return [
        DeclinedSeat(
            seat,
            instrument,
            tuple(
                person.full_name
                for person in people.get(seat.review_id, [])
                if person.role == "reviewer" and person.state_code == assignment.reviewing_state
            ),
        )
        for seat, instrument in rows
    ]
