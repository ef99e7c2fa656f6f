"""What a change of a review tells people by e-mail, with what it asks of them.

Called by the service that makes the change, in its transaction: the messages leave once it
commits (`questionnaire.outbox`). The features built on the reviews write their own
(`responses/events.py`, `workspace/events.py`, `nominations/events.py`) with the same notices
(`reviews/notices.py`).
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlmodel import Session

from questionnaire.accounts.models import User
from questionnaire.dates import un_date
from questionnaire.reviews import people
from questionnaire.reviews.models import Review
from questionnaire.reviews.notices import ReviewNotice, link, send_notice


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
