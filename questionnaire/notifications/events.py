"""The review events people are told about by e-mail, with what each asks of them.

Called by the services that make the change, in its transaction: the messages leave once it
commits (notifications.services).
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlmodel import Session

from questionnaire.accounts.models import User
from questionnaire.banks.models import BankVersion
from questionnaire.dates import un_date
from questionnaire.i18n import current_language
from questionnaire.nominations.models import Nomination
from questionnaire.notifications import people
from questionnaire.notifications.messages import ReviewNotice, link, send_notice
from questionnaire.reference.models import State
from questionnaire.reference.names import state_name
from questionnaire.reviews.deadlines import of_review
from questionnaire.reviews.labels import ROLE_LABELS
from questionnaire.reviews.models import Review
from questionnaire.workspace.labels import LIST_STATUS_LABELS, MESSAGE_KIND_LABELS


def answers_submitted(db: Session, review: Review, author: User) -> None:
    """Tell the reviewing States and the secretariat that the answers are in."""
    assert review.submitted_at is not None
    due = of_review(db, review).feedback_due(review.submitted_at.date())

    def for_reviewers(state: str) -> tuple[str, str, str]:
        return (
            _("Answers submitted: review of %(state)s", state=state),
            _(
                "%(name)s, focal point of %(state)s, has submitted the answers of %(state)s.",
                name=author.full_name,
                state=state,
            ),
            _(
                "Read the answers and send your written feedback (questions and requests for "
                "clarification) in the dialogue on each article."
            ),
        )

    def for_secretariat(state: str) -> tuple[str, str, str]:
        subject, happened, _expected = for_reviewers(state)
        return (
            subject,
            happened,
            _("The reviewing States now read the answers and send their written feedback."),
        )

    url = link("workspace.overview", review_id=review.id)
    send_notice(db, ReviewNotice(review, for_reviewers, url, due), people.reviewers(db, review))
    send_notice(db, ReviewNotice(review, for_secretariat, url, due), people.secretariat(db))


def answers_deadline_changed(db: Session, review: Review, author: User, *, previous: date) -> None:
    """Tell the State's focal point and experts that their answers are now due on another day."""

    def texts(state: str) -> tuple[str, str, str]:
        return (
            _("New deadline for the answers: review of %(state)s", state=state),
            _(
                "The secretariat has changed the deadlines of the phase. The answers of "
                "%(state)s, due on %(previous)s until now, are due on %(date)s.",
                state=state,
                previous=un_date(previous),
                date=un_date(review.answers_due_on),
            ),
            _("Submit the answers to the questionnaire by the new deadline."),
        )

    url = link("responses.overview", review_id=review.id)
    recipients = people.respondents(db, review, ("focal_point", "expert"))
    send_notice(db, ReviewNotice(review, texts, url, review.answers_due_on), recipients)


def _dialogue_expected(kind: str) -> str:
    if kind == "request":
        return _("The State under review is asked to reply in the dialogue on this article.")
    if kind == "reply":
        return _("The reviewing States read the reply, and ask again or draft their observations.")
    return _("Read the comment, and answer it in the dialogue if needed.")


def dialogue_message(
    db: Session, review: Review, author: User, *, kind: str, section_key: str, body: str
) -> None:
    """Tell the review's other people of a request for clarification, a reply or a comment."""

    def texts(state: str) -> tuple[str, str, str]:
        label = str(MESSAGE_KIND_LABELS[kind])
        return (
            _("%(kind)s on the review of %(state)s", kind=label, state=state),
            _("%(name)s wrote on section %(section)s:", name=author.full_name, section=section_key),
            _dialogue_expected(kind),
        )

    if section_key == "list":
        url = link("workspace.list_page", review_id=review.id)
    else:
        url = link("workspace.section", review_id=review.id, section_key=section_key)
    notice = ReviewNotice(review, texts, url, section_key=section_key, quote=body)
    send_notice(db, notice, people.everyone_but(db, review, author))


def _list_expected(status: str) -> str:
    if status == "with_state":
        return _(
            "The focal point of the State under review agrees to the list, or sends it back "
            "with comments; the State may keep elements confidential."
        )
    if status == "drafting":
        return _("The reviewing States revise the list, and both agree to it again.")
    if status == "agreed":
        return _("The reviewing States or the secretariat make the list final.")
    return _(
        "Nothing more is needed. The list and its summary may be published as a conference "
        "room paper, without the elements kept confidential."
    )


def list_moved(db: Session, review: Review, author: User, *, to_status: str) -> None:
    """Tell the review's people that the list of observations changed status."""

    def texts(state: str) -> tuple[str, str, str]:
        status = str(LIST_STATUS_LABELS[to_status])
        return (
            _(
                "List of observations on the review of %(state)s: %(status)s",
                state=state,
                status=status,
            ),
            _(
                "The list of observations on the review of %(state)s is now at this stage: "
                "%(status)s.",
                state=state,
                status=status,
            ),
            _list_expected(to_status),
        )

    url = link("workspace.list_page", review_id=review.id)
    recipients = people.everyone_but(db, review, author)
    if to_status in ("agreed", "final"):
        recipients += people.secretariat(db)
    send_notice(db, ReviewNotice(review, texts, url), recipients)


def list_agreement(
    db: Session,
    review: Review,
    author: User,
    *,
    reviewing_state: str,
    agreed: bool,
    awaited: list[str],
) -> None:
    """Tell the reviewers that a reviewing State agreed to the list, or withdrew its agreement
    (`awaited`: the codes of the States whose agreement is still missing)."""

    def name_of(code: str) -> str:
        row = db.get(State, code)
        return state_name(row, current_language()) if row else code

    def texts(state: str) -> tuple[str, str, str]:
        reviewer = name_of(reviewing_state)
        if agreed:
            happened = _(
                "%(name)s agreed, for %(reviewer)s, to the list of observations on the review "
                "of %(state)s.",
                name=author.full_name,
                reviewer=reviewer,
                state=state,
            )
        else:
            happened = _(
                "%(name)s withdrew the agreement of %(reviewer)s to the list of observations on "
                "the review of %(state)s.",
                name=author.full_name,
                reviewer=reviewer,
                state=state,
            )
        if awaited:
            expected = _(
                "The list goes to the State under review once both reviewing States have "
                "agreed to it. Still awaited: %(states)s.",
                states=", ".join(name_of(code) for code in awaited),
            )
        else:
            expected = _(
                "Both reviewing States have agreed: the list can be shared with the State "
                "under review."
            )
        return (
            _("List of observations on the review of %(state)s: agreement", state=state),
            happened,
            expected,
        )

    url = link("workspace.list_page", review_id=review.id)
    recipients = [u for u in people.reviewers(db, review) if u.id != author.id]
    send_notice(db, ReviewNotice(review, texts, url), recipients)


def nominated(
    db: Session, user: User, nomination: Nomination, reviews: list[Review], *, is_new: bool
) -> None:
    """Tell a person named by a note verbale what they were named to, and what comes next."""
    if not reviews:
        return

    def texts(state: str) -> tuple[str, str, str]:
        values = {
            "nominating": _state_name(db, nomination.nominating_state),
            "role": str(ROLE_LABELS.get(nomination.role, nomination.role)),
            "state": state,
            "reference": nomination.note_reference,
            "instruments": ", ".join(sorted({_instrument(db, r) for r in reviews})),
        }
        happened = _(
            "%(nominating)s has named you %(role)s for the review of %(state)s "
            "(%(instruments)s), by its note verbale %(reference)s.",
            **values,
        )
        if nomination.side == "reviewing":
            expected = _(
                "Once %(state)s has submitted its answers, read them and send your written "
                "feedback in the dialogue on each article.",
                **values,
            )
        elif nomination.role == "observer":
            expected = _("You can read the answers and follow the dialogue on the review.")
        else:
            expected = _(
                "Answer the questionnaire with the other experts; the focal point checks and "
                "submits the answers."
            )
        if is_new:
            expected += " " + _(
                "First activate your account with the link sent to you in a separate e-mail."
            )
        return _("Your nomination: review of %(state)s", state=state), happened, expected

    due = reviews[0].answers_due_on if nomination.side == "under_review" else None
    notice = ReviewNotice(reviews[0], texts, link("reviews.home"), due)
    send_notice(db, notice, [user])


def _state_name(db: Session, code: str) -> str:
    row = db.get(State, code)
    return state_name(row, current_language()) if row else code


def _instrument(db: Session, review: Review) -> str:
    version = db.get(BankVersion, review.bank_version_id)
    return version.instrument if version else ""
