"""The drawing of lots of a phase: what is drawn (`questionnaire.reviews.draw`,
docs/drawing-of-lots.md), stored with its seed, inputs and procedure, and audited. The phase row
is locked for the time of a draw. The replacement of a reviewing State, drawn with the same
parties and stored the same way, is in `questionnaire.reviews.replacement`."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any, NamedTuple

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, insert
from sqlmodel import Session, col, select

from questionnaire.accounts.models import User
from questionnaire.audit.services import record
from questionnaire.banks.models import BankVersion
from questionnaire.db import id_of
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


def draw_parties(db: Session, on: date) -> list[Party]:
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


def phase_reviews(db: Session, phase: ReviewPhase) -> list[PhaseReview]:
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
    reviews = phase_reviews(db, phase)
    under_review: dict[str, set[str]] = {}
    for review in reviews:
        under_review.setdefault(review.state_code, set()).add(review.instrument)
    if seed is None:
        seed, seed_source = server_seed(), SERVER_SEED_SOURCE
    parties = draw_parties(db, phase.started_on)
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
    assign_seats(db, draw, lots.reviews, seats)
    record(
        db,
        actor=user,
        action="phase.draw",
        object_type="review_draw",
        object_id=draw.id,
        after=draw_record(draw, len(seats)),
    )
    db.flush()
    return draw


def draw_record(draw: ReviewDraw, seats: int) -> dict[str, Any]:
    """What the audit record keeps of a draw."""
    return {
        "seed": draw.seed,
        "seed_source": draw.seed_source,
        "procedure_version": draw.procedure_version,
        "used_mutual_fallback": draw.used_mutual_fallback,
        "no_group_rule": draw.inputs.get("no_group_rule"),
        "seats": seats,
    }


def assign_seats(
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
