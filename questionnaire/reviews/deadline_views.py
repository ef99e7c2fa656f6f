"""Changing the durations of an open phase's deadlines: the form, what the change would move
and who would be told, then the change."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlmodel import col, select

from questionnaire import db
from questionnaire.accounts.access import secretariat_required
from questionnaire.reference.models import State
from questionnaire.reviews import services
from questionnaire.reviews.deadlines import Deadlines, reviews_due_again
from questionnaire.reviews.forms import DeadlinesForm, with_durations
from questionnaire.reviews.models import Review, ReviewPhase

bp = Blueprint("deadlines", __name__, url_prefix="/phases/<int:phase_id>/deadlines")


@bp.route("/", methods=["GET", "POST"])
@secretariat_required
def edit(phase_id: int) -> ResponseReturnValue:
    """The form; a change that moves answers deadlines is shown for confirmation first, since
    the respondents of those reviews are told by e-mail."""
    session = db.session()
    phase = session.get(ReviewPhase, phase_id) or abort(404)
    current = Deadlines.configured().of_phase(phase)
    form = DeadlinesForm(**with_durations(current))
    if form.validate_on_submit():
        chosen = form.durations()
        moved = _moved_if(phase, chosen)
        if moved and request.form.get("confirmed") != "yes":
            codes = {review.state_code for review, _before, _after in moved}
            states = {
                s.code: s for s in session.exec(select(State).where(col(State.code).in_(codes)))
            }
            return render_template(
                "reviews/confirm_deadlines.html",
                phase=phase,
                form=form,
                chosen=chosen,
                current=current,
                moved=moved,
                states=states,
            )
        changed = services.change_deadlines(session, phase, chosen, current_user)
        flash(
            ngettext(
                "The deadlines have been changed. The focal point and experts of %(num)d review "
                "have been told of its new answers deadline.",
                "The deadlines have been changed. The focal points and experts of %(num)d "
                "reviews have been told of their new answers deadline.",
                len(changed),
            )
            if changed
            else _("The deadlines have been changed."),
            "success",
        )
        return redirect(url_for("dashboard.phase_page", phase_id=phase_id))
    return render_template("reviews/deadlines.html", phase=phase, form=form, current=current)


def _moved_if(phase: ReviewPhase, chosen: Deadlines) -> list[tuple[Review, date, date]]:
    """What `chosen` would do to the answers deadlines of the phase: each review still
    answering whose date would move, with its date now and its date then."""
    return [
        (review, review.answers_due_on, due)
        for review, due in reviews_due_again(db.session(), phase.id, chosen)
    ]
