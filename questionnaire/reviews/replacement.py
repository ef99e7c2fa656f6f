"""The replacement of a reviewing State that declined its seat: the seat is drawn again for
that State under review only, from the phase's parties, stored with its seed and procedure like
the phase's draw (`questionnaire.reviews.lots`), and audited."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, col, select

from questionnaire.accounts.models import User
from questionnaire.audit.services import record
from questionnaire.db import id_of, utcnow
from questionnaire.errors import RuleViolation
from questionnaire.reviews.draw import (
    CALLER_SEED_SOURCE,
    PROCEDURE_VERSION,
    SERVER_SEED_SOURCE,
    DrawOutcome,
    SeatDraw,
    draw_lots,
    server_seed,
)
from questionnaire.reviews.lots import (
    PhaseReview,
    active_assignments,
    assign_seats,
    draw_parties,
    phase_reviews,
)
from questionnaire.reviews.models import Review, ReviewAssignment, ReviewDraw, ReviewPhase
from questionnaire.reviews.queries import declined_with


def replace_reviewer(
    db: Session,
    assignment: ReviewAssignment,
    user: User,
    reason: str,
    seed: str | None = None,
    seed_source: str | None = None,
) -> ReviewDraw:
    """A reviewing State declined: draw its seat again for that State under review only.

    No State that has declined a seat of that State under review is drawn for it again, and
    the replacement of an additional reviewer is an additional reviewer too.
    """
    vacancy = _vacancy(db, assignment, reason)
    if seed is None:
        seed, seed_source = server_seed(), SERVER_SEED_SOURCE
    outcome = _draw_vacancy(db, vacancy, seed)
    seats = outcome.seats
    if assignment.is_additional:
        seats = [replace(seat, is_additional=True) for seat in seats]
    draw = _replacement_draw(
        vacancy,
        seats,
        seed=seed,
        seed_source=seed_source or CALLER_SEED_SOURCE,
        used_mutual_fallback=outcome.used_mutual_fallback,
        reason=reason.strip(),
        user=user,
    )
    db.add(draw)
    db.flush()
    _end_seats(db, vacancy.declined, reason.strip())
    assign_seats(db, draw, vacancy.reviews, seats)
    record(
        db,
        actor=user,
        action="assignment.replace",
        object_type="review_assignment",
        object_id=assignment.id,
        review_id=vacancy.review.id,
        reason=reason.strip(),
        before={"reviewing_state": assignment.reviewing_state},
        after={"reviewing_states": sorted({s.reviewing_state for s in seats})},
    )
    db.flush()
    return draw


@dataclass(frozen=True)
class _Vacancy:
    """A declined seat to draw again: the phase's reviews with their instruments, the seats
    that end with it, those that stay, and the States that may not take it."""

    assignment: ReviewAssignment
    review: Review
    phase: ReviewPhase
    reviews: list[PhaseReview]
    declined: list[ReviewAssignment]
    kept: list[ReviewAssignment]
    excluded: set[str]

    @property
    def instruments(self) -> dict[int | None, str]:
        return {r.id: r.instrument for r in self.reviews}


def _vacancy(db: Session, assignment: ReviewAssignment, reason: str) -> _Vacancy:
    """The seat `assignment` declines, read with its phase's row locked; refused when there is
    no reason or the seat has already been replaced (before or while waiting for the lock)."""
    if not reason.strip():
        raise RuleViolation(_l("Give the reason for the replacement."))
    if not assignment.is_active:
        raise RuleViolation(_l("This seat has already been replaced."))
    review = db.get(Review, assignment.review_id)
    assert review is not None and review.phase_id is not None
    phase = db.exec(
        select(ReviewPhase).where(ReviewPhase.id == review.phase_id).with_for_update()
    ).one()
    db.refresh(assignment)
    if not assignment.is_active:
        raise RuleViolation(_l("This seat has already been replaced."))
    reviews = phase_reviews(db, phase)
    current = active_assignments(db, [r.id for r in reviews])
    # The State declines the seat for the State under review, on every instrument it held.
    declining = {seat.id for seat, _instrument in declined_with(db, assignment)}
    declined = [a for a in current if a.id in declining]
    excluded = {assignment.reviewing_state} | _replaced_states(
        db, [r.id for r in reviews if r.state_code == review.state_code]
    )
    kept = [a for a in current if a not in declined]
    return _Vacancy(assignment, review, phase, reviews, declined, kept, excluded)


def _draw_vacancy(db: Session, vacancy: _Vacancy, seed: str) -> DrawOutcome:
    """Draw the vacant seat on the declined seats' instruments, the other seats standing."""
    instruments = vacancy.instruments
    return draw_lots(
        draw_parties(db, vacancy.phase.started_on),
        {vacancy.review.state_code: {instruments[a.review_id] for a in vacancy.declined}},
        max_reviews=vacancy.phase.max_reviews_per_state,
        seed=seed,
        existing=[
            SeatDraw(
                _state_of(vacancy.reviews, a.review_id),
                instruments[a.review_id],
                a.seat,
                a.reviewing_state,
                a.is_additional,
            )
            for a in vacancy.kept
        ],
        seats=(vacancy.assignment.seat,),
        excluded={vacancy.review.state_code: vacancy.excluded},
        no_group_rule=vacancy.phase.no_group_rule,
    )


def _replacement_draw(
    vacancy: _Vacancy,
    seats: list[SeatDraw],
    *,
    seed: str,
    seed_source: str,
    used_mutual_fallback: bool,
    reason: str,
    user: User,
) -> ReviewDraw:
    """The record of a replacement: its seed, inputs, procedure and the seats drawn."""
    instruments = vacancy.instruments
    return ReviewDraw(
        phase_id=id_of(vacancy.phase),
        kind="replacement",
        seed=seed,
        seed_source=seed_source,
        procedure_version=PROCEDURE_VERSION,
        used_mutual_fallback=used_mutual_fallback,
        inputs={
            "replaced": vacancy.assignment.reviewing_state,
            "state_under_review": vacancy.review.state_code,
            "seat": vacancy.assignment.seat,
            "instruments": sorted(instruments[a.review_id] for a in vacancy.declined),
            "excluded": sorted(vacancy.excluded),
            "max_reviews": vacancy.phase.max_reviews_per_state,
            "no_group_rule": vacancy.phase.no_group_rule,
        },
        result=[asdict(seat) for seat in seats],
        reason=reason,
        created_by_id=user.id,
    )


def _end_seats(db: Session, seats: list[ReviewAssignment], reason: str) -> None:
    """End the declined seats, before their successors take them (one active per seat)."""
    now = utcnow()
    for old in seats:
        old.is_active = False
        old.ended_at = now
        old.end_reason = reason
        db.add(old)
    db.flush()


def _replaced_states(db: Session, review_ids: list[int]) -> set[str]:
    """The States whose seats on these reviews have been replaced: they declined."""
    return set(
        db.exec(
            select(ReviewAssignment.reviewing_state).where(
                col(ReviewAssignment.review_id).in_(review_ids),
                col(ReviewAssignment.is_active).is_(False),
            )
        )
    )


def _state_of(reviews: list[PhaseReview], review_id: int) -> str:
    return next(r.state_code for r in reviews if r.id == review_id)
