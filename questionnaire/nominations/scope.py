"""What a nomination is for: which reviews it gives its person a role in."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, col, select

from questionnaire.banks.models import BankVersion
from questionnaire.errors import RuleViolation
from questionnaire.i18n import codes
from questionnaire.reviews.models import Review, ReviewAssignment, ReviewPhase

INSTRUMENTS = ("UNTOC", "TIP", "SOM", "FIR")


class NominationRefused(RuleViolation):
    """A nomination the rules refuse. `field` names what is wrong, as the form's fields and the
    import file's columns are named: nominating_state, state_under_review, phase, instruments,
    role, email, full_name, language, note_reference, note_date, reason."""

    def __init__(self, message: object, field: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Purpose:
    """The reviews of a State in a phase (some instruments, or all when `instruments` is
    empty), or one review opened outside a phase (`review_id`)."""

    state_under_review: str
    phase_id: int | None = None
    review_id: int | None = None
    instruments: tuple[str, ...] = ()


def side_of(nominating_state: str, purpose: Purpose) -> str:
    """A State nominates for its own review, or for a review where it holds seats."""
    return "under_review" if nominating_state == purpose.state_under_review else "reviewing"


def reviews_of(db: Session, purpose: Purpose) -> list[tuple[Review, str]]:
    """The purpose's reviews of the State, with their instruments, before seats are looked at."""
    query = select(Review, BankVersion.instrument).join(
        BankVersion, col(BankVersion.id) == Review.bank_version_id
    )
    if purpose.review_id is not None:
        query = query.where(Review.id == purpose.review_id)
    else:
        if purpose.phase_id is None or db.get(ReviewPhase, purpose.phase_id) is None:
            raise NominationRefused(_l("Choose the review phase."), "phase")
        query = query.where(Review.phase_id == purpose.phase_id)
    rows = list(
        db.exec(
            query.where(Review.state_code == purpose.state_under_review).order_by(col(Review.id))
        )
    )
    if not rows:
        raise NominationRefused(
            _l("%(code)s has no review in this phase.", code=purpose.state_under_review),
            "state_under_review",
        )
    return rows


def seats_of(db: Session, state_code: str, review_ids: list[int]) -> set[int]:
    """The reviews among `review_ids` where `state_code` holds an active seat."""
    if not review_ids:
        return set()
    return set(
        db.exec(
            select(ReviewAssignment.review_id).where(
                col(ReviewAssignment.review_id).in_(review_ids),
                ReviewAssignment.reviewing_state == state_code,
                col(ReviewAssignment.is_active).is_(True),
            )
        )
    )


def covered_reviews(db: Session, nominating_state: str, purpose: Purpose) -> list[Review]:
    """The reviews a nomination for `purpose` by `nominating_state` gives a role in.

    On the reviewing side, only reviews where the State holds a seat: all of them when no
    instrument is named; a named instrument without a seat is refused."""
    rows = reviews_of(db, purpose)
    by_instrument = {instrument: review for review, instrument in rows}
    for instrument in purpose.instruments:
        if instrument not in by_instrument:
            raise NominationRefused(
                _l(
                    "%(code)s is not reviewed on %(instrument)s here.",
                    code=purpose.state_under_review,
                    instrument=instrument,
                ),
                "instruments",
            )
    wanted = [by_instrument[i] for i in purpose.instruments] or [r for r, _ in rows]
    if side_of(nominating_state, purpose) == "under_review":
        return wanted
    seated = seats_of(db, nominating_state, [r.id for r in wanted if r.id is not None])
    instrument_of = {review.id: instrument for review, instrument in rows}
    missing = [instrument_of[r.id] for r in wanted if r.id not in seated]
    if purpose.instruments and missing:
        raise NominationRefused(
            _l(
                "%(state)s holds no seat on the %(instruments)s review of %(code)s.",
                state=nominating_state,
                instruments=codes(missing),
                code=purpose.state_under_review,
            ),
            "instruments",
        )
    found = [r for r in wanted if r.id in seated]
    if not found:
        raise NominationRefused(
            _l(
                "%(state)s holds no seat on the reviews of %(code)s.",
                state=nominating_state,
                code=purpose.state_under_review,
            ),
            "nominating_state",
        )
    return found
