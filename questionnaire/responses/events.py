"""What the answers' submission tells people by e-mail, with what it asks of them.

Called by the service that submits, in its transaction: the messages leave once it commits
(`questionnaire.outbox`).
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlmodel import Session

from questionnaire.accounts.models import User
from questionnaire.reviews import people
from questionnaire.reviews.deadlines import of_review
from questionnaire.reviews.models import Review
from questionnaire.reviews.notices import ReviewNotice, link, send_notice


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
