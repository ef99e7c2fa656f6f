"""Marking sections complete, submitting the State's answers and reopening them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlmodel import Session

from questionnaire.accounts.models import User
from questionnaire.audit.services import record
from questionnaire.banks.schema import Bank, Section
from questionnaire.db import id_of, utcnow
from questionnaire.errors import RuleViolation
from questionnaire.responses import events
from questionnaire.responses.models import Answer, SectionProgress
from questionnaire.responses.progress import missing_required, visible_questions
from questionnaire.responses.queries import answers_of, progress_rows
from questionnaire.responses.saving import hold_open, locked_status
from questionnaire.reviews.models import Review


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
