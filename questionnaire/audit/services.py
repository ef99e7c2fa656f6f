"""Recording audit entries; services call this in the same transaction as the change."""

from __future__ import annotations

from typing import Any, Protocol

from sqlalchemy import insert
from sqlmodel import Session

from questionnaire.audit.models import AuditEntry
from questionnaire.db import utcnow


class Actor(Protocol):
    """Who made a change: a user account, of which the log keeps the id. The audit log sits
    below every feature, the accounts included, so it names no model of theirs."""

    @property
    def id(self) -> int | None: ...


def record(
    db: Session,
    *,
    actor: Actor | None,
    action: str,
    object_type: str,
    object_id: object,
    review_id: int | None = None,
    before: Any = None,
    after: Any = None,
    reason: str | None = None,
    login_email: str | None = None,
    client_address: str | None = None,
) -> AuditEntry:
    """Add one entry to the audit log (flushed with the change it describes)."""
    entry = AuditEntry(
        actor_id=actor.id if actor else None,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        review_id=review_id,
        before=before,
        after=after,
        reason=reason,
        login_email=login_email,
        client_address=client_address,
    )
    db.add(entry)
    return entry


def record_many(db: Session, actor: Actor | None, entries: list[dict[str, Any]]) -> None:
    """Add many entries by one actor in one statement (a section's Save changes 20 answers).

    Each item holds the keyword arguments of `record` but the actor: `action`, `object_type`,
    `object_id`, and optionally `review_id`, `before`, `after`, `reason`. The entries are
    inserted at once, without reading their ids back.
    """
    if not entries:
        return
    at = utcnow()
    actor_id = actor.id if actor else None  # read once: `actor` is often the request's proxy
    rows = [
        {
            "at": at,
            "actor_id": actor_id,
            "action": entry["action"],
            "object_type": entry["object_type"],
            "object_id": str(entry["object_id"]),
            "review_id": entry.get("review_id"),
            "before": entry.get("before"),
            "after": entry.get("after"),
            "reason": entry.get("reason"),
        }
        for entry in entries
    ]
    db.connection().execute(insert(AuditEntry.__table__), rows)  # type: ignore[attr-defined]
