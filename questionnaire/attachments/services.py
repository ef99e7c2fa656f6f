"""Attaching a State's replies to earlier questionnaires to its review, and removing them.

The files are reference material for the review: stored in the database, read by the State,
the review's reviewers and the secretariat, and never published (no conference room paper,
export, API answer or analysis reads this table).
"""

from __future__ import annotations

from typing import NamedTuple

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import defer
from sqlmodel import Session, col, select

from questionnaire.accounts.models import User
from questionnaire.attachments.content import media_type
from questionnaire.attachments.models import ReviewAttachment
from questionnaire.audit.services import record
from questionnaire.db import id_of
from questionnaire.errors import RuleViolation
from questionnaire.reviews.models import Review

#: The largest file accepted (the request itself is held to MAX_CONTENT_LENGTH).
MAX_BYTES = 3 * 1024 * 1024


class AttachmentRow(NamedTuple):
    """An attachment as listed, without its content."""

    id: int
    filename: str
    media_type: str
    size_bytes: int
    description: str


def attachments_of(db: Session, review_id: int) -> list[AttachmentRow]:
    """The review's attachments, oldest first, without their content."""
    rows = db.exec(
        select(ReviewAttachment)
        .where(ReviewAttachment.review_id == review_id)
        .options(defer(ReviewAttachment.data))  # type: ignore[arg-type]
        .order_by(col(ReviewAttachment.uploaded_at), col(ReviewAttachment.id))
    )
    return [
        AttachmentRow(id_of(a), a.filename, a.media_type, a.size_bytes, a.description) for a in rows
    ]


def attach(
    db: Session, review: Review, user: User, filename: str, raw: bytes, description: str
) -> ReviewAttachment:
    """Store the file as an attachment of the review, once its content is found to be of an
    accepted type and within the size limit."""
    name = _clean_name(filename)
    if len(raw) > MAX_BYTES:
        raise RuleViolation(_l("%(file)s: an attached file has at most 3 MB.", file=name))
    if not raw:
        raise RuleViolation(_l("%(file)s: the file is empty.", file=name))
    found = media_type(name, raw)
    if found is None:
        raise RuleViolation(
            _l(
                "%(file)s: attach a PDF, Excel, Word or OpenDocument file whose content "
                "matches its name.",
                file=name,
            )
        )
    attachment = ReviewAttachment(
        review_id=id_of(review),
        filename=name,
        media_type=found,
        size_bytes=len(raw),
        description=description.strip()[:300],
        data=raw,
        uploaded_by_id=user.id,
    )
    db.add(attachment)
    db.flush()
    record(
        db,
        actor=user,
        action="attachment.add",
        object_type="review_attachment",
        object_id=attachment.id,
        review_id=review.id,
        after={"filename": name, "media_type": found, "size_bytes": len(raw)},
    )
    return attachment


def remove(db: Session, attachment: ReviewAttachment, user: User) -> None:
    """Delete an attachment (its content is gone; the audit keeps its name and size)."""
    record(
        db,
        actor=user,
        action="attachment.remove",
        object_type="review_attachment",
        object_id=attachment.id,
        review_id=attachment.review_id,
        before={"filename": attachment.filename, "size_bytes": attachment.size_bytes},
    )
    db.delete(attachment)
    db.flush()


def _clean_name(filename: str) -> str:
    """The file's own name, without a path or control characters, at most 200 characters."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '"<>|:*?').strip()
    if len(name) > 200:
        stem, dot, extension = name.rpartition(".")
        name = f"{stem[: 199 - len(extension)]}{dot}{extension}" if dot else name[:200]
    return name or "attachment"
