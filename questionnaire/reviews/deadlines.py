"""The deadlines of a country review, from durations configured for the application and set
per phase on the phase form (never constants in code)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, fields, replace
from datetime import date

from flask import current_app, has_app_context
from sqlmodel import Session, col, select

from questionnaire.reviews.models import Review, ReviewPhase


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day where that day does not exist."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Deadlines:
    """Durations of the procedures and rules: named persons, answers, written feedback."""

    focal_point_days: int = 14
    experts_days: int = 28
    answers_months: int = 6
    feedback_months: int = 6

    @classmethod
    def configured(cls) -> Deadlines:
        """The durations of the running application (`REVIEW_DEADLINES`), else the defaults."""
        if has_app_context():
            return cls(**current_app.config.get("REVIEW_DEADLINES", {}))
        return cls()

    def of_phase(self, phase: ReviewPhase | None) -> Deadlines:
        """These durations, with those the phase sets instead (a phase opened before the
        phase form had them sets none, and follows the application's)."""
        if phase is None:
            return self
        chosen = {
            f.name: getattr(phase, f.name)
            for f in fields(self)
            if getattr(phase, f.name, None) is not None
        }
        return replace(self, **chosen) if chosen else self

    def focal_point_due(self, started_on: date) -> date:
        return date.fromordinal(started_on.toordinal() + self.focal_point_days)

    def experts_due(self, started_on: date) -> date:
        return date.fromordinal(started_on.toordinal() + self.experts_days)

    def answers_due(self, started_on: date) -> date:
        return add_months(started_on, self.answers_months)

    def feedback_due(self, submitted_on: date) -> date:
        return add_months(submitted_on, self.feedback_months)


def by_phase(db: Session, deadlines: Deadlines) -> dict[int | None, Deadlines]:
    """The durations of every phase (phases are few), and `deadlines` for reviews in none."""
    phases = db.exec(select(ReviewPhase)).all()
    return {None: deadlines, **{phase.id: deadlines.of_phase(phase) for phase in phases}}


def of_review(db: Session, review: Review) -> Deadlines:
    """The durations that apply to one review: its phase's, else the application's."""
    phase = db.get(ReviewPhase, review.phase_id) if review.phase_id else None
    return Deadlines.configured().of_phase(phase)


def reviews_due_again(
    db: Session, phase_id: int | None, deadlines: Deadlines
) -> list[tuple[Review, date]]:
    """The reviews of a phase still answering whose answers deadline `deadlines` would put
    elsewhere, each with its new date."""
    reviews = db.exec(
        select(Review)
        .where(Review.phase_id == phase_id, Review.status == "answering")
        .order_by(col(Review.id))
    ).all()
    moved = []
    for review in reviews:
        due = deadlines.answers_due(review.started_on)
        if due != review.answers_due_on:
            moved.append((review, due))
    return moved
