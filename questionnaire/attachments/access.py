"""Who may read and attach a review's reference files: the State's respondents, the reviewing
States' reviewers of the review once the answers are submitted, and the secretariat."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort
from flask_login import current_user

from questionnaire import db
from questionnaire.reviews import queries
from questionnaire.reviews.models import RESPONDENT_ROLES, Review


@dataclass(frozen=True)
class AttachmentAccess:
    """A review as the current user may use its attachments."""

    review: Review
    role: str  # a respondent role, reviewer or secretariat

    @property
    def can_attach(self) -> bool:
        """The State's focal point and experts attach and remove files."""
        return self.role in ("focal_point", "expert")


def load_attachments(review_id: int) -> AttachmentAccess:
    """404 for anyone without a part in the review (a reviewer of a review whose answers are
    not submitted yet has none here either, as in the workspace)."""
    session = db.session()
    review = session.get(Review, review_id)
    if review is None or not current_user.is_authenticated:
        abort(404)
    if current_user.is_secretariat:
        return AttachmentAccess(review, "secretariat")
    membership = queries.membership(session, review_id, current_user.id)
    if membership is None:
        abort(404)
    if membership.role in RESPONDENT_ROLES and current_user.state_code == review.state_code:
        return AttachmentAccess(review, membership.role)
    if (
        membership.role == "reviewer"
        and review.status == "submitted"
        and queries.is_assigned(session, review_id, current_user.state_code)
    ):
        return AttachmentAccess(review, "reviewer")
    abort(404)
