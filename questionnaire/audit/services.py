"""Recording audit entries; services call this in the same transaction as the change."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from questionnaire.accounts.models import User
from questionnaire.audit.models import AuditEntry


def record(
    db: Session,
    *,
    actor: User | None,
    action: str,
    object_type: str,
    object_id: object,
    review_id: int | None = None,
    before: Any = None,
    after: Any = None,
    reason: str | None = None,
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
    )
    db.add(entry)
    return entry
