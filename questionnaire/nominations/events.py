"""What a nomination tells the person named, by e-mail, with what comes next.

Called by the service that records the nomination, in its transaction: the message leaves once
it commits (`questionnaire.outbox`).
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlmodel import Session

from questionnaire.accounts.models import User
from questionnaire.banks.models import BankVersion
from questionnaire.i18n import codes, current_language
from questionnaire.nominations.models import Nomination
from questionnaire.reference.models import State
from questionnaire.reference.names import state_name
from questionnaire.reviews.labels import ROLE_LABELS
from questionnaire.reviews.models import Review
from questionnaire.reviews.notices import ReviewNotice, link, send_notice


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
            "instruments": codes(sorted({_instrument(db, r) for r in reviews})),
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
    notice = ReviewNotice(reviews[0], texts, link("home.index"), due)
    send_notice(db, notice, [user])


def _state_name(db: Session, code: str) -> str:
    row = db.get(State, code)
    return state_name(row, current_language()) if row else code


def _instrument(db: Session, review: Review) -> str:
    version = db.get(BankVersion, review.bank_version_id)
    return version.instrument if version else ""
