"""The home page of every signed-in person."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from sqlmodel import col, select

from questionnaire import db
from questionnaire.home.awaiting import awaiting, stages
from questionnaire.responses.overview import home_progress
from questionnaire.reviews import queries, services
from questionnaire.reviews.models import ReviewPhase

bp = Blueprint("home", __name__)


@bp.get("/")
@login_required
def index() -> ResponseReturnValue:
    session = db.session()
    # The secretariat takes part in every review: it finds them on the dashboard, by pages,
    # rather than here all at once.
    rows = [] if current_user.is_secretariat else queries.reviews_for(session, current_user)
    # A reviewer whose State's seat was replaced no longer takes part in the review.
    seated = {
        a.review_id
        for a in services.active_assignments(
            session, [row.review.id for row in rows if row.role == "reviewer" and row.review.id]
        )
        if a.reviewing_state == current_user.state_code
    }
    rows = [row for row in rows if row.role != "reviewer" or row.review.id in seated]
    items = awaiting(session, current_user, date.today())
    phases = {
        phase.id: phase.name
        for phase in session.exec(
            select(ReviewPhase).where(
                col(ReviewPhase.id).in_({row.review.phase_id for row in rows})
            )
        )
    }
    return render_template(
        "home/index.html",
        rows=rows,
        awaiting=items,
        stages=stages(session, current_user, items),
        phases=phases,
        **home_progress(session, rows),
    )
