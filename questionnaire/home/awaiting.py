"""What awaits a person, with its deadline: the panel at the top of every home page.

Read only. Each item says what to do, in the reader's language, and links to where to do it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlmodel import Session, col, func, select

from questionnaire.accounts.models import User
from questionnaire.banks.services import bank_of
from questionnaire.dashboard.nominations_due import by_names, nominations_due
from questionnaire.db import id_of
from questionnaire.i18n import codes, current_language
from questionnaire.outbox.models import OutboxMessage
from questionnaire.outbox.services import MAX_ATTEMPTS
from questionnaire.reference.models import State
from questionnaire.reference.names import state_name
from questionnaire.responses.submission import submission_blockers
from questionnaire.reviews.deadlines import of_review
from questionnaire.reviews.people import seated_states
from questionnaire.reviews.queries import ReviewRow, reviews_for
from questionnaire.workspace import signoff
from questionnaire.workspace.dialogue import open_requests
from questionnaire.workspace.models import ListOfObservations, Observation

#: At most this many nominations due are listed to the secretariat (the dashboard has them all).
NOMINATIONS_SHOWN = 10


@dataclass(frozen=True)
class AwaitingItem:
    """One thing a person is expected to do."""

    text: str
    url: str
    due_on: date | None = None
    is_overdue: bool = False
    review_id: int | None = None  # the review it is about, if one


def _item(
    text: str, url: str, due_on: date | None, today: date, review_id: int | None = None
) -> AwaitingItem:
    return AwaitingItem(text, url, due_on, due_on is not None and today > due_on, review_id)


def _list_status(db: Session, review_id: int) -> str:
    found = db.exec(
        select(ListOfObservations.status).where(ListOfObservations.review_id == review_id)
    ).first()
    return found or "drafting"


def unanswered_requests(db: Session, review_id: int) -> int:
    """Requests for clarification that no reply answers yet."""
    return len(open_requests(db, review_id))


def _answering(db: Session, row: ReviewRow, name: str, today: date) -> list[AwaitingItem]:
    review = row.review
    blockers = submission_blockers(db, review, bank_of(row.bank_version))
    missing = sum(len(b.missing) for b in blockers)
    to_confirm = sum(len(b.to_confirm) for b in blockers)
    overview = url_for("responses.overview", review_id=review.id)
    items = []
    if missing:
        text = ngettext(
            "Answer the questionnaire of %(state)s (%(instrument)s): %(num)d required answer "
            "is missing.",
            "Answer the questionnaire of %(state)s (%(instrument)s): %(num)d required answers "
            "are missing.",
            missing,
            state=name,
            instrument=row.bank_version.instrument,
        )
        items.append(_item(text, overview, review.answers_due_on, today, review.id))
    if to_confirm:
        text = ngettext(
            "Confirm %(num)d answer carried forward from the last review (%(instrument)s).",
            "Confirm %(num)d answers carried forward from the last review (%(instrument)s).",
            to_confirm,
            instrument=row.bank_version.instrument,
        )
        items.append(_item(text, overview, review.answers_due_on, today, review.id))
    if not blockers and row.role == "focal_point":
        text = _(
            "Check and submit the answers of %(state)s (%(instrument)s).",
            state=name,
            instrument=row.bank_version.instrument,
        )
        items.append(
            _item(
                text,
                url_for("responses.check", review_id=review.id),
                review.answers_due_on,
                today,
                review.id,
            )
        )
    return items


def _state_side(db: Session, row: ReviewRow, name: str, today: date) -> list[AwaitingItem]:
    review = row.review
    if review.status == "answering":
        return _answering(db, row, name, today)
    items = []
    requests = unanswered_requests(db, id_of(review))
    if requests:
        text = ngettext(
            "%(num)d request for clarification on the answers (%(instrument)s) awaits your reply.",
            "%(num)d requests for clarification on the answers (%(instrument)s) await your reply.",
            requests,
            instrument=row.bank_version.instrument,
        )
        items.append(
            _item(text, url_for("workspace.overview", review_id=review.id), None, today, review.id)
        )
    if row.role == "focal_point" and _list_status(db, id_of(review)) == "with_state":
        text = _(
            "Agree to the list of observations (%(instrument)s), or send it back with comments.",
            instrument=row.bank_version.instrument,
        )
        items.append(
            _item(text, url_for("workspace.list_page", review_id=review.id), None, today, review.id)
        )
    return items


def _reviewer_side(
    db: Session, user: User, row: ReviewRow, name: str, today: date
) -> list[AwaitingItem]:
    review = row.review
    if review.status != "submitted" or review.submitted_at is None:
        return []
    if user.state_code not in seated_states(db, review):  # the seat was given to another State
        return []
    lst = db.exec(
        select(ListOfObservations).where(ListOfObservations.review_id == review.id)
    ).first() or ListOfObservations(review_id=id_of(review))
    if lst.status != "drafting":
        return []
    items = []
    observed = db.exec(
        select(func.count())
        .select_from(Observation)
        .where(Observation.review_id == review.id, col(Observation.is_deleted).is_(False))
    ).one()
    if not observed:
        due = of_review(db, review).feedback_due(review.submitted_at.date())
        text = _(
            "Read the answers of %(state)s (%(instrument)s) and send your written feedback.",
            state=name,
            instrument=row.bank_version.instrument,
        )
        items.append(
            _item(text, url_for("workspace.overview", review_id=review.id), due, today, review.id)
        )
    elif (state := signoff.signs_for(db, review, user)) and state in signoff.awaited(
        db, review, lst
    ):
        text = _(
            "Agree, for your State, to the list of observations on %(state)s (%(instrument)s).",
            state=name,
            instrument=row.bank_version.instrument,
        )
        items.append(
            _item(text, url_for("workspace.list_page", review_id=review.id), None, today, review.id)
        )
    return items


def _secretariat(db: Session, today: date) -> list[AwaitingItem]:
    """What awaits the secretariat: nominations to record, lists of observations to make
    final, e-mails that could not be delivered."""
    return [
        *_nominations_to_record(db, today),
        *_lists_to_make_final(db, today),
        *_undelivered_mail(db, today),
    ]


def _nominations_to_record(db: Session, today: date) -> list[AwaitingItem]:
    """The first nominations due that are not recorded yet, each linked to its phase's
    dashboard."""
    language = current_language()
    states = {s.code: s for s in db.exec(select(State))}
    names = {code: state_name(state, language) for code, state in states.items()}
    items = []
    due_items = by_names(nominations_due(db, today), states, language)
    for due in due_items[:NOMINATIONS_SHOWN]:
        nominating = names.get(due.state_code, due.state_code)
        reviewed = names.get(due.state_under_review, due.state_under_review)
        if due.role == "focal_point":
            text = _(
                "Record the focal point of %(nominating)s for the review of %(state)s "
                "(%(instruments)s).",
                nominating=nominating,
                state=reviewed,
                instruments=codes(due.instruments),
            )
        else:
            text = _(
                "Record the governmental experts of %(nominating)s for the review of %(state)s "
                "(%(instruments)s).",
                nominating=nominating,
                state=reviewed,
                instruments=codes(due.instruments),
            )
        url = (
            url_for("dashboard.index", phase=due.phase_id)
            if due.phase_id
            else url_for("dashboard.index")
        )
        items.append(_item(text, url, due.due_on, today))
    if len(due_items) > NOMINATIONS_SHOWN:
        more = len(due_items) - NOMINATIONS_SHOWN
        text = ngettext(
            "%(num)d more nomination is due: the dashboard lists those overdue.",
            "%(num)d more nominations are due: the dashboard lists those overdue.",
            more,
        )
        items.append(_item(text, url_for("dashboard.index"), None, today))
    return items


def _lists_to_make_final(db: Session, today: date) -> list[AwaitingItem]:
    """Each list of observations agreed, to be made final by the secretariat."""
    agreed = db.exec(
        select(ListOfObservations.review_id).where(ListOfObservations.status == "agreed")
    ).all()
    return [
        _item(
            _("A list of observations is agreed: make it final."),
            url_for("workspace.list_page", review_id=review_id),
            None,
            today,
        )
        for review_id in agreed
    ]


def _undelivered_mail(db: Session, today: date) -> list[AwaitingItem]:
    """The e-mails given up after every attempt, counted in one item."""
    failed = db.exec(
        select(func.count())
        .select_from(OutboxMessage)
        .where(col(OutboxMessage.sent_at).is_(None), OutboxMessage.attempts >= MAX_ATTEMPTS)
    ).one()
    if not failed:
        return []
    text = ngettext(
        "%(num)d e-mail could not be delivered.",
        "%(num)d e-mails could not be delivered.",
        failed,
    )
    return [_item(text, url_for("notifications.outbox"), None, today)]


def _stage(row: ReviewRow, list_status: str, name: str) -> str:
    """Where a review stands, said from its person's side, when nothing awaits them in it."""
    values = {"state": name, "instrument": row.bank_version.instrument}
    if row.review.status == "answering":
        if row.role == "reviewer":
            return _("%(state)s is still answering the questionnaire (%(instrument)s).", **values)
        return _(
            "The answers of %(state)s (%(instrument)s) are complete: the focal point checks and "
            "submits them.",
            **values,
        )
    if list_status == "drafting":
        return _(
            "The reviewing States are reading the answers of %(state)s (%(instrument)s) and "
            "preparing the list of observations.",
            **values,
        )
    if list_status == "with_state":
        return _(
            "The list of observations on %(state)s (%(instrument)s) is with its focal point.",
            **values,
        )
    if list_status == "agreed":
        return _(
            "The list of observations on %(state)s (%(instrument)s) is agreed: it is made final "
            "next.",
            **values,
        )
    return _(
        "The review of %(state)s (%(instrument)s) is complete: the list of observations is final.",
        **values,
    )


def stages(db: Session, user: User, items: list[AwaitingItem]) -> list[str]:
    """Where each of the user's reviews stands, for those in which nothing awaits them."""
    if user.is_secretariat:
        return []
    language = current_language()
    lists = dict(db.exec(select(ListOfObservations.review_id, ListOfObservations.status)).all())
    busy = {item.review_id for item in items}
    lines = []
    for row in reviews_for(db, user):
        review_id = id_of(row.review)
        if review_id in busy:
            continue
        if row.role == "reviewer" and user.state_code not in seated_states(db, row.review):
            continue
        name = state_name(row.state, language)
        lines.append(_stage(row, lists.get(review_id, "drafting"), name))
    return lines


def awaiting(db: Session, user: User, today: date) -> list[AwaitingItem]:
    """What awaits `user`, overdue first, then by deadline (those without one last)."""
    if user.is_secretariat:
        items = _secretariat(db, today)
    else:
        language = current_language()
        items = []
        for row in reviews_for(db, user):
            name = state_name(row.state, language)
            if row.role in ("focal_point", "expert"):
                items += _state_side(db, row, name, today)
            elif row.role == "reviewer":
                items += _reviewer_side(db, user, row, name, today)
    return sorted(items, key=lambda i: (i.due_on is None, i.due_on or today))
