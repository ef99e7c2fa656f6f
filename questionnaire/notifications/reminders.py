"""Deadline reminders: one per item and threshold (days before the deadline, then overdue).

`send_reminders` is idempotent: each (item, deadline, threshold) is recorded in `reminder_sent`
before its message is queued, under a unique key, so a second run the same day, or two runs
at once, send nothing more. Run it daily (cron, or the worker's scheduler).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from questionnaire.accounts.models import User
from questionnaire.dashboard.nominations_due import nominations_due
from questionnaire.db import id_of
from questionnaire.i18n import current_language
from questionnaire.notifications.models import ReminderSent
from questionnaire.reference.models import State
from questionnaire.reference.names import state_name
from questionnaire.reviews import people
from questionnaire.reviews.deadlines import Deadlines, by_phase
from questionnaire.reviews.models import Review
from questionnaire.reviews.notices import ReviewNotice, Texts, link, send_notice
from questionnaire.workspace.models import DialogueMessage, ListOfObservations, Observation

#: Days before a deadline at which a reminder is sent; one more is sent once it has passed.
DEFAULT_DAYS = (14, 7, 1)
OVERDUE = "overdue"


@dataclass(frozen=True)
class DueItem:
    """Something due by a date, and who is reminded of it."""

    key: str  # e.g. answers:12, or a nomination's key
    kind: str  # answers, feedback, focal_point, experts
    review: Review
    due_on: date
    recipients: list[User]
    state: str  # whose part it is: the State under review or a reviewing State


def threshold(due_on: date, today: date, days: Sequence[int] = DEFAULT_DAYS) -> str | None:
    """The closest threshold reached: '7' from 7 days before (down to 2), 'overdue' after the
    day; None while the deadline is further away than every threshold."""
    left = (due_on - today).days
    if left < 0:
        return OVERDUE
    reached = [d for d in days if left <= d]
    return str(min(reached)) if reached else None


def _feedback_given(db: Session, review: Review) -> bool:
    requests = db.exec(
        select(func.count())
        .select_from(DialogueMessage)
        .where(DialogueMessage.review_id == review.id, DialogueMessage.kind == "request")
    ).one()
    observations = db.exec(
        select(func.count()).select_from(Observation).where(Observation.review_id == review.id)
    ).one()
    return bool(requests or observations)


def _nominations(db: Session, today: date, secretariat: list[User]) -> Iterator[DueItem]:
    """Focal points and experts not named yet, for the State under review and each reviewing
    State: the secretariat, who records the nominations, is reminded to ask for them."""
    for due in nominations_due(db, today):
        review = db.get(Review, due.review_ids[0])
        if review is not None:
            yield DueItem(due.key, due.role, review, due.due_on, secretariat, due.state_code)


def due_items(db: Session, today: date, deadlines: Deadlines) -> list[DueItem]:
    """Everything still to be done by a deadline, in every review."""
    items = list(_nominations(db, today, people.secretariat(db)))
    lists = dict(db.exec(select(ListOfObservations.review_id, ListOfObservations.status)).all())
    phase_deadlines = by_phase(db, deadlines)
    for review in db.exec(select(Review).order_by(col(Review.id))).all():
        if review.status == "answering":
            recipients = people.respondents(db, review, ("focal_point", "expert"))
            items.append(
                DueItem(
                    f"answers:{review.id}",
                    "answers",
                    review,
                    review.answers_due_on,
                    recipients,
                    review.state_code,
                )
            )
        elif (
            review.submitted_at is not None
            and lists.get(id_of(review), "drafting") == "drafting"
            and not _feedback_given(db, review)
        ):
            durations = phase_deadlines.get(review.phase_id, deadlines)
            due = durations.feedback_due(review.submitted_at.date())
            recipients = people.reviewers(db, review)
            items.append(DueItem(f"feedback:{review.id}", "feedback", review, due, recipients, ""))
    return items


def _texts(db: Session, item: DueItem, mark: str) -> Texts:
    def texts(state: str) -> tuple[str, str, str]:
        row = db.get(State, item.state)
        other = state_name(row, current_language()) if row else item.state
        if mark == OVERDUE:
            subject = _("Overdue: review of %(state)s", state=state)
        else:
            subject = _("Reminder: review of %(state)s", state=state)
        if item.kind == "answers":
            happened = _("The answers of %(state)s have not been submitted yet.", state=state)
            expected = _("Complete the answers; the focal point then checks and submits them.")
        elif item.kind == "feedback":
            happened = _(
                "No written feedback has been sent on the answers of %(state)s yet.", state=state
            )
            expected = _(
                "Send your questions and requests for clarification in the dialogue on each "
                "article, or draft your observations."
            )
        elif item.kind == "focal_point":
            happened = _(
                "No focal point of %(nominating)s has been named for this review.", nominating=other
            )
            expected = _(
                "Ask %(nominating)s for its nomination by note verbale, and record it.",
                nominating=other,
            )
        else:
            happened = _(
                "No governmental expert of %(nominating)s has been named for this review.",
                nominating=other,
            )
            expected = _(
                "Ask %(nominating)s for its nominations by note verbale, and record them.",
                nominating=other,
            )
        return subject, happened, expected

    return texts


def _url(item: DueItem) -> str:
    if item.kind == "answers":
        return link("responses.overview", review_id=item.review.id)
    if item.kind == "feedback":
        return link("workspace.overview", review_id=item.review.id)
    return link("dashboard.index", phase=item.review.phase_id)


@dataclass(frozen=True)
class ReminderRun:
    """What one run sent: (item key, threshold, recipients) per reminder."""

    sent: list[tuple[str, str, int]]


def send_reminders(
    db: Session, today: date, *, days: Sequence[int] = DEFAULT_DAYS, deadlines: Deadlines
) -> ReminderRun:
    """Queue the reminders due today that were not sent before (see the module's docstring)."""
    sent = []
    for item in due_items(db, today, deadlines):
        mark = threshold(item.due_on, today, days)
        if mark is None or not item.recipients or _already_sent(db, item, mark):
            continue
        row = ReminderSent(item=item.key, due_on=item.due_on, threshold=mark)
        try:
            with db.begin_nested():
                db.add(row)
        except IntegrityError:  # sent meanwhile by a run at the same moment
            continue
        notice = ReviewNotice(item.review, _texts(db, item, mark), _url(item), item.due_on)
        row.recipients = count = send_notice(db, notice, item.recipients)
        db.add(row)
        sent.append((item.key, mark, count))
    db.flush()
    return ReminderRun(sent)


def _already_sent(db: Session, item: DueItem, mark: str) -> bool:
    return (
        db.exec(
            select(ReminderSent.id).where(
                ReminderSent.item == item.key,
                ReminderSent.due_on == item.due_on,
                ReminderSent.threshold == mark,
            )
        ).first()
        is not None
    )
