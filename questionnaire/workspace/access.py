"""Who may use a review's workspace (answers for reviewers, dialogue, list of observations)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort
from flask_babel import gettext as _
from flask_login import current_user

from questionnaire import db
from questionnaire.banks.models import BankVersion
from questionnaire.banks.schema import Bank
from questionnaire.banks.services import bank_of
from questionnaire.reviews import queries
from questionnaire.reviews.models import RESPONDENT_ROLES, Review
from questionnaire.workspace.models import ListOfObservations
from questionnaire.workspace.services import TRANSITION_SIDES, find_list


@dataclass(frozen=True)
class WorkspaceAccess:
    """A review as seen from the workspace: by a reviewer, the State under review, or the
    secretariat."""

    review: Review
    version: BankVersion
    bank: Bank
    side: str  # reviewer, state or secretariat
    role: str
    list: ListOfObservations

    @property
    def can_draft(self) -> bool:
        return self.side == "reviewer" and self.list.status == "drafting"

    @property
    def dialogue_open(self) -> bool:
        """Requests, replies and comments are taken until the list of observations is final."""
        return self.list.status != "final"

    @property
    def can_request(self) -> bool:
        return self.side == "reviewer"

    @property
    def can_reply(self) -> bool:
        return self.side == "state" and self.role in ("focal_point", "expert")

    @property
    def shows_dialogue_form(self) -> bool:
        return (self.can_request or self.can_reply) and self.dialogue_open

    @property
    def can_mark_confidential(self) -> bool:
        return (
            self.side == "state"
            and self.role == "focal_point"
            and self.list.status in ("with_state", "agreed")
        )

    @property
    def sees_list(self) -> bool:
        return self.side != "state" or self.list.status != "drafting"

    def can_move(self, to_status: str) -> bool:
        side = self.side
        if side == "state" and self.role != "focal_point":
            return False
        return side in TRANSITION_SIDES.get((self.list.status, to_status), set())


def load_workspace(review_id: int) -> WorkspaceAccess:
    """404 for anyone without a part in the review; 403 while the answers are not submitted."""
    session = db.session()
    review = session.get(Review, review_id)
    if review is None or not current_user.is_authenticated:
        abort(404)
    if current_user.is_secretariat:
        side, role = "secretariat", "secretariat"
    else:
        membership = queries.membership(session, review_id, current_user.id)
        if membership is None:
            abort(404)
        if membership.role == "reviewer" and queries.is_assigned(
            session, review_id, current_user.state_code
        ):
            side, role = "reviewer", "reviewer"
        elif membership.role in RESPONDENT_ROLES and current_user.state_code == review.state_code:
            side, role = "state", membership.role
        else:
            abort(404)
        if review.status != "submitted":
            abort(403, description=_("The answers have not been submitted yet."))
    version = session.get(BankVersion, review.bank_version_id)
    assert version is not None
    return WorkspaceAccess(
        review=review,
        version=version,
        bank=bank_of(version),
        side=side,
        role=role,
        list=find_list(session, review),
    )
