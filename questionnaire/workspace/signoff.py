"""The reviewing States' sign-off: the list of observations goes to the State under review only
once every State seated to review it has agreed to it as it stands.

Each reviewing State agrees through its focal point, or an expert the focal point designates.
Where a State has no focal point named in the review (a review set up before nominations were
recorded), each of its reviewers may agree for it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, col, func, select

from questionnaire.accounts.models import User
from questionnaire.audit.services import record
from questionnaire.db import id_of, utcnow
from questionnaire.errors import RuleViolation
from questionnaire.nominations.models import Nomination
from questionnaire.reviews import people
from questionnaire.reviews.models import Review, ReviewMembership
from questionnaire.reviews.people import seated_states
from questionnaire.workspace import events
from questionnaire.workspace.models import (
    ListAgreement,
    ListOfObservations,
    ListSignatory,
    ListTransition,
    Observation,
)


def content_mark(db: Session, lst: ListOfObservations) -> str:
    """A digest of the list as it stands: its observations' versions, the summary's version,
    and how many times it came back to drafting (an agreement holds for one round only)."""
    versions = db.exec(
        select(Observation.id, Observation.version)
        .where(Observation.review_id == lst.review_id, col(Observation.is_deleted).is_(False))
        .order_by(col(Observation.id))
    ).all()
    rounds = db.exec(
        select(func.count())
        .select_from(ListTransition)
        .where(ListTransition.list_id == lst.id, ListTransition.to_status == "drafting")
    ).one()
    text = f"{list(versions)}|{lst.summary_version}|{rounds}"
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class StateSignOff:
    """One reviewing State's position on the list."""

    state: str
    agreement: ListAgreement | None
    is_current: bool  # the agreement is to the list as it stands

    @property
    def has_agreed(self) -> bool:
        return self.agreement is not None and self.is_current


def sign_offs(db: Session, review: Review, lst: ListOfObservations) -> list[StateSignOff]:
    """Every seated reviewing State, with its standing agreement if any."""
    mark = content_mark(db, lst)
    standing = {
        a.reviewing_state: a
        for a in db.exec(
            select(ListAgreement).where(
                ListAgreement.list_id == lst.id, col(ListAgreement.withdrawn_at).is_(None)
            )
        )
    }
    rows = []
    for state in seated_states(db, review):
        agreement = standing.get(state)
        rows.append(
            StateSignOff(state, agreement, bool(agreement and agreement.content_mark == mark))
        )
    return rows


def awaited(db: Session, review: Review, lst: ListOfObservations) -> list[str]:
    """The reviewing States whose agreement to the list as it stands is missing."""
    return [row.state for row in sign_offs(db, review, lst) if not row.has_agreed]


def _focal_points(db: Session, review: Review, state: str) -> set[int]:
    """The users named focal point of reviewing `state` in `review`, by a standing nomination."""
    return set(
        db.exec(
            select(ReviewMembership.user_id)
            .join(Nomination, col(Nomination.id) == ReviewMembership.nomination_id)
            .where(
                ReviewMembership.review_id == review.id,
                Nomination.side == "reviewing",
                Nomination.role == "focal_point",
                Nomination.nominating_state == state,
                col(Nomination.ended_at).is_(None),
            )
        ).all()
    )


def signs_for(db: Session, review: Review, user: User) -> str | None:
    """The reviewing State `user` may agree for on `review`, or None."""
    state = user.state_code
    if not state or state not in seated_states(db, review):
        return None
    role = db.exec(
        select(ReviewMembership.role).where(
            ReviewMembership.review_id == review.id, ReviewMembership.user_id == user.id
        )
    ).first()
    if role != "reviewer":
        return None
    focal_points = _focal_points(db, review, state)
    if not focal_points or user.id in focal_points:
        return state
    designated = db.exec(
        select(ListSignatory.id).where(
            ListSignatory.review_id == review.id, ListSignatory.user_id == user.id
        )
    ).first()
    return state if designated is not None else None


def is_focal_point(db: Session, review: Review, user: User) -> bool:
    """Whether `user` is the focal point of a reviewing State on `review`."""
    return bool(user.state_code) and user.id in _focal_points(db, review, user.state_code or "")


def _require_drafting(lst: ListOfObservations) -> None:
    if lst.status != "drafting":
        raise RuleViolation(
            _l("The list of observations has already been shared with the State under review.")
        )


def agree(db: Session, review: Review, lst: ListOfObservations, user: User) -> ListAgreement:
    """The user's State agrees to the list as it stands (a former agreement is replaced)."""
    _require_drafting(lst)
    state = signs_for(db, review, user)
    if state is None:
        raise RuleViolation(
            _l("Only the focal point of a reviewing State, or an expert they designate, can agree.")
        )
    _end_standing(db, lst, state, user)
    agreement = ListAgreement(
        list_id=id_of(lst),
        reviewing_state=state,
        agreed_by_id=id_of(user),
        content_mark=content_mark(db, lst),
    )
    db.add(agreement)
    db.flush()
    record(
        db,
        actor=user,
        action="list.agree",
        object_type="list_of_observations",
        object_id=lst.id,
        review_id=review.id,
        after={"reviewing_state": state},
    )
    missing = awaited(db, review, lst)
    events.list_agreement(db, review, user, reviewing_state=state, agreed=True, awaited=missing)
    return agreement


def withdraw(db: Session, review: Review, lst: ListOfObservations, user: User) -> None:
    """The user's State withdraws its agreement; possible until the list is shared."""
    _require_drafting(lst)
    state = signs_for(db, review, user)
    if state is None or not _end_standing(db, lst, state, user):
        raise RuleViolation(_l("Your State has not agreed to the list of observations."))
    record(
        db,
        actor=user,
        action="list.agreement_withdraw",
        object_type="list_of_observations",
        object_id=lst.id,
        review_id=review.id,
        before={"reviewing_state": state},
    )
    missing = awaited(db, review, lst)
    events.list_agreement(db, review, user, reviewing_state=state, agreed=False, awaited=missing)
    db.flush()


def _end_standing(db: Session, lst: ListOfObservations, state: str, user: User) -> bool:
    standing = db.exec(
        select(ListAgreement).where(
            ListAgreement.list_id == lst.id,
            ListAgreement.reviewing_state == state,
            col(ListAgreement.withdrawn_at).is_(None),
        )
    ).all()
    for agreement in standing:
        agreement.withdrawn_at = utcnow()
        agreement.withdrawn_by_id = user.id
        db.add(agreement)
    return bool(standing)


def designate(db: Session, review: Review, focal_point: User, expert: User) -> ListSignatory:
    """A reviewing State's focal point lets one of the State's reviewers agree for it."""
    if not is_focal_point(db, review, focal_point):
        raise RuleViolation(
            _l("Only the focal point of a reviewing State can designate an expert.")
        )
    role = db.exec(
        select(ReviewMembership.role).where(
            ReviewMembership.review_id == review.id, ReviewMembership.user_id == expert.id
        )
    ).first()
    if role != "reviewer" or expert.state_code != focal_point.state_code:
        raise RuleViolation(_l("Choose an expert of your State who reviews this State."))
    signatory = ListSignatory(
        review_id=id_of(review),
        reviewing_state=focal_point.state_code or "",
        user_id=id_of(expert),
        designated_by_id=id_of(focal_point),
    )
    db.add(signatory)
    db.flush()
    record(
        db,
        actor=focal_point,
        action="list.designate",
        object_type="user_account",
        object_id=expert.id,
        review_id=review.id,
    )
    return signatory


def designable(db: Session, review: Review, user: User) -> list[User]:
    """The experts a reviewing State's focal point may still designate to agree for it."""
    if not is_focal_point(db, review, user):
        return []
    designated = set(
        db.exec(select(ListSignatory.user_id).where(ListSignatory.review_id == review.id)).all()
    )
    return [
        u
        for u in people.reviewers(db, review, user.state_code)
        if u.id != user.id and u.id not in designated
    ]
