"""The answers' progress of the reviews a person answers, shown on the home page (the
secretariat's home lists every review, and reads its progress on the dashboard)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlmodel import Session

from questionnaire.banks.services import bank_of
from questionnaire.db import id_of
from questionnaire.responses.progress import ReviewProgress, review_progress
from questionnaire.responses.queries import answers_of
from questionnaire.reviews.models import RESPONDENT_ROLES
from questionnaire.reviews.queries import ReviewRow


def home_progress(db: Session, rows: Sequence[ReviewRow]) -> dict[str, Any]:
    """`progress`: review id -> the progress of its answers, for the reviews still answering
    that the reader answers."""
    progress: dict[int, ReviewProgress] = {}
    for row in rows:
        if row.role in RESPONDENT_ROLES and row.review.status == "answering":
            answers = answers_of(db, id_of(row.review))
            values = {key: answer.value for key, answer in answers.items()}
            progress[id_of(row.review)] = review_progress(bank_of(row.bank_version), values)
    return {"progress": progress}
