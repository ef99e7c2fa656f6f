"""Reading answers, confirming carried-forward ones, marking sections, submitting and reopening.

Saving answers is `questionnaire.responses.saving` (its names are importable from here too).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam
from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from questionnaire.accounts.models import User
from questionnaire.audit.services import record
from questionnaire.banks.models import BankVersion
from questionnaire.banks.schema import Bank, Question, Section
from questionnaire.banks.services import bank_of
from questionnaire.db import id_of, utcnow
from questionnaire.errors import RuleViolation
from questionnaire.notifications import events
from questionnaire.responses.models import Answer, AnswerRevision, SectionProgress
from questionnaire.responses.progress import missing_required, visible_questions
from questionnaire.responses.question_types import InvalidValue, type_of
from questionnaire.responses.revisions import Revised, record_revisions
from questionnaire.responses.saving import AnswerChange as AnswerChange
from questionnaire.responses.saving import Conflict as Conflict
from questionnaire.responses.saving import SaveOutcome as SaveOutcome
from questionnaire.responses.saving import (
    current_answers,
    hold_open,
    locked_status,
    write_answers,
)
from questionnaire.responses.saving import save_answers as save_answers
from questionnaire.responses.sharing import shared_sources
from questionnaire.reviews.models import Review

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


def progress_rows(db: Session, review_id: int) -> dict[str, SectionProgress]:
    rows = db.exec(select(SectionProgress).where(SectionProgress.review_id == review_id))
    return {row.section_key: row for row in rows}


@dataclass(frozen=True)
class SubmissionBlocker:
    """Why the answers cannot be submitted yet, section by section."""

    section_key: str
    missing: tuple[str, ...]
    to_confirm: tuple[str, ...]


def _section_blocker(
    bank: Bank, section: Section, answers: Mapping[str, Answer]
) -> SubmissionBlocker | None:
    """Only questions currently shown count: a carried-forward answer to a follow-up that the
    answers now hide cannot be confirmed on the page, and is not part of the State's answers."""
    values = {key: answer.value for key, answer in answers.items()}
    missing = tuple(q.key for q in missing_required(bank, section, values))
    to_confirm = tuple(
        q.key
        for q in visible_questions(bank, section, values)
        if q.key in answers and answers[q.key].is_carried_forward
    )
    if missing or to_confirm:
        return SubmissionBlocker(section.key, missing, to_confirm)
    return None


def mark_section(
    db: Session, review: Review, bank: Bank, section: Section, user: User, *, is_complete: bool
) -> SubmissionBlocker | None:
    """Mark a section complete or not. Marking it complete is refused while required answers
    are missing or carried-forward answers await confirmation: what stands in the way is
    returned, and nothing is changed."""
    hold_open(db, review)
    if is_complete:
        blocker = _section_blocker(bank, section, answers_of(db, id_of(review)))
        if blocker is not None:
            return blocker
    row = progress_rows(db, id_of(review)).get(section.key) or SectionProgress(
        review_id=id_of(review),
        section_key=section.key,
    )
    if row.is_complete != is_complete:
        row.is_complete = is_complete
        row.updated_at = utcnow()
        row.updated_by_id = user.id
        db.add(row)
        record(
            db,
            actor=user,
            action="section.complete" if is_complete else "section.reopen",
            object_type="section_progress",
            object_id=f"{review.id}:{section.key}",
            review_id=review.id,
        )
    db.flush()
    return None


def submission_blockers(db: Session, review: Review, bank: Bank) -> list[SubmissionBlocker]:
    """What stands in the way of submission: required answers missing, carried answers to
    confirm, per section (see `_section_blocker`)."""
    answers = answers_of(db, id_of(review))
    blockers = [_section_blocker(bank, section, answers) for section in bank.sections]
    return [blocker for blocker in blockers if blocker is not None]


def submit(db: Session, review: Review, bank: Bank, user: User) -> None:
    """The focal point submits the State's answers; they become read-only."""
    if locked_status(db, review, exclusive=True) != "answering":
        raise RuleViolation(_l("The answers have already been submitted."))
    if submission_blockers(db, review, bank):
        raise RuleViolation(_l("Some required answers are missing or not confirmed."))
    review.status = "submitted"
    review.submitted_at = utcnow()
    review.submitted_by_id = user.id
    db.add(review)
    record(
        db,
        actor=user,
        action="review.submit",
        object_type="review",
        object_id=review.id,
        review_id=review.id,
        before={"status": "answering"},
        after={"status": "submitted"},
    )
    events.answers_submitted(db, review, user)
    db.flush()


def reopen(db: Session, review: Review, user: User, reason: str) -> None:
    """The secretariat reopens submitted answers for changes; the reason is recorded."""
    if locked_status(db, review, exclusive=True) != "submitted":
        raise RuleViolation(_l("Only submitted answers can be reopened."))
    if not reason.strip():
        raise RuleViolation(_l("Give the reason for reopening the answers."))
    review.status = "answering"
    review.submitted_at = None
    review.submitted_by_id = None
    db.add(review)
    record(
        db,
        actor=user,
        action="review.reopen",
        object_type="review",
        object_id=review.id,
        review_id=review.id,
        before={"status": "submitted"},
        after={"status": "answering"},
        reason=reason.strip(),
    )
    db.flush()


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
