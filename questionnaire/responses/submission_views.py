"""The receipt of a submission: what was submitted, when, by whom, who was told, and its PDF."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask.typing import ResponseReturnValue
from flask_login import login_required

from questionnaire import db
from questionnaire.accounts.models import User
from questionnaire.i18n import current_language
from questionnaire.reference.models import State
from questionnaire.reference.names import state_name
from questionnaire.responses import services
from questionnaire.responses.access import load_review
from questionnaire.reviews import people

bp = Blueprint("submission", __name__, url_prefix="/reviews/<int:review_id>/submission")


@bp.get("/")
@login_required
def receipt(review_id: int) -> ResponseReturnValue:
    access = load_review(review_id)
    review = access.review
    if review.status != "submitted":
        abort(404)
    session = db.session()
    answers = services.answers_of(session, review_id)
    given = [a for a in answers.values() if a.value not in (None, "", [])]
    submitter = session.get(User, review.submitted_by_id) if review.submitted_by_id else None
    return render_template(
        "responses/receipt.html",
        access=access,
        state=session.get(State, review.state_code),
        submitter=submitter,
        answered=len(given),
        confidential=sum(1 for a in given if a.is_confidential),
        reviewing_states=[
            state_name(s, current_language()) if (s := session.get(State, code)) else code
            for code in people.seated_states(session, review)
        ],
        reviewers=len(people.reviewers(session, review)),
    )
