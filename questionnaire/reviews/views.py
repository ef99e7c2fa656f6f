"""The home page of every signed-in person and the secretariat's dashboard of the reviews
(the phases' pages, on the same blueprint, are in `reviews/phase_views.py`)."""

from __future__ import annotations

from datetime import date

from flask import render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlmodel import col, select
from wtforms.fields.choices import SelectChoice

from questionnaire import db
from questionnaire.accounts.access import secretariat_required
from questionnaire.i18n import current_language
from questionnaire.notifications.awaiting import awaiting, stages
from questionnaire.reference.models import REGIONAL_GROUPS, State
from questionnaire.reviews import contributions, queries, services
from questionnaire.reviews import dashboard as board
from questionnaire.reviews.deadlines import Deadlines
from questionnaire.reviews.forms import DashboardFilterForm, DrawForm
from questionnaire.reviews.labels import DASHBOARD_STATUS_LABELS, REGION_LABELS, TOTAL_LABELS
from questionnaire.reviews.models import ReviewPhase
from questionnaire.reviews.phase_views import bp


@bp.get("/")
@login_required
def home() -> ResponseReturnValue:
    session = db.session()
    rows = queries.reviews_for(session, current_user)
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
        "reviews/home.html",
        rows=rows,
        awaiting=items,
        stages=stages(session, current_user, items),
        phases=phases,
        **contributions.home_context(session, rows),
    )


def _filter_form() -> DashboardFilterForm:
    form = DashboardFilterForm(request.args)
    phases = (
        db.session().exec(select(ReviewPhase).order_by(col(ReviewPhase.started_on).desc())).all()
    )
    form.phase.choices = [SelectChoice("", _("All"))] + [
        SelectChoice(str(p.id), p.name) for p in phases
    ]
    form.instrument.choices = [SelectChoice("", _("All"))] + [
        SelectChoice(code, code) for code in ("UNTOC", "TIP", "SOM", "FIR")
    ]
    form.region.choices = [SelectChoice("", _("All"))] + [
        SelectChoice(g, str(REGION_LABELS[g])) for g in REGIONAL_GROUPS
    ]
    form.status.choices = [SelectChoice("", _("All"))] + [
        SelectChoice(k, str(v)) for k, v in DASHBOARD_STATUS_LABELS.items()
    ]
    return form


#: Reviews per page of the dashboard (a State's reviews are never split across two pages).
DASHBOARD_PAGE_SIZE = 25


@bp.get("/dashboard")
@secretariat_required
def dashboard() -> ResponseReturnValue:
    form = _filter_form()
    form.validate()  # a phase that is not one of the choices (any id that exists) is ignored
    phase_arg = (form.phase.data or "").strip()
    filters = board.DashboardFilters(
        phase_id=int(phase_arg) if phase_arg and not form.phase.errors else None,
        instrument=form.instrument.data or None,
        region=form.region.data or None,
    )
    session = db.session()
    language = current_language()
    everything = board.dashboard(session, filters, Deadlines.configured(), date.today())
    everything = board.matching_name(everything, form.q.data or "", language)
    status = form.status.data or None
    rows = board.sorted_rows(
        [row for row in everything if board.has_status(row, status)],
        form.sort.data or "state",
        language,
    )
    pages = board.pages_of(board.by_state(rows), DASHBOARD_PAGE_SIZE)
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), len(pages))
    phase = session.get(ReviewPhase, filters.phase_id) if filters.phase_id else None
    return render_template(
        "reviews/dashboard.html",
        form=form,
        groups=pages[page - 1],
        count=len(rows),
        totals=board.totals(everything),
        total_labels=TOTAL_LABELS,
        page=page,
        pages=len(pages),
        phase=phase,
        is_drawn=bool(phase and queries.is_drawn(session, phase)),
        states={s.code: s for s in session.exec(select(State))},
        draw_form=DrawForm(),
        **contributions.dashboard_context(session, date.today(), filters.phase_id),
    )
