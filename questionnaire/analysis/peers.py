"""Reciprocity: only the States that provide data may see the data provided by others.

A State that submitted its answers to a questionnaire version reads that version's
consolidated analysis: confidential answers left out, shares (and, for peers, the answers
themselves) hidden where too few States answered, and no other State named unless that State
agreed to be named to its peers. The focal point of the State's submitted review gives or
withdraws that agreement.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from questionnaire.accounts.models import User
from questionnaire.analysis.models import PeerSharingConsent
from questionnaire.audit.services import record
from questionnaire.db import id_of
from questionnaire.reviews.models import Review
from questionnaire.reviews.services import focal_point_of
from questionnaire.reviews.submitted import SUBMITTED


def submitted_review(db: Session, state_code: str, bank_version_id: int) -> Review | None:
    """The State's latest submitted review of this questionnaire version, if it submitted."""
    return db.exec(
        select(Review)
        .where(
            col(Review.state_code) == state_code,
            col(Review.bank_version_id) == bank_version_id,
            col(Review.status) == SUBMITTED,
        )
        .order_by(col(Review.submitted_at).desc(), col(Review.id).desc())
    ).first()


def submitted_versions(db: Session, state_code: str) -> set[int]:
    """The questionnaire versions to which the State has submitted its answers."""
    return set(
        db.exec(
            select(Review.bank_version_id).where(
                col(Review.state_code) == state_code, col(Review.status) == SUBMITTED
            )
        )
    )


def named_states(db: Session, bank_version_id: int, reader_state: str) -> frozenset[str]:
    """The States a peer may see named: those that agreed, and the reader's own."""
    agreed = db.exec(
        select(Review.state_code)
        .join(PeerSharingConsent, col(PeerSharingConsent.review_id) == Review.id)
        .where(col(Review.bank_version_id) == bank_version_id, col(Review.status) == SUBMITTED)
    )
    return frozenset([*agreed, reader_state])


def consent_of(db: Session, review: Review) -> PeerSharingConsent | None:
    return db.get(PeerSharingConsent, id_of(review))


def may_decide_naming(db: Session, review: Review, user: User) -> bool:
    """Only the focal point of the State's review decides whether the State is named."""
    focal_point = focal_point_of(db, review)
    return focal_point is not None and focal_point.user_id == user.id


def set_naming(db: Session, review: Review, user: User, *, named: bool) -> None:
    """Give or withdraw the State's agreement to be named to its peers; audited."""
    consent = consent_of(db, review)
    if named == (consent is not None):
        return
    if named:
        db.add(PeerSharingConsent(review_id=id_of(review), given_by_id=id_of(user)))
    else:
        db.delete(consent)
    record(
        db,
        actor=user,
        action="peer_naming.give" if named else "peer_naming.withdraw",
        object_type="review",
        object_id=review.id,
        review_id=review.id,
        before={"named_to_peers": not named},
        after={"named_to_peers": named},
    )
    db.flush()
