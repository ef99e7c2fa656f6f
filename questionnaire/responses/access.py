"""Who may see and change a State's answers. Checked once per view, through `load_review`."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort
from flask_login import current_user

from questionnaire import db
from questionnaire.banks.models import BankVersion
from questionnaire.banks.schema import Bank
from questionnaire.banks.services import bank_of
from questionnaire.reviews import queries
from questionnaire.reviews.models import RESPONDENT_ROLES, Review


@dataclass(frozen=True)
class ReviewAccess:
    """A review as the current user may use it."""

    review: Review
    version: BankVersion
    bank: Bank
    role: str

    @property
    def can_edit(self) -> bool:
        return self.role in ("focal_point", "expert") and self.review.status == "answering"

    @property
    def can_submit(self) -> bool:
        return self.role == "focal_point" and self.review.status == "answering"

    @property
    def can_reopen(self) -> bool:
        return self.role == "secretariat" and self.review.status == "submitted"


def load_review(review_id: int) -> ReviewAccess:
    """The review for the State's respondents and the secretariat; 404 for anyone else.

    404 rather than 403: a user of another State learns nothing about which reviews exist.
    """
    session = db.session()
    review = session.get(Review, review_id)
    if review is None or not current_user.is_authenticated:
        abort(404)
    if current_user.is_secretariat:
        role = "secretariat"
    else:
        membership = queries.membership(session, review_id, current_user.id)
        if (
            membership is None
            or membership.role not in RESPONDENT_ROLES
            or current_user.state_code != review.state_code
        ):
            abort(404)
        role = membership.role
    version = session.get(BankVersion, review.bank_version_id)
    assert version is not None
    return ReviewAccess(review=review, version=version, bank=bank_of(version), role=role)
