"""Saving answers without ever losing one, and the submission of a State's answers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, NamedTuple

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam
from sqlalchemy import select as core_select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from questionnaire.accounts.models import User
from questionnaire.audit.services import record
from questionnaire.banks.models import BankVersion
from questionnaire.banks.schema import Bank, Section
from questionnaire.banks.services import bank_of
from questionnaire.db import id_of, update_if_version, update_row, utcnow
from questionnaire.errors import RuleViolation
from questionnaire.responses.models import Answer, AnswerRevision, SectionProgress
from questionnaire.responses.progress import missing_required, visible_questions
from questionnaire.responses.question_types import InvalidValue, type_of
from questionnaire.reviews.models import Review


@dataclass(frozen=True)
class AnswerChange:
    """What a respondent sent for one question, and the version their edit started from."""

    key: str
    value: Any
    is_confidential: bool
    base_version: int  # 0 when the page showed no stored answer


@dataclass(frozen=True)
class Conflict:
    """Someone else saved the answer since the respondent's page was loaded."""

    key: str
    yours: Any
    yours_confidential: bool
    theirs: Any
    theirs_confidential: bool
    theirs_version: int
    theirs_by_id: int | None
    theirs_at: Any


@dataclass
class SaveOutcome:
    """Per question: saved (with its new version), unchanged, or in conflict."""

    saved: dict[str, int] = field(default_factory=dict)
    unchanged: list[str] = field(default_factory=list)
    conflicts: dict[str, Conflict] = field(default_factory=dict)


# The statements of the article page and of autosaves are built once, with bound parameters:
# building one took as long as running it.
_ANSWERS_OF = select(Answer).where(Answer.review_id == bindparam("review_id"))
_LATEST_REVISION = (
    select(AnswerRevision)
    .where(AnswerRevision.answer_id == bindparam("answer_id"))
    .order_by(col(AnswerRevision.version).desc(), col(AnswerRevision.id).desc())
    .limit(1)
)
_earlier = aliased(AnswerRevision)
#: An answer with its latest revision (None before the first), in one round trip: a save
#: needs both, the revision to coalesce into or to take the audit's "before" from.
_ANSWER_AND_LATEST_REVISION = (
    select(Answer, AnswerRevision)
    .outerjoin(
        AnswerRevision,
        col(AnswerRevision.id)
        == (
            select(_earlier.id)
            .where(_earlier.answer_id == Answer.id)
            .order_by(col(_earlier.version).desc(), col(_earlier.id).desc())
            .limit(1)
            .scalar_subquery()
        ),
    )
    .where(Answer.review_id == bindparam("review_id"))
    .where(Answer.question_key == bindparam("question_key"))
)


class StoredAnswer(NamedTuple):
    """What the article page shows of a stored answer, read without building an ORM object."""

    question_key: str
    value: Any
    version: int
    is_confidential: bool
    is_carried_forward: bool
    carried_from: str | None
    review_id: int


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


def _snapshot(answer: Answer) -> dict[str, Any]:
    return {
        "value": answer.value,
        "is_confidential": answer.is_confidential,
        "version": answer.version,
    }


_STATUS = select(Review.status).where(Review.id == bindparam("review_id"))
_STATUS_SHARED = _STATUS.with_for_update(read=True)
_STATUS_EXCLUSIVE = _STATUS.with_for_update()


def _locked_status(db: Session, review: Review, *, exclusive: bool) -> str:
    """The review's status as committed now, its row locked until the transaction ends.

    Changes to answers share the lock, the submission and the reopening take it alone: a
    save under way holds the submission back until it is committed (and seen by the check
    of missing answers), and a save that loaded the review before a submission was committed
    finds it submitted. SQLite serialises writers and ignores the clause.
    """
    query = _STATUS_EXCLUSIVE if exclusive else _STATUS_SHARED
    return db.exec(query, params={"review_id": review.id}).one()


def _hold_open(db: Session, review: Review, *, locked: bool = False) -> None:
    """Refuse a change of answers unless the review is being answered, holding its row's
    shared lock until the transaction ends. `locked`: the caller read `review` with that lock
    in this transaction already (`access.load_review(..., for_change=True)`)."""
    status = review.status if locked else _locked_status(db, review, exclusive=False)
    if status != "answering":
        raise RuleViolation(_l("The answers have been submitted and can no longer be changed."))


def save_answers(
    db: Session,
    review: Review,
    bank: Bank,
    user: User,
    changes: list[AnswerChange],
    *,
    kind: str,
    language: str,
    coalesce_seconds: int = 300,
    review_locked: bool = False,
) -> SaveOutcome:
    """Save what changed; an edit based on an older version is refused as a conflict.

    The version check is part of the UPDATE statement itself, so two saves racing for the
    same answer can never both succeed, whatever the database's isolation level.
    `review_locked`: see `_hold_open`.
    """
    _hold_open(db, review, locked=review_locked)
    outcome = SaveOutcome()
    for change in changes:
        question = bank.questions_by_key.get(change.key)
        if question is None:
            raise InvalidValue(f"unknown question {change.key}")
        found = db.exec(
            _ANSWER_AND_LATEST_REVISION,
            params={"review_id": review.id, "question_key": change.key},
        ).first()
        if found is None:
            _create(db, review, user, change, kind, language, outcome)
            continue
        stored, latest = found
        if stored.value == change.value and stored.is_confidential == change.is_confidential:
            outcome.unchanged.append(change.key)
            continue
        if stored.version != change.base_version or not _update(db, stored, user, change, language):
            db.refresh(stored)
            outcome.conflicts[change.key] = _conflict(change, stored)
            continue
        _revise(db, review, stored, latest, user, kind, coalesce_seconds)
        outcome.saved[change.key] = stored.version
    db.flush()
    return outcome


def _conflict(change: AnswerChange, stored: Answer) -> Conflict:
    return Conflict(
        key=change.key,
        yours=change.value,
        yours_confidential=change.is_confidential,
        theirs=stored.value,
        theirs_confidential=stored.is_confidential,
        theirs_version=stored.version,
        theirs_by_id=stored.updated_by_id,
        theirs_at=stored.updated_at,
    )


def _create(
    db: Session,
    review: Review,
    user: User,
    change: AnswerChange,
    kind: str,
    language: str,
    outcome: SaveOutcome,
) -> None:
    if change.value is None and not change.is_confidential:
        outcome.unchanged.append(change.key)
        return
    answer = Answer(
        review_id=review.id,  # type: ignore[arg-type]
        question_key=change.key,
        value=change.value,
        is_confidential=change.is_confidential,
        language=language,
        updated_by_id=user.id,
    )
    try:
        with db.begin_nested():
            db.add(answer)
    except IntegrityError:
        # Another respondent created the answer a moment ago: theirs stands, ours conflicts.
        stored = db.exec(
            select(Answer).where(Answer.review_id == review.id, Answer.question_key == change.key)
        ).one()
        outcome.conflicts[change.key] = _conflict(change, stored)
        return
    _revise(db, review, answer, None, user, kind, 0, before=None)
    outcome.saved[change.key] = answer.version


def _update(db: Session, stored: Answer, user: User, change: AnswerChange, language: str) -> bool:
    values = {
        "value": change.value,
        "is_confidential": change.is_confidential,
        "version": change.base_version + 1,
        "language": language,
        "is_carried_forward": False,
        "updated_at": utcnow(),
        "updated_by_id": user.id,
    }
    return update_if_version(db, stored, col(Answer.version), change.base_version, values)


def _revise(
    db: Session,
    review: Review,
    answer: Answer,
    latest: AnswerRevision | None,
    user: User,
    kind: str,
    coalesce_seconds: int,
    before: Any = "previous",
) -> None:
    """Record the answer's new state in its history, coalescing one person's autosaves.

    `latest`: the answer's latest revision as read before this change, None if it has none.
    """
    now = utcnow()
    if before == "previous":
        before = latest and {"value": latest.value, "is_confidential": latest.is_confidential}
    if (
        latest is not None
        and latest.kind == "autosave"
        and latest.changed_by_id == user.id
        and now - latest.started_at <= timedelta(seconds=coalesce_seconds)
    ):
        coalesced = {
            "value": answer.value,
            "is_confidential": answer.is_confidential,
            "language": answer.language,
            "version": answer.version,
            "changed_at": now,
            "kind": kind,
        }
        if not update_row(db, latest, coalesced):
            raise RuntimeError(f"answer revision {latest.id} vanished while being updated")
        return
    revision_kind = kind
    if latest is not None and latest.value == answer.value and kind in ("save", "autosave"):
        revision_kind = "flag"  # only the confidentiality changed; a confirmation stays one
    db.add(
        AnswerRevision(
            answer_id=answer.id,  # type: ignore[arg-type]
            version=answer.version,
            kind=revision_kind,
            value=answer.value,
            is_confidential=answer.is_confidential,
            language=answer.language,
            changed_by_id=user.id,
            started_at=now,
            changed_at=now,
        )
    )
    record(
        db,
        actor=user,
        action=f"answer.{revision_kind}",
        object_type="answer",
        object_id=answer.id,
        review_id=review.id,
        before=before,
        after={"value": answer.value, "is_confidential": answer.is_confidential},
    )


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
    """Confirm carried-forward answers as the State's current answers; returns how many."""
    _hold_open(db, review)
    answers = answers_of(db, review.id)  # type: ignore[arg-type]
    confirmed = 0
    for key in keys:
        answer = answers.get(key)
        if answer is None or not answer.is_carried_forward:
            continue
        answer.is_carried_forward = False
        answer.version += 1
        answer.updated_by_id = user.id
        answer.updated_at = utcnow()
        latest = db.exec(_LATEST_REVISION, params={"answer_id": answer.id}).first()
        db.add(answer)
        db.flush()
        _revise(db, review, answer, latest, user, "confirm", 0)
        confirmed += 1
    db.flush()
    return confirmed


def progress_rows(db: Session, review_id: int) -> dict[str, SectionProgress]:
    rows = db.exec(select(SectionProgress).where(SectionProgress.review_id == review_id))
    return {row.section_key: row for row in rows}


def mark_section(
    db: Session, review: Review, bank: Bank, section: Section, user: User, *, is_complete: bool
) -> list[str]:
    """Mark a section complete (refused while required answers are missing) or not.

    Returns the keys of the missing required questions; nothing is changed when there are any.
    """
    _hold_open(db, review)
    values = {key: answer.value for key, answer in answers_of(db, review.id).items()}  # type: ignore[arg-type]
    missing = [q.key for q in missing_required(bank, section, values)] if is_complete else []
    if missing:
        return missing
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
    return []


@dataclass(frozen=True)
class SubmissionBlocker:
    """Why the answers cannot be submitted yet, section by section."""

    section_key: str
    missing: tuple[str, ...]
    to_confirm: tuple[str, ...]


def submission_blockers(db: Session, review: Review, bank: Bank) -> list[SubmissionBlocker]:
    """What stands in the way of submission: required answers missing, carried answers to confirm.

    Only questions currently shown count: a carried-forward answer to a follow-up that the
    answers now hide cannot be confirmed on the page, and is not part of the State's answers.
    """
    answers = answers_of(db, review.id)  # type: ignore[arg-type]
    values = {key: answer.value for key, answer in answers.items()}
    blockers = []
    for section in bank.sections:
        missing = tuple(q.key for q in missing_required(bank, section, values))
        to_confirm = tuple(
            q.key
            for q in visible_questions(bank, section, values)
            if q.key in answers and answers[q.key].is_carried_forward
        )
        if missing or to_confirm:
            blockers.append(SubmissionBlocker(section.key, missing, to_confirm))
    return blockers


def submit(db: Session, review: Review, bank: Bank, user: User) -> None:
    """The focal point submits the State's answers; they become read-only."""
    if _locked_status(db, review, exclusive=True) != "answering":
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
    db.flush()


def reopen(db: Session, review: Review, user: User, reason: str) -> None:
    """The secretariat reopens submitted answers for changes; the reason is recorded."""
    if _locked_status(db, review, exclusive=True) != "submitted":
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


def carry_forward(db: Session, review: Review, bank: Bank) -> int:
    """Pre-fill answers from the State's latest earlier submission on the same questionnaire.

    Questions keep their key across versions, and `replaces` names the keys a new question
    continues. A value that no longer fits the question (an option that was removed) is not
    carried; the earlier answer stays on record with its own review.
    """
    earlier = db.exec(
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
    if earlier is None:
        return 0
    old_review, old_version = earlier
    old_bank = bank_of(old_version)
    old_answers = answers_of(db, old_review.id)  # type: ignore[arg-type]
    existing = answers_of(db, review.id)  # type: ignore[arg-type]
    carried = 0
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
        if value is None:
            continue
        try:
            value = type_of(question).from_json(question, value)
        except InvalidValue:
            continue
        answer = Answer(
            review_id=review.id,  # type: ignore[arg-type]
            question_key=question.key,
            value=value,
            is_confidential=any(answer.is_confidential for answer in found),
            language=found[0].language,
            is_carried_forward=True,
            carried_from=f"{old_bank.label}: {', '.join(a.question_key for a in found)}",
        )
        db.add(answer)
        db.flush()
        db.add(
            AnswerRevision(
                answer_id=answer.id,  # type: ignore[arg-type]
                version=1,
                kind="carry_forward",
                value=value,
                is_confidential=answer.is_confidential,
                language=answer.language,
            )
        )
        carried += 1
    db.flush()
    return carried


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
