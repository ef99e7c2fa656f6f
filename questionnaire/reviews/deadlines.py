"""The deadlines of a country review, from configured durations (never constants in code)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from flask import current_app, has_app_context


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

    def focal_point_due(self, started_on: date) -> date:
        return date.fromordinal(started_on.toordinal() + self.focal_point_days)

    def experts_due(self, started_on: date) -> date:
        return date.fromordinal(started_on.toordinal() + self.experts_days)

    def answers_due(self, started_on: date) -> date:
        return add_months(started_on, self.answers_months)

    def feedback_due(self, submitted_on: date) -> date:
        return add_months(submitted_on, self.feedback_months)
