"""Answers carried forward from the State's earlier submissions, and their confirmation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import bindparam, insert
from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from questionnaire.accounts.models import User
from questionnaire.audit.services import record_many
from questionnaire.banks.models import BankVersion
from questionnaire.banks.schema import Bank, Question
from questionnaire.banks.services import bank_of
from questionnaire.db import id_of, utcnow
from questionnaire.responses.models import Answer, AnswerRevision
from questionnaire.responses.question_types import InvalidValue, type_of
from questionnaire.responses.revisions import Revised, record_revisions
from questionnaire.responses.saving import current_answers, hold_open, write_answers
from questionnaire.responses.sharing import shared_sources
from questionnaire.reviews.models import Review

_ANSWER = Answer.__table__  # type: ignore[attr-defined]
_REVISION = AnswerRevision.__table__  # type: ignore[attr-defined]


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
    a revision and an audit entry (by `actor`, or by the system when None), all written in
    one statement each, however many there are: opening a phase carries thousands.
    """
    db.flush()  # the review and whatever is pending, before statements on the connection
    existing = set(db.exec(select(Answer.question_key).where(Answer.review_id == id_of(review))))
    carried = _from_earlier_submission(db, review, bank, existing)
    existing.update(item.question.key for item in carried)
    for source in shared_sources(db, review, bank, existing):
        answer = source.answer
        found = [
            _Source(answer.question_key, answer.value, answer.is_confidential, answer.language)
        ]
        item = _fitting(source.question, answer.value, found, source.bank, source.review)
        if item is not None:
            carried.append(item)
    _write_carried(db, review, carried, actor)
    return len(carried)


def _from_earlier_submission(
    db: Session, review: Review, bank: Bank, existing: set[str]
) -> list[_Carried]:
    """The answers to carry from the State's latest earlier submission on the questionnaire,
    for the questions not in `existing`."""
    earlier = earlier_submission(db, review, bank)
    if earlier is None:
        return []
    old_review, old_version = earlier
    old_bank = bank_of(old_version)
    old_answers = {
        row[0]: _Source(*row)
        for row in db.connection().execute(_SOURCES, {"review_id": id_of(old_review)})
    }
    carried = []
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
        item = None if value is None else _fitting(question, value, found, old_bank, old_review)
        if item is not None:
            carried.append(item)
    return carried


class _Source(NamedTuple):
    """An earlier answer a carried one is taken from."""

    question_key: str
    value: Any
    is_confidential: bool
    language: str


#: An earlier review's answers, as the carried ones need them (no ORM objects wanted).
_SOURCES = core_select(
    _ANSWER.c.question_key, _ANSWER.c.value, _ANSWER.c.is_confidential, _ANSWER.c.language
).where(_ANSWER.c.review_id == bindparam("review_id"))
# Inserted without RETURNING, then their ids read by key, as `saving` does.
_INSERT_ANSWERS = insert(_ANSWER)
_INSERT_REVISIONS = insert(_REVISION)
_IDS = core_select(_ANSWER.c.question_key, _ANSWER.c.id).where(
    _ANSWER.c.review_id == bindparam("review_id"),
    _ANSWER.c.question_key.in_(bindparam("keys", expanding=True)),
)


@dataclass(frozen=True)
class _Carried:
    """An answer to carry forward: its question, its value and where it comes from."""

    question: Question
    value: Any
    found: list[_Source]
    old_bank: Bank
    old_review: Review

    @property
    def is_confidential(self) -> bool:
        """Confidential if any of the answers it comes from was."""
        return any(answer.is_confidential for answer in self.found)

    @property
    def language(self) -> str:
        return self.found[0].language

    @property
    def carried_from(self) -> str:
        keys = ", ".join(answer.question_key for answer in self.found)
        return f"{self.old_bank.label}: {keys}"[:120]


def _fitting(
    question: Question, value: Any, found: list[_Source], old_bank: Bank, old_review: Review
) -> _Carried | None:
    """`value` from the `found` answers of `old_review`, as the question takes it; None when
    it no longer fits."""
    try:
        value = type_of(question).from_json(question, value)
    except InvalidValue:
        return None
    return _Carried(question, value, found, old_bank, old_review)


def _write_carried(
    db: Session, review: Review, carried: list[_Carried], actor: User | None
) -> None:
    """The carried answers, their first revisions and their audit entries: a statement each."""
    if not carried:
        return
    now = utcnow()
    ids = _insert_answers(db, review, carried, now)
    _insert_first_revisions(db, carried, ids, now)
    _record_carried(db, review, carried, ids, actor)


def _insert_answers(
    db: Session, review: Review, carried: list[_Carried], now: datetime
) -> dict[str, int]:
    """Insert the carried answers, changed by no one yet; returns their ids by question key."""
    connection = db.connection()
    connection.execute(
        _INSERT_ANSWERS,
        [
            {
                "review_id": review.id,
                "question_key": item.question.key,
                "value": item.value,
                "is_confidential": item.is_confidential,
                "version": 1,
                "language": item.language,
                "is_carried_forward": True,
                "carried_from": item.carried_from,
                "carried_from_review_id": item.old_review.id,
                "updated_at": now,
                "updated_by_id": None,
            }
            for item in carried
        ],
    )
    keys = [item.question.key for item in carried]
    ids: dict[str, int] = dict(
        connection.execute(_IDS, {"review_id": review.id, "keys": keys}).all()
    )
    return ids


def _insert_first_revisions(
    db: Session, carried: list[_Carried], ids: dict[str, int], now: datetime
) -> None:
    """Insert each carried answer's first revision, of the kind `carry_forward`."""
    db.connection().execute(
        _INSERT_REVISIONS,
        [
            {
                "answer_id": ids[item.question.key],
                "version": 1,
                "kind": "carry_forward",
                "value": item.value,
                "is_confidential": item.is_confidential,
                "language": item.language,
                "changed_by_id": None,
                "started_at": now,
                "changed_at": now,
            }
            for item in carried
        ],
    )


def _record_carried(
    db: Session,
    review: Review,
    carried: list[_Carried],
    ids: dict[str, int],
    actor: User | None,
) -> None:
    """An audit entry per carried answer, saying where it comes from."""
    record_many(
        db,
        actor,
        [
            {
                "action": "answer.carry_forward",
                "object_type": "answer",
                "object_id": ids[item.question.key],
                "review_id": review.id,
                "after": {
                    "value": item.value,
                    "is_confidential": item.is_confidential,
                    "carried_from": item.carried_from,
                },
            }
            for item in carried
        ],
    )


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
