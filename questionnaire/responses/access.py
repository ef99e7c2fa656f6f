"""Who may see and change a State's answers. Checked once per view, through `load_review`."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort
from flask_login import current_user
from sqlalchemy import and_, bindparam
from sqlalchemy.orm import defer
from sqlmodel import col, select

from questionnaire import db
from questionnaire.banks.models import BankVersion
from questionnaire.banks.schema import Bank
from questionnaire.banks.services import bank_of
from questionnaire.reviews.models import RESPONDENT_ROLES, Review, ReviewMembership


@dataclass(frozen=True)
class ReviewAccess:
    """A review as the current user may use it."""

    review: Review
    version: BankVersion
    bank: Bank
    role: str
    #: Whether the review's row is locked (FOR SHARE) until the request's transaction ends.
    locked: bool = False

    @property
    def can_edit(self) -> bool:
        return self.role in ("focal_point", "expert") and self.review.status == "answering"

    @property
    def can_submit(self) -> bool:
        return self.role == "focal_point" and self.review.status == "answering"

    @property
    def can_reopen(self) -> bool:
        return self.role == "secretariat" and self.review.status == "submitted"

    @property
    def shows_keys(self) -> bool:
        """Question keys (TIP-5-1) are shown to the secretariat; respondents read the text."""
        return self.role == "secretariat"


#: One query for the review, its bank version (the stored content is only read when the
#: version's parsed bank is not cached yet) and the user's role in it. Built once with bound
#: parameters: building the statement took longer than running it, on every page.
_ACCESS_QUERY = (
    select(Review, BankVersion, ReviewMembership.role)
    .join(BankVersion, col(BankVersion.id) == Review.bank_version_id)
    .outerjoin(
        ReviewMembership,
        and_(
            col(ReviewMembership.review_id) == Review.id,
            col(ReviewMembership.user_id) == bindparam("user_id"),
        ),
    )
    .where(Review.id == bindparam("review_id"))
    .options(defer(BankVersion.content))  # type: ignore[arg-type]
)
#: The same, with the review's row locked as `responses.saving` locks it for a change of
#: answers: the status read is then the one the change is made under, in the same round trip.
_ACCESS_QUERY_FOR_CHANGE = _ACCESS_QUERY.with_for_update(read=True, of=Review).execution_options(
    populate_existing=True
)


def load_review(review_id: int, *, for_change: bool = False) -> ReviewAccess:
    """The review for the State's respondents and the secretariat; 404 for anyone else.

    404 rather than 403: a user of another State learns nothing about which reviews exist.
    `for_change`: the request is about to change answers; the review's row is read with the
    shared lock that holds a submission back until the request's transaction ends.
    """
    if not current_user.is_authenticated:
        abort(404)
    query = _ACCESS_QUERY_FOR_CHANGE if for_change else _ACCESS_QUERY
    row = (
        db.session()
        .exec(query, params={"review_id": review_id, "user_id": current_user.id})
        .first()
    )
    if row is None:
        abort(404)
    review, version, membership_role = row
    if current_user.is_secretariat:
        role = "secretariat"
    elif membership_role in RESPONDENT_ROLES and current_user.state_code == review.state_code:
        role = membership_role
    else:
        abort(404)
    return ReviewAccess(
        review=review, version=version, bank=bank_of(version), role=role, locked=for_change
    )
