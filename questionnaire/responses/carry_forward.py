"""Answers carried forward from the State's earlier submissions, and their confirmation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from questionnaire.accounts.models import User
from questionnaire.audit.services import record
from questionnaire.banks.models import BankVersion
from questionnaire.banks.schema import Bank, Question
from questionnaire.banks.services import bank_of
from questionnaire.db import id_of, utcnow
from questionnaire.responses.models import Answer, AnswerRevision
from questionnaire.responses.queries import answers_of
from questionnaire.responses.question_types import InvalidValue, type_of
from questionnaire.responses.revisions import Revised, record_revisions
from questionnaire.responses.saving import current_answers, hold_open, write_answers
from questionnaire.responses.sharing import shared_sources
from questionnaire.reviews.models import Review


def confirm_carried_forward(db: Session, review: Review, user: User, keys: list[str]) -> int:
    """Confirm carried-forward answers as the State's current answers; returns how many.

    Each confirmation is a revision and an audit entry; the answers are read and written in
    one statement each, however many there are.
    """
    hold_open(db, review)
    rows = current_answers(db, id_of(review), list(dict.fromkeys(keys)))
    now = utcnow()
    params, revised = [], []
    for row in rows.values():
        if not row.is_carried_forward:
            continue
        params.append(
            {
                "row_id": row.id,
                "base_version": row.version,
                "new_value": row.value,
                "new_confidential": row.is_confidential,
                "new_version": row.version + 1,
                "new_language": row.language,
                "new_carried": False,
                "new_at": now,
                "new_by": user.id,
            }
        )
        revised.append(Revised.of_change(row, _Confirmation(row), row.language))
    if write_answers(db, params) != len(params):
        # Changed or confirmed by someone else since read: only ours are recorded.
        now_rows = current_answers(db, id_of(review), [row.question_key for row in rows.values()])
        mine = {
            row.id
            for row in now_rows.values()
            if (row.updated_by_id, row.updated_at) == (user.id, now)
        }
        revised = [item for item in revised if item.answer_id in mine]
    record_revisions(db, review, user, revised, kind="confirm")
    return len(revised)


@dataclass(frozen=True)
class _Confirmation:
    """A carried-forward answer confirmed as it stands (shaped as an AnswerChange)."""

    row: Any

    @property
    def value(self) -> Any:
        return self.row.value

    @property
    def is_confidential(self) -> bool:
        return bool(self.row.is_confidential)

    @property
    def base_version(self) -> int:
        return int(self.row.version)


def earlier_submission(
    db: Session, review: Review, bank: Bank
) -> tuple[Review, BankVersion] | None:
    """The State's latest submitted answers to an earlier version of the same questionnaire
    (or to the same version in an earlier review), with that version: where answers are
    carried forward from."""
    row = db.exec(
        select(Review, BankVersion)
        .join(BankVersion, col(BankVersion.id) == Review.bank_version_id)
        .where(
            Review.state_code == review.state_code,
            Review.status == "submitted",
            col(Review.id) != review.id,
            BankVersion.instrument == bank.instrument,
            BankVersion.cluster == bank.cluster,
            col(BankVersion.version) <= bank.version,
        )
        .order_by(col(Review.submitted_at).desc())
    ).first()
    return None if row is None else (row[0], row[1])


def carry_forward(db: Session, review: Review, bank: Bank, actor: User | None = None) -> int:
    """Pre-fill answers from the State's latest earlier submission on the same questionnaire,
    then the shared general questions still unanswered from its other questionnaires
    (`questionnaire.responses.sharing`).

    Questions keep their key across versions, and `replaces` names the keys a new question
    continues. A value that no longer fits the question (an option that was removed) is not
    carried; the earlier answer stays on record with its own review. Each carried answer is
    a revision and an audit entry (by `actor`, or by the system when None).
    """
    existing = answers_of(db, id_of(review))
    carried = 0
    earlier = earlier_submission(db, review, bank)
    if earlier is not None:
        old_review, old_version = earlier
        old_bank = bank_of(old_version)
        old_answers = answers_of(db, id_of(old_review))
        for question in bank.questions:
            if question.key in existing:
                continue
            sources = list(question.replaces) or [question.key]
            found = [
                old_answers[key]
                for key in sources
                if key in old_answers and key in old_bank.questions_by_key
            ]
            value = _carried_value(question.type, [answer.value for answer in found])
            if value is not None and _add_carried(
                db, review, question, value, found, old_bank, old_review, actor
            ):
                existing[question.key] = found[0]
                carried += 1
    for source in shared_sources(db, review, bank, existing):
        carried += _add_carried(
            db,
            review,
            source.question,
            source.answer.value,
            [source.answer],
            source.bank,
            source.review,
            actor,
        )
    db.flush()
    return carried


def _add_carried(
    db: Session,
    review: Review,
    question: Question,
    value: Any,
    found: list[Answer],
    old_bank: Bank,
    old_review: Review,
    actor: User | None,
) -> bool:
    """Record `value` from the `found` answers of `old_review` as the review's carried-forward
    answer to `question`, confidential if any of them was; False when it no longer fits."""
    try:
        value = type_of(question).from_json(question, value)
    except InvalidValue:
        return False
    answer = Answer(
        review_id=id_of(review),
        question_key=question.key,
        value=value,
        is_confidential=any(answer.is_confidential for answer in found),
        language=found[0].language,
        is_carried_forward=True,
        carried_from=f"{old_bank.label}: {', '.join(a.question_key for a in found)}"[:120],
        carried_from_review_id=old_review.id,
    )
    db.add(answer)
    db.flush()
    db.add(
        AnswerRevision(
            answer_id=id_of(answer),
            version=1,
            kind="carry_forward",
            value=value,
            is_confidential=answer.is_confidential,
            language=answer.language,
        )
    )
    record(
        db,
        actor=actor,
        action="answer.carry_forward",
        object_type="answer",
        object_id=answer.id,
        review_id=review.id,
        after={
            "value": value,
            "is_confidential": answer.is_confidential,
            "carried_from": answer.carried_from,
        },
    )
    return True


def _carried_value(kind: str, values: list[Any]) -> Any:
    values = [value for value in values if value not in (None, "", [])]
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    if kind == "text":
        return "\n\n".join(str(value) for value in values)
    if kind == "links":
        return [link for value in values for link in (value or [])]
    return None  # two earlier choices cannot be merged into one without asking
