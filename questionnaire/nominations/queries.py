"""Read-only questions about nominations, for the secretariat's pages."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, col, or_, select

from questionnaire.accounts.models import User
from questionnaire.banks.models import BankVersion
from questionnaire.db import id_of
from questionnaire.nominations.models import Nomination
from questionnaire.reviews.models import Review, ReviewAssignment, ReviewMembership, ReviewPhase


@dataclass(frozen=True)
class Member:
    """A person with a role in a review, and the nomination it comes from (None for a role
    given before nominations were recorded)."""

    user: User
    role: str
    nomination: Nomination | None


@dataclass
class ReviewingState:
    """A State holding seats on the review, and the people it has named to them."""

    code: str
    seats: list[ReviewAssignment] = field(default_factory=list)
    members: list[Member] = field(default_factory=list)


@dataclass
class ReviewPeople:
    """Everyone named to one review, by side, and the nominations that have ended."""

    state_side: list[Member]
    reviewing: list[ReviewingState]
    ended: list[tuple[Nomination, User]]


def review_people(db: Session, review: Review) -> ReviewPeople:
    """The people of a review: the State's, then each reviewing State's with its seats."""
    rows = db.exec(
        select(ReviewMembership, User, Nomination)
        .join(User, col(User.id) == ReviewMembership.user_id)
        .join(Nomination, col(Nomination.id) == ReviewMembership.nomination_id, isouter=True)
        .where(ReviewMembership.review_id == review.id)
        .order_by(col(ReviewMembership.role), col(User.full_name))
    ).all()
    seats = db.exec(
        select(ReviewAssignment)
        .where(ReviewAssignment.review_id == review.id, col(ReviewAssignment.is_active).is_(True))
        .order_by(col(ReviewAssignment.seat), col(ReviewAssignment.id))
    ).all()
    reviewing: dict[str, ReviewingState] = {}
    for seat in seats:
        reviewing.setdefault(
            seat.reviewing_state, ReviewingState(seat.reviewing_state)
        ).seats.append(seat)
    state_side = []
    for membership, user, nomination in rows:
        role = nomination.role if nomination is not None else membership.role
        member = Member(user, role, nomination)
        if membership.role != "reviewer":
            state_side.append(member)
        elif user.state_code in reviewing:
            reviewing[user.state_code].members.append(member)
    ended = db.exec(
        select(Nomination, User)
        .join(User, col(User.id) == Nomination.user_id)
        .where(col(Nomination.ended_at).is_not(None), _covering(review))
        .order_by(col(Nomination.ended_at).desc())
    ).all()
    return ReviewPeople(state_side, list(reviewing.values()), [(n, u) for n, u in ended])


def _covering(review: Review):  # type: ignore[no-untyped-def]
    """Nominations for the review's State in its phase (or for the review alone)."""
    if review.phase_id is None:
        return col(Nomination.review_id) == review.id
    return (col(Nomination.phase_id) == review.phase_id) & or_(
        col(Nomination.state_under_review) == review.state_code,
        col(Nomination.nominating_state) == review.state_code,
    )


@dataclass(frozen=True)
class NominationRow:
    """A nomination with its person and the reviews it currently gives a role in."""

    nomination: Nomination
    user: User
    reviews: tuple[tuple[int, str], ...]  # (review id, instrument)
    phase_name: str | None = None


def nomination_rows(
    db: Session, *, user_id: int | None = None, state: str | None = None, limit: int = 500
) -> list[NominationRow]:
    """Nominations, newest first: of one person, or of/for one State."""
    query = (
        select(Nomination, User, ReviewPhase.name)
        .join(User, col(User.id) == Nomination.user_id)
        .join(ReviewPhase, col(ReviewPhase.id) == Nomination.phase_id, isouter=True)
        .order_by(col(Nomination.created_at).desc(), col(Nomination.id).desc())
        .limit(limit)
    )
    if user_id is not None:
        query = query.where(Nomination.user_id == user_id)
    if state:
        query = query.where(
            or_(Nomination.nominating_state == state, Nomination.state_under_review == state)
        )
    found = db.exec(query).all()
    ids = [n.id for n, _, _ in found]
    covered: dict[int, list[tuple[int, str]]] = {}
    for nomination_id, review_id, instrument in db.exec(
        select(ReviewMembership.nomination_id, Review.id, BankVersion.instrument)
        .join(Review, col(Review.id) == ReviewMembership.review_id)
        .join(BankVersion, col(BankVersion.id) == Review.bank_version_id)
        .where(col(ReviewMembership.nomination_id).in_(ids))
        .order_by(col(BankVersion.instrument))
    ):
        covered.setdefault(nomination_id, []).append((review_id, instrument))  # type: ignore[arg-type]
    return [NominationRow(n, u, tuple(covered.get(id_of(n), ())), phase) for n, u, phase in found]
