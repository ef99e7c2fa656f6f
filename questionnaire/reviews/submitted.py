"""Which review speaks for a State on a questionnaire version: its latest submitted review.

A State may submit answers to the same version more than once (in a later cycle, say); only
its latest submitted review counts, in the consolidated analysis and in the exports alike.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func
from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from questionnaire.reference.models import State
from questionnaire.reviews.models import Review

SUBMITTED = "submitted"


def latest_submitted_ids(bank_version_id: int) -> Select[Any]:
    """Ids of the latest submitted review of each State on the bank version (a subquery)."""
    return (
        core_select(func.max(col(Review.id)))
        .where(col(Review.bank_version_id) == bank_version_id, col(Review.status) == SUBMITTED)
        .group_by(col(Review.state_code))
    )


def latest_submitted_reviews(db: Session, bank_version_id: int) -> list[tuple[Review, State]]:
    """The latest submitted review of each State on the bank version, with the State."""
    rows = db.exec(
        select(Review, State)
        .join(State, col(State.code) == Review.state_code)
        .where(col(Review.id).in_(latest_submitted_ids(bank_version_id)))
    ).all()
    return [(review, state) for review, state in rows]
