"""The drawing of lots of a phase and the replacement of a reviewing State: what is drawn
(`questionnaire.reviews.draw`, docs/drawing-of-lots.md), stored with its seed, inputs and
procedure, and audited. The phase row is locked for the time of a draw."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import date
from typing import Any, NamedTuple

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, insert
from sqlmodel import Session, col, select

from questionnaire.accounts.models import User
from questionnaire.audit.services import record
from questionnaire.banks.models import BankVersion
from questionnaire.db import id_of, utcnow
from questionnaire.errors import RuleViolation
from questionnaire.reference.models import State
from questionnaire.reference.services import instruments_as_at
from questionnaire.reviews.draw import (
    CALLER_SEED_SOURCE,
    PROCEDURE_VERSION,
    SERVER_SEED_SOURCE,
    DrawOutcome,
    Party,
    SeatDraw,
    draw_lots,
    server_seed,
)
from questionnaire.reviews.models import Review, ReviewAssignment, ReviewDraw, ReviewPhase
from questionnaire.reviews.queries import declined_with


def _draw_parties(db: Session, on: date) -> list[Party]:
    """Every State with the instruments it is party to as at `on` (the phase's start)."""
    party_to = instruments_as_at(db, on)
    return [
        Party(code, group, party_to.get(code, frozenset()))
        for code, group in db.exec(
            select(State.code, State.regional_group).order_by(col(State.code))
        )
    ]


class PhaseReview(NamedTuple):
    """A review of a phase as the drawing of lots sees it."""

    id: int
    state_code: str
    instrument: str


def _phase_reviews(db: Session, phase: ReviewPhase) -> list[PhaseReview]:
    return [
        PhaseReview(*row)
        for row in db.exec(
            select(Review.id, Review.state_code, BankVersion.instrument)
            .join(BankVersion, col(BankVersion.id) == Review.bank_version_id)
            .where(Review.phase_id == phase.id)
        )
    ]


def _is_drawn(db: Session, phase: ReviewPhase) -> bool:
    """Whether a review of the phase has an active seat."""
    return bool(
        db.exec(
            select(
                exists().where(
                    col(ReviewAssignment.review_id) == Review.id,
                    col(Review.phase_id) == phase.id,
                    col(ReviewAssignment.is_active),
                )
            )
        ).one()
    )


def active_assignments(db: Session, review_ids: list[int]) -> list[ReviewAssignment]:
    if not review_ids:
        return []
    return list(
        db.exec(
            select(ReviewAssignment).where(
                col(ReviewAssignment.review_id).in_(review_ids), ReviewAssignment.is_active
            )
        )
    )


@dataclass(frozen=True)
class PhaseLots:
    """What a drawing of lots for a phase works with, and what it drew (stored or not)."""

    reviews: list[PhaseReview]
    parties: list[Party]
    under_review: dict[str, list[str]]
    seed: str
    seed_source: str
    outcome: DrawOutcome

    def inputs(self, phase: ReviewPhase) -> dict[str, Any]:
        """The inputs as stored with the draw: enough to draw it again."""
        eligible = sorted(p.code for p in self.parties if p.parties)
        return {
            "under_review": self.under_review,
            "parties": [[p.code, p.group, sorted(p.parties)] for p in self.parties],
            "eligible_states": eligible,
            "max_reviews": phase.max_reviews_per_state,
            "no_group_rule": phase.no_group_rule,
        }


def draw_lots_of_phase(
    db: Session, phase: ReviewPhase, seed: str | None = None, seed_source: str | None = None
) -> PhaseLots:
    """Draw the lots of a phase without storing anything (what a preview shows and a draw
    stores). Without `seed`, the server draws one from a cryptographic source."""
    reviews = _phase_reviews(db, phase)
    under_review: dict[str, set[str]] = {}
    for review in reviews:
        under_review.setdefault(review.state_code, set()).add(review.instrument)
    if seed is None:
        seed, seed_source = server_seed(), SERVER_SEED_SOURCE
    parties = _draw_parties(db, phase.started_on)
    outcome = draw_lots(
        parties,
        under_review,
        max_reviews=phase.max_reviews_per_state,
        seed=seed,
        no_group_rule=phase.no_group_rule,
    )
    return PhaseLots(
        reviews,
        parties,
        {k: sorted(v) for k, v in sorted(under_review.items())},
        seed,
        seed_source or CALLER_SEED_SOURCE,
        outcome,
    )


def draw_phase(
    db: Session,
    phase: ReviewPhase,
    user: User,
    seed: str | None = None,
    seed_source: str | None = None,
) -> ReviewDraw:
    """Draw the reviewing States of every review of the phase, stored with seed and inputs.

    The seed comes from the server's cryptographic source unless a caller that is not a
    person's form (the demo loader, a test) fixes it and says so in `seed_source`. The phase
    row is locked first (SELECT ... FOR UPDATE on PostgreSQL; SQLite serialises writers), so
    a second draw at the same time finds the first one's seats and is refused. Raises
    DrawImpossible (naming the State and the rule) before anything is written.
    """
    db.exec(select(ReviewPhase).where(ReviewPhase.id == phase.id).with_for_update()).one()
    if _is_drawn(db, phase):
        raise RuleViolation(
            _l("The lots of this phase have been drawn: replace single seats instead.")
        )
    lots = draw_lots_of_phase(db, phase, seed, seed_source)
    seats = lots.outcome.seats
    draw = ReviewDraw(
        phase_id=id_of(phase),
        kind="draw",
        seed=lots.seed,
        seed_source=lots.seed_source,
        procedure_version=PROCEDURE_VERSION,
        used_mutual_fallback=lots.outcome.used_mutual_fallback,
        inputs=lots.inputs(phase),
        result=[asdict(seat) for seat in seats],
        created_by_id=user.id,
    )
    db.add(draw)
    db.flush()
    _assign(db, draw, lots.reviews, seats)
    record(
        db,
        actor=user,
        action="phase.draw",
        object_type="review_draw",
        object_id=draw.id,
        after=_draw_record(draw, len(seats)),
    )
    db.flush()
    return draw


def _draw_record(draw: ReviewDraw, seats: int) -> dict[str, Any]:
    """What the audit record keeps of a draw."""
    return {
        "seed": draw.seed,
        "seed_source": draw.seed_source,
        "procedure_version": draw.procedure_version,
        "used_mutual_fallback": draw.used_mutual_fallback,
        "no_group_rule": draw.inputs.get("no_group_rule"),
        "seats": seats,
    }


def _assign(
    db: Session, draw: ReviewDraw, reviews: list[PhaseReview], seats: list[SeatDraw]
) -> None:
    """Store the seats drawn, in one statement (a phase has hundreds)."""
    if not seats:
        return
    by_key = {(review.state_code, review.instrument): review.id for review in reviews}
    db.exec(
        insert(ReviewAssignment),
        params=[
            {
                "review_id": by_key[(seat.state_under_review, seat.instrument)],
                "reviewing_state": seat.reviewing_state,
                "seat": seat.seat,
                "is_additional": seat.is_additional,
                "draw_id": id_of(draw),
                "is_active": True,
            }
            for seat in seats
        ],
    )


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
    _assign(db, draw, vacancy.reviews, seats)
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
    reviews = _phase_reviews(db, phase)
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
        _draw_parties(db, vacancy.phase.started_on),
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
