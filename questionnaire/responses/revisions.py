"""The history of answers: one revision and one audit entry for every change, in bulk.

Only consecutive autosaves of one person's text, within the coalescing window, are merged into
one revision (and keep the audit entry of the first): a change of the confidentiality flag, a
Save of the page, a confirmation and a carried-forward answer always start a revision of their
own, with its audit entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, insert, null, select, update
from sqlmodel import Session

from questionnaire.accounts.models import User
from questionnaire.audit.services import record_many
from questionnaire.db import utcnow
from questionnaire.responses.models import Answer, AnswerRevision
from questionnaire.reviews.models import Review

_ANSWER = Answer.__table__  # type: ignore[attr-defined]
_REVISION = AnswerRevision.__table__  # type: ignore[attr-defined]
_EARLIER = _REVISION.alias("earlier")
#: The id of an answer's latest revision: the index ix_answer_revision_latest answers it.
_LATEST_ID = (
    select(_EARLIER.c.id)
    .where(_EARLIER.c.answer_id == _ANSWER.c.id)
    .order_by(_EARLIER.c.version.desc(), _EARLIER.c.id.desc())
    .limit(1)
    .scalar_subquery()
)
_ANSWER_COLUMNS = (
    _ANSWER.c.id,
    _ANSWER.c.question_key,
    _ANSWER.c.value,
    _ANSWER.c.is_confidential,
    _ANSWER.c.version,
    _ANSWER.c.language,
    _ANSWER.c.is_carried_forward,
    _ANSWER.c.updated_by_id,
    _ANSWER.c.updated_at,
)
#: What a change reads of an answer's latest revision: only an autosave may merge into it.
_LATEST_COLUMNS = (
    _REVISION.c.id.label("revision_id"),
    _REVISION.c.kind.label("revision_kind"),
    _REVISION.c.is_confidential.label("revision_confidential"),
    _REVISION.c.changed_by_id.label("revision_by_id"),
    _REVISION.c.started_at.label("revision_started_at"),
)
_OF_REVIEW_BY_KEY = (
    _ANSWER.c.review_id == bindparam("review_id"),
    _ANSWER.c.question_key.in_(bindparam("keys", expanding=True)),
)
#: Answers of a review by question key, each with its latest revision (NULLs before the first).
ANSWER_AND_LATEST = (
    select(*_ANSWER_COLUMNS, *_LATEST_COLUMNS)
    .select_from(_ANSWER.outerjoin(_REVISION, _REVISION.c.id == _LATEST_ID))
    .where(*_OF_REVIEW_BY_KEY)
)
#: The same rows with NULLs for the latest revision, for a change that never merges into it
#: (every kind but an autosave): a Save of a whole section skips the lookup of 20 revisions.
ANSWER_ALONE = select(
    *_ANSWER_COLUMNS, *(null().label(column.name) for column in _LATEST_COLUMNS)
).where(*_OF_REVIEW_BY_KEY)
_COALESCE = (
    update(_REVISION)
    .where(_REVISION.c.id == bindparam("revision_id"))
    .values(
        value=bindparam("new_value"),
        language=bindparam("new_language"),
        version=bindparam("new_version"),
        changed_at=bindparam("new_at"),
    )
)
_INSERT = insert(_REVISION)


@dataclass(frozen=True)
class Revised:
    """One answer after a change, with what it was before and its latest revision before."""

    answer_id: int
    version: int
    value: Any
    is_confidential: bool
    language: str
    #: value and flag before the change; None for a new answer
    before: dict[str, Any] | None
    was_carried_forward: bool = False
    latest_id: int | None = None
    latest_kind: str | None = None
    latest_confidential: bool | None = None
    latest_by_id: int | None = None
    latest_started_at: datetime | None = None

    @classmethod
    def of_change(cls, row: Any, change: Any, language: str) -> Revised:
        """`row` as read by ANSWER_AND_LATEST, changed as `change` (an AnswerChange) says."""
        return cls(
            answer_id=row.id,
            version=change.base_version + 1,
            value=change.value,
            is_confidential=change.is_confidential,
            language=language,
            before={
                "value": row.value,
                "is_confidential": row.is_confidential,
                **({"is_carried_forward": True} if row.is_carried_forward else {}),
            },
            was_carried_forward=row.is_carried_forward,
            latest_id=row.revision_id,
            latest_kind=row.revision_kind,
            latest_confidential=row.revision_confidential,
            latest_by_id=row.revision_by_id,
            latest_started_at=row.revision_started_at,
        )

    @classmethod
    def created(cls, answer_id: int, change: Any, language: str) -> Revised:
        return cls(answer_id, 1, change.value, change.is_confidential, language, before=None)

    def after(self) -> dict[str, Any]:
        after = {"value": self.value, "is_confidential": self.is_confidential}
        if self.was_carried_forward:
            after["is_carried_forward"] = False  # edited or confirmed: the State's own now
        return after


def coalesces(revised: Revised, kind: str, user_id: int, now: datetime, seconds: int) -> bool:
    """Whether the change merges into the answer's latest revision: an autosave of the text
    alone, by the person whose autosave that revision is, within `seconds` of its start."""
    return (
        kind == "autosave"
        and revised.latest_kind == "autosave"
        and revised.latest_by_id == user_id
        and not revised.was_carried_forward
        and revised.before is not None
        and revised.before["is_confidential"] == revised.is_confidential
        and revised.latest_confidential == revised.is_confidential
        and revised.latest_started_at is not None
        and now - revised.latest_started_at <= timedelta(seconds=seconds)
    )


def revision_kind(revised: Revised, kind: str) -> str:
    """`kind`, or "flag" for a save or autosave that changed the confidentiality alone."""
    changed_flag_alone = revised.before is not None and revised.before["value"] == revised.value
    return "flag" if kind in ("save", "autosave") and changed_flag_alone else kind


def record_revisions(
    db: Session,
    review: Review,
    user: User | None,
    revised: list[Revised],
    *,
    kind: str,
    coalesce_seconds: int = 0,
) -> None:
    """Record each answer's new state in its history and the audit log, in bulk."""
    if not revised:
        return
    now = utcnow()
    # Read once: `user` is often the request's proxy, each attribute read a lookup.
    user_id = user.id if user is not None else None
    merged: list[dict[str, Any]] = []
    added: list[dict[str, Any]] = []
    audited: list[dict[str, Any]] = []
    for item in revised:
        if user_id is not None and coalesces(item, kind, user_id, now, coalesce_seconds):
            merged.append(
                {
                    "revision_id": item.latest_id,
                    "new_value": item.value,
                    "new_language": item.language,
                    "new_version": item.version,
                    "new_at": now,
                }
            )
            continue
        this_kind = revision_kind(item, kind)
        added.append(_revision_row(item, this_kind, user_id, now))
        audited.append(
            {
                "action": f"answer.{this_kind}",
                "object_type": "answer",
                "object_id": item.answer_id,
                "review_id": review.id,
                "before": item.before,
                "after": item.after(),
            }
        )
    connection = db.connection()
    if merged and connection.execute(_COALESCE, merged).rowcount != len(merged):
        raise RuntimeError("an answer revision vanished while being updated")
    if added:
        connection.execute(_INSERT, added)
    record_many(db, user, audited)


def _revision_row(item: Revised, kind: str, user_id: int | None, now: datetime) -> dict[str, Any]:
    return {
        "answer_id": item.answer_id,
        "version": item.version,
        "kind": kind,
        "value": item.value,
        "is_confidential": item.is_confidential,
        "language": item.language,
        "changed_by_id": user_id,
        "started_at": now,
        "changed_at": now,
    }
