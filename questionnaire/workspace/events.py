"""What the reviewing States' work tells people by e-mail (a message of the dialogue, the list
of observations moving on, a reviewing State's agreement), with what each asks of them.

Called by the services that make the change, in its transaction: the messages leave once it
commits (`questionnaire.outbox`).
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlmodel import Session

from questionnaire.accounts.models import User
from questionnaire.i18n import current_language, list_of
from questionnaire.reference.models import State
from questionnaire.reference.names import state_name
from questionnaire.reviews import people
from questionnaire.reviews.models import Review
from questionnaire.reviews.notices import ReviewNotice, link, send_notice
from questionnaire.workspace.labels import LIST_STATUS_LABELS, MESSAGE_KIND_LABELS


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
                states=list_of([name_of(code) for code in awaited]),
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
