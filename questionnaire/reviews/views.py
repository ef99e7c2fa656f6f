"""The secretariat's pages of a phase: opening it, the drawing of lots and its preview, the
States' groups, replacing a reviewing State and a review's assignments. The phase's own page,
which lists its reviews as the dashboard does, is in `dashboard/views.py`.
"""

from __future__ import annotations

from babel.lists import format_list
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from wtforms.fields.choices import SelectChoice

from questionnaire import db
from questionnaire.accounts.access import secretariat_required
from questionnaire.banks.models import BankVersion
from questionnaire.errors import RuleViolation
from questionnaire.i18n import current_language, localize
from questionnaire.reference.instruments import load_instrument_data
from questionnaire.reference.models import REGIONAL_GROUPS, State
from questionnaire.reference.names import sort_states, state_name
from questionnaire.reviews import groups, queries, services
from questionnaire.reviews.deadlines import Deadlines
from questionnaire.reviews.draw import PROCEDURE_VERSION, DrawImpossible
from questionnaire.reviews.forms import (
    DrawForm,
    DrawPreviewForm,
    GroupDrawForm,
    PhaseForm,
    ReplaceForm,
    with_durations,
)
from questionnaire.reviews.labels import NO_GROUP_RULE_LABELS
from questionnaire.reviews.models import (
    Review,
    ReviewAssignment,
    ReviewDraw,
    ReviewPhase,
    StateGroupDraw,
)

bp = Blueprint("reviews", __name__)


def _phase_choices(form: PhaseForm) -> None:
    data = load_instrument_data()
    form.cluster.choices = [
        SelectChoice(c.id, f"{c.id} – {localize(c.title)}") for c in data.clusters.values()
    ]
    language = current_language()
    states = sort_states(db.session().exec(select(State)).all(), language)
    form.states.choices = [
        SelectChoice(s.code, f"{state_name(s, language)} ({s.code})") for s in states
    ]


@bp.route("/phases/new", methods=["GET", "POST"])
@secretariat_required
def new_phase() -> ResponseReturnValue:
    form = PhaseForm(
        max_reviews_per_state=current_app.config["MAX_REVIEWS_PER_STATE"],
        **with_durations(Deadlines.configured()),
    )
    _phase_choices(form)
    if request.method == "GET":
        form.states.data = _group_preselection()
    if form.validate_on_submit():
        try:
            phase = services.create_phase(
                db.session(),
                name=form.name.data or "",
                cluster=form.cluster.data or "",
                state_codes=list(form.states.data or []),
                started_on=form.started_on.data,
                max_reviews_per_state=form.max_reviews_per_state.data or 1,
                user=current_user,
                no_group_rule=form.no_group_rule.data or "",
                deadlines=form.durations(),
            )
        except RuleViolation as exc:
            form.states.errors = [str(exc)]
        else:
            flash(_("The phase has been opened with its reviews."), "success")
            return redirect(url_for("dashboard.phase_page", phase_id=phase.id))
    return render_template("reviews/new_phase.html", form=form, regions=_states_by_region())


def _states_by_region() -> list[tuple[str, list[State]]]:
    """The States by regional group (those in none last), each sorted in the reader's language."""
    states = sort_states(db.session().exec(select(State)).all(), current_language())
    return [
        (group, [s for s in states if (s.regional_group or "none") == group])
        for group in REGIONAL_GROUPS
        if any((s.regional_group or "none") == group for s in states)
    ]


def _group_preselection() -> list[str]:
    """The States of a group drawn by lot (`?groups=<draw>&group=<number>`), if asked for."""
    draw_id = request.args.get("groups", type=int)
    number = request.args.get("group", type=int)
    if draw_id is None or number is None or not 0 < draw_id < 2**31:
        return []
    draw = db.session().get(StateGroupDraw, draw_id)
    return groups.group_states(draw, number) if draw else []


@bp.get("/phases/<int:phase_id>/draw")
@secretariat_required
def confirm_draw(phase_id: int) -> ResponseReturnValue:
    """What drawing the lots will do, and who will be told, before it is done."""
    session = db.session()
    phase = session.get(ReviewPhase, phase_id) or abort(404)
    drawn = session.exec(
        select(ReviewDraw).where(ReviewDraw.phase_id == phase_id, ReviewDraw.kind == "draw")
    ).first()
    reviews = session.exec(select(Review).where(Review.phase_id == phase_id)).all()
    return render_template(
        "reviews/confirm_draw.html",
        phase=phase,
        is_drawn=drawn is not None,
        review_count=len(reviews),
        state_count=len({review.state_code for review in reviews}),
        no_group_labels=NO_GROUP_RULE_LABELS,
        draw_form=DrawForm(),
    )


@bp.post("/phases/<int:phase_id>/draw")
@secretariat_required
def draw(phase_id: int) -> ResponseReturnValue:
    phase = db.session().get(ReviewPhase, phase_id) or abort(404)
    form = DrawForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        result = services.draw_phase(db.session(), phase, current_user)
    except RuleViolation as exc:
        flash(str(exc), "error")
    except IntegrityError:
        # Another draw of the phase took the seats first (one active seat per review).
        db.session().rollback()
        flash(_("The lots of this phase have been drawn: replace single seats instead."), "error")
    except DrawImpossible as exc:
        flash(
            _("The lots could not be drawn: %(reason)s. Nothing was saved.", reason=str(exc)),
            "error",
        )
    else:
        flash(_("The lots have been drawn (seed %(seed)s).", seed=result.seed), "success")
    return redirect(url_for("dashboard.phase_page", phase_id=phase_id))


@bp.get("/phases/<int:phase_id>/draw/preview")
@secretariat_required
def draw_preview(phase_id: int) -> ResponseReturnValue:
    """The seats a draw would give, with a seed given or drawn now; nothing is stored."""
    phase = db.session().get(ReviewPhase, phase_id) or abort(404)
    form = DrawPreviewForm(request.args)
    lots, error = None, None
    if form.validate():
        try:
            seed = form.seed.data or None
            source = "given for this preview (nothing stored)" if seed else None
            lots = services.draw_lots_of_phase(db.session(), phase, seed, source)
        except DrawImpossible as exc:
            error = str(exc)
    return render_template(
        "reviews/draw_preview.html",
        phase=phase,
        form=form,
        lots=lots,
        error=error,
        states={s.code: s for s in db.session().exec(select(State))},
        no_group_labels=NO_GROUP_RULE_LABELS,
        procedure_version=PROCEDURE_VERSION,
    )


@bp.route("/phases/groups", methods=["GET", "POST"])
@secretariat_required
def state_groups() -> ResponseReturnValue:
    """The groups of States drawn by lot, and the form to draw them."""
    session = db.session()
    form = GroupDrawForm()
    if form.validate_on_submit():
        try:
            result = groups.draw_state_groups(
                session,
                sizes=form.size_list(),
                first_year=form.first_year.data or 0,
                user=current_user,
            )
        except RuleViolation as exc:
            form.sizes.errors = [str(exc)]
        else:
            flash(_("The groups have been drawn (seed %(seed)s).", seed=result.seed), "success")
            return redirect(url_for(".state_groups"))
    draws = session.exec(select(StateGroupDraw).order_by(col(StateGroupDraw.id).desc())).all()
    return render_template(
        "reviews/groups.html",
        form=form,
        draws=draws,
        count=len(groups.states_to_split(session)),
        states={s.code: s for s in session.exec(select(State))},
    )


@bp.route("/assignments/<int:assignment_id>/replace", methods=["GET", "POST"])
@secretariat_required
def replace(assignment_id: int) -> ResponseReturnValue:
    assignment = db.session().get(ReviewAssignment, assignment_id) or abort(404)
    review = db.session().get(Review, assignment.review_id)
    assert review is not None
    form = ReplaceForm()
    declined = queries.seats_declined(db.session(), assignment)
    replaced = _state_name(assignment.reviewing_state)
    if form.validate_on_submit():
        try:
            result = services.replace_reviewer(
                db.session(), assignment, current_user, form.reason.data or ""
            )
        except (RuleViolation, DrawImpossible) as exc:
            form.reason.errors = [str(exc)]
        else:
            new = sorted({s["reviewing_state"] for s in result.result})
            names = format_list([_state_name(code) for code in new], locale=get_locale())
            flash(
                _("%(state)s has been replaced by %(new)s.", state=replaced, new=names), "success"
            )
            return redirect(url_for(".assignments", review_id=review.id))
    return render_template(
        "reviews/replace.html",
        form=form,
        assignment=assignment,
        review=review,
        declined=declined,
        state=db.session().get(State, review.state_code),
        reviewing=db.session().get(State, assignment.reviewing_state),
    )


def _state_name(code: str) -> str:
    """The UN name of the State `code` in the reader's language (the code if unknown)."""
    state = db.session().get(State, code)
    return state_name(state, current_language()) if state else code


@bp.get("/reviews/<int:review_id>/assignments")
@secretariat_required
def assignments(review_id: int) -> ResponseReturnValue:
    session = db.session()
    review = session.get(Review, review_id) or abort(404)
    rows = session.exec(
        select(ReviewAssignment)
        .where(ReviewAssignment.review_id == review_id)
        .order_by(col(ReviewAssignment.seat), col(ReviewAssignment.id))
    ).all()
    version = session.get(BankVersion, review.bank_version_id)
    return render_template(
        "reviews/assignments.html",
        review=review,
        assignments=rows,
        state=session.get(State, review.state_code),
        instrument=version.instrument if version else "",
        states={s.code: s for s in session.exec(select(State))},
    )
