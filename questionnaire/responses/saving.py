"""Saving answers without ever losing one, a whole section in a handful of statements.

A save reads the answers it changes with their latest revisions in one query, writes them with
one conditional UPDATE run for all of them (the version check is part of each row's WHERE
clause, so of two saves racing for one answer exactly one succeeds), then records their
revisions and audit entries in bulk (`questionnaire.responses.revisions`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, insert, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, select

from questionnaire.accounts.models import User
from questionnaire.banks.schema import Bank
from questionnaire.db import id_of, utcnow
from questionnaire.errors import RuleViolation
from questionnaire.responses.models import Answer
from questionnaire.responses.question_types import InvalidValue
from questionnaire.responses.revisions import (
    ANSWER_ALONE,
    ANSWER_AND_LATEST,
    Revised,
    record_revisions,
)
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


_ANSWER = Answer.__table__  # type: ignore[attr-defined]
_STATUS = select(Review.status).where(Review.id == bindparam("review_id"))
_STATUS_SHARED = _STATUS.with_for_update(read=True)
_STATUS_EXCLUSIVE = _STATUS.with_for_update()
#: The new state of one answer, at the version the edit was based on; run for many at once.
_UPDATE = (
    update(_ANSWER)
    .where(_ANSWER.c.id == bindparam("row_id"), _ANSWER.c.version == bindparam("base_version"))
    .values(
        value=bindparam("new_value"),
        is_confidential=bindparam("new_confidential"),
        version=bindparam("new_version"),
        language=bindparam("new_language"),
        is_carried_forward=bindparam("new_carried"),
        updated_at=bindparam("new_at"),
        updated_by_id=bindparam("new_by"),
    )
)
#: What the UPDATE writes: (attribute of Answer, its parameter).
_WRITTEN_ATTRIBUTES = (
    ("value", "new_value"),
    ("is_confidential", "new_confidential"),
    ("version", "new_version"),
    ("language", "new_language"),
    ("is_carried_forward", "new_carried"),
    ("updated_at", "new_at"),
    ("updated_by_id", "new_by"),
)
# Inserted without RETURNING, then their ids read by key: SQLite cannot return the ids of an
# executemany in order, and inserting row by row took a statement per answer.
_INSERT = insert(_ANSWER)
_IDS = select(_ANSWER.c.question_key, _ANSWER.c.id).where(
    _ANSWER.c.review_id == bindparam("review_id"),
    _ANSWER.c.question_key.in_(bindparam("keys", expanding=True)),
)


def locked_status(db: Session, review: Review, *, exclusive: bool) -> str:
    """The review's status as committed now, its row locked until the transaction ends.

    Changes to answers share the lock, the submission and the reopening take it alone: a
    save under way holds the submission back until it is committed (and seen by the check
    of missing answers), and a save that loaded the review before a submission was committed
    finds it submitted. SQLite serialises writers and ignores the clause.
    """
    query = _STATUS_EXCLUSIVE if exclusive else _STATUS_SHARED
    return db.exec(query, params={"review_id": review.id}).one()


def hold_open(db: Session, review: Review, *, locked: bool = False) -> None:
    """Refuse a change of answers unless the review is being answered, holding its row's
    shared lock until the transaction ends. `locked`: the caller read `review` with that lock
    in this transaction already (`access.load_review(..., for_change=True)`)."""
    status = review.status if locked else locked_status(db, review, exclusive=False)
    if status != "answering":
        raise RuleViolation(_l("The answers have been submitted and can no longer be changed."))


def current_answers(
    db: Session, review_id: int, keys: Sequence[str], with_latest_revision: bool = True
) -> dict[str, Any]:
    """The answers to `keys` with their latest revisions, by question key, in one query.
    Without `with_latest_revision`, the revision's columns are NULL (`Revised.of_change`
    then records a change that merges into nothing)."""
    query = ANSWER_AND_LATEST if with_latest_revision else ANSWER_ALONE
    rows = db.connection().execute(query, {"review_id": review_id, "keys": keys})
    return {row.question_key: row for row in rows}


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

    Each changed answer gets a revision and an audit entry; only consecutive autosaves of one
    person's text within `coalesce_seconds` are merged into one revision (see
    `revisions.record_revisions`). `review_locked`: see `hold_open`.
    """
    hold_open(db, review, locked=review_locked)
    for change in changes:
        if change.key not in bank.questions_by_key:
            raise InvalidValue(f"unknown question {change.key}")
    outcome = SaveOutcome()
    user_id = user.id  # read once: `user` is often the request's proxy
    assert user_id is not None
    may_coalesce = kind == "autosave"  # see `revisions.coalesces`
    current = current_answers(db, id_of(review), [c.key for c in changes], may_coalesce)
    now = utcnow()
    creations, updates = [], []
    for change in changes:
        row = current.get(change.key)
        if row is None:
            if change.value is None and not change.is_confidential:
                outcome.unchanged.append(change.key)  # an empty answer is not stored
            else:
                creations.append(change)
        elif row.value == change.value and row.is_confidential == change.is_confidential:
            outcome.unchanged.append(change.key)
        elif row.version != change.base_version:
            outcome.conflicts[change.key] = _conflict(change, row)
        else:
            updates.append((change, row))
    revised = _update(db, id_of(review), user_id, updates, language, now, outcome)
    revised += _create(db, review, user_id, creations, language, now, outcome)
    record_revisions(db, review, user, revised, kind=kind, coalesce_seconds=coalesce_seconds)
    return outcome


def _conflict(change: AnswerChange, stored: Any) -> Conflict:
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


def write_answers(db: Session, params: list[dict[str, Any]]) -> int:
    """Run the conditional UPDATE for each row of `params`; returns how many rows it changed.
    Answers of the session's identity map get the new values, without reading them again."""
    if not params:
        return 0
    written = db.connection().execute(_UPDATE, params).rowcount
    for item in params:
        loaded = db.identity_map.get(db.identity_key(Answer, item["row_id"]))
        if loaded is not None:
            for name, param in _WRITTEN_ATTRIBUTES:
                set_committed_value(loaded, name, item[param])
    return written


def _update(
    db: Session,
    review_id: int,
    user_id: int,
    updates: list[tuple[AnswerChange, Any]],
    language: str,
    now: datetime,
    outcome: SaveOutcome,
) -> list[Revised]:
    params = [
        {
            "row_id": row.id,
            "base_version": change.base_version,
            "new_value": change.value,
            "new_confidential": change.is_confidential,
            "new_version": change.base_version + 1,
            "new_language": language,
            "new_carried": False,
            "new_at": now,
            "new_by": user_id,
        }
        for change, row in updates
    ]
    applied = {change.key for change, _row in updates}
    if write_answers(db, params) != len(params):
        applied = _applied(db, review_id, user_id, updates, now, outcome)
    revised = []
    for change, row in updates:
        if change.key in applied:
            outcome.saved[change.key] = change.base_version + 1
            revised.append(Revised.of_change(row, change, language))
    return revised


def _applied(
    db: Session,
    review_id: int,
    user_id: int,
    updates: list[tuple[AnswerChange, Any]],
    now: datetime,
    outcome: SaveOutcome,
) -> set[str]:
    """Which rows this save wrote, when another save changed some of them since they were
    read (it raised their version first): ours carry our version, time and author; the
    others are conflicts, shown as the other save left them."""
    rows = current_answers(db, review_id, [change.key for change, _row in updates])
    applied = set()
    for change, _row in updates:
        row = rows[change.key]
        if (row.version, row.updated_by_id, row.updated_at) == (
            change.base_version + 1,
            user_id,
            now,
        ):
            applied.add(change.key)
        else:
            outcome.conflicts[change.key] = _conflict(change, row)
    return applied


def _create(
    db: Session,
    review: Review,
    user_id: int,
    creations: list[AnswerChange],
    language: str,
    now: datetime,
    outcome: SaveOutcome,
) -> list[Revised]:
    """Insert the new answers at once; when another respondent created one of them a moment
    ago, one at a time: theirs stands, ours conflicts."""
    if not creations:
        return []
    try:
        with db.begin_nested():
            ids = _insert(db, review, user_id, creations, language, now)
    except IntegrityError:
        ids = []
        for change in creations:
            try:
                with db.begin_nested():
                    ids += _insert(db, review, user_id, [change], language, now)
            except IntegrityError:
                stored = db.exec(
                    select(Answer).where(
                        Answer.review_id == review.id,
                        Answer.question_key == change.key,
                    )
                ).one()
                outcome.conflicts[change.key] = _conflict(change, stored)
                ids.append(None)
    revised = []
    for change, answer_id in zip(creations, ids, strict=True):
        if answer_id is not None:
            outcome.saved[change.key] = 1
            revised.append(Revised.created(answer_id, change, language))
    return revised


def _insert(
    db: Session,
    review: Review,
    user_id: int,
    creations: list[AnswerChange],
    language: str,
    now: datetime,
) -> list[int | None]:
    params = [
        {
            "review_id": review.id,
            "question_key": change.key,
            "value": change.value,
            "is_confidential": change.is_confidential,
            "version": 1,
            "language": language,
            "is_carried_forward": False,
            "carried_from": None,
            "updated_at": now,
            "updated_by_id": user_id,
        }
        for change in creations
    ]
    connection = db.connection()
    connection.execute(_INSERT, params)
    keys = [change.key for change in creations]
    ids = {
        key: id_ for key, id_ in connection.execute(_IDS, {"review_id": review.id, "keys": keys})
    }
    return [ids[key] for key in keys]
