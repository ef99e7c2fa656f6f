"""Reading a review's answers, their history and the sections' progress."""

from __future__ import annotations

from typing import Any, NamedTuple

from sqlalchemy import bindparam
from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from questionnaire.responses.models import Answer, AnswerRevision, SectionProgress

# The statements of the article page are built once, with bound parameters: building one took
# as long as running it.
_ANSWERS_OF = select(Answer).where(Answer.review_id == bindparam("review_id"))


class StoredAnswer(NamedTuple):
    """What the article page shows of a stored answer, read without building an ORM object."""

    question_key: str
    value: Any
    version: int
    is_confidential: bool
    is_carried_forward: bool
    carried_from: str | None
    review_id: int
    carried_from_review_id: int | None


# A Core statement on the table, run on the session's connection: no ORM objects are wanted,
# and skipping the ORM's execution layer took a third off the query's time.
_ANSWER_TABLE = Answer.__table__  # type: ignore[attr-defined]
_STORED_ANSWERS = core_select(*(_ANSWER_TABLE.c[name] for name in StoredAnswer._fields)).where(
    _ANSWER_TABLE.c.review_id == bindparam("review_id")
)


def stored_answers(db: Session, review_id: int) -> dict[str, StoredAnswer]:
    """The review's current answers by question key, for reading only."""
    rows = db.connection().execute(_STORED_ANSWERS, {"review_id": review_id})
    return {row[0]: StoredAnswer(*row) for row in rows}


def answers_of(db: Session, review_id: int) -> dict[str, Answer]:
    """The review's current answers by question key."""
    rows = db.exec(_ANSWERS_OF, params={"review_id": review_id})
    return {answer.question_key: answer for answer in rows}


def history_of(db: Session, answer: Answer) -> list[AnswerRevision]:
    """The answer's revisions, newest first."""
    return list(
        db.exec(
            select(AnswerRevision)
            .where(AnswerRevision.answer_id == answer.id)
            .order_by(col(AnswerRevision.version).desc(), col(AnswerRevision.id).desc())
        )
    )


def progress_rows(db: Session, review_id: int) -> dict[str, SectionProgress]:
    """The review's sections marked complete or not, by section key."""
    rows = db.exec(select(SectionProgress).where(SectionProgress.review_id == review_id))
    return {row.section_key: row for row in rows}
