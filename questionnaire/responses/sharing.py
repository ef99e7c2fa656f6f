"""General answers a State gives once for all its questionnaires.

A bank marks such questions with `shared_as` (`questionnaire.banks.schema.SHARED_ANSWERS`):
whether the State is a country of origin, transit or destination, the other mechanisms it
reported to, the assistance it needs to answer. A shared question left without an answer by
the State's earlier submissions to the same questionnaire takes the State's latest submitted
answer to a question shared the same way in another instrument or cluster; the answer is
carried forward from there, confidential flag included, and awaits confirmation like any other.
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass

from sqlmodel import Session, col, select

from questionnaire.banks.models import BankVersion
from questionnaire.banks.schema import Bank, Question
from questionnaire.banks.services import bank_of
from questionnaire.responses.models import Answer
from questionnaire.reviews.models import Review


@dataclass(frozen=True)
class SharedSource:
    """Where a shared question of the review takes its answer from."""

    question: Question
    answer: Answer
    review: Review
    bank: Bank


def shared_sources(
    db: Session, review: Review, bank: Bank, answered: Container[str]
) -> list[SharedSource]:
    """For each shared question of `bank` not in `answered`, the State's latest submitted
    answer to a question shared the same way in another instrument or cluster (newest review
    first; an empty answer is passed over)."""
    wanted = {kind: q for kind, q in bank.shared_questions.items() if q.key not in answered}
    if not wanted:
        return []
    found: dict[str, SharedSource] = {}
    for old_review, old_version in _other_submissions(db, review, bank):
        old_bank = bank_of(old_version)
        keys = {q.key: kind for kind, q in old_bank.shared_questions.items() if kind not in found}
        keys = {key: kind for key, kind in keys.items() if kind in wanted}
        if not keys:
            continue
        answers = db.exec(
            select(Answer).where(
                Answer.review_id == old_review.id, col(Answer.question_key).in_(keys)
            )
        )
        for answer in answers:
            if answer.value not in (None, "", []):
                kind = keys[answer.question_key]
                found[kind] = SharedSource(wanted[kind], answer, old_review, old_bank)
        if len(found) == len(wanted):
            break
    return [found[kind] for kind in wanted if kind in found]


def submission_of(db: Session, review_id: int) -> tuple[Review, BankVersion] | None:
    """A submitted review with its questionnaire version (None if it is not submitted)."""
    row = db.exec(
        select(Review, BankVersion)
        .join(BankVersion, col(BankVersion.id) == Review.bank_version_id)
        .where(Review.id == review_id, Review.status == "submitted")
    ).first()
    return None if row is None else (row[0], row[1])


def _other_submissions(db: Session, review: Review, bank: Bank) -> list[tuple[Review, BankVersion]]:
    """The State's submitted reviews of its other questionnaires, newest first."""
    rows = db.exec(
        select(Review, BankVersion)
        .join(BankVersion, col(BankVersion.id) == Review.bank_version_id)
        .where(
            Review.state_code == review.state_code,
            Review.status == "submitted",
            col(Review.id) != review.id,
            (BankVersion.instrument != bank.instrument) | (BankVersion.cluster != bank.cluster),
        )
        .order_by(col(Review.submitted_at).desc(), col(Review.id).desc())
    )
    return [(row[0], row[1]) for row in rows]
