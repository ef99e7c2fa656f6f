"""The secretariat's dashboard of the reviews and a phase's page, which lists the phase's
reviews as the dashboard does (the phase's other pages are in `reviews/views.py`)."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlmodel import col, select
from wtforms.fields.choices import SelectChoice

from questionnaire import db
from questionnaire.accounts.access import secretariat_required
from questionnaire.dashboard import nominations_due
from questionnaire.dashboard import queries as board
from questionnaire.dashboard.forms import DashboardFilterForm
from questionnaire.dashboard.pages import page_links, pages_of
from questionnaire.i18n import current_language
from questionnaire.reference.models import REGIONAL_GROUPS, State
from questionnaire.reviews import queries
from questionnaire.reviews.deadlines import Deadlines, by_phase
from questionnaire.reviews.forms import DrawForm
from questionnaire.reviews.labels import (
    DASHBOARD_STATUS_LABELS,
    NO_GROUP_RULE_LABELS,
    REGION_LABELS,
    TOTAL_LABELS,
)
from questionnaire.reviews.models import ReviewDraw, ReviewPhase

bp = Blueprint("dashboard", __name__)


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
def index() -> ResponseReturnValue:
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
    states = {s.code: s for s in session.exec(select(State))}
    today = date.today()
    # The durations of every phase, read once for the reviews' deadlines and the nominations'.
    phase_deadlines = by_phase(session, Deadlines.configured())
    everything = board.dashboard(
        session, filters, phase_deadlines[None], today, states, phase_deadlines
    )
    everything = board.matching_name(everything, form.q.data or "", language)
    status = form.status.data or None
    rows = board.sorted_rows(
        [row for row in everything if board.has_status(row, status)],
        form.sort.data or "state",
        language,
    )
    pages = pages_of(board.by_state(rows), DASHBOARD_PAGE_SIZE)
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), len(pages))
    phase = session.get(ReviewPhase, filters.phase_id) if filters.phase_id else None
    return render_template(
        "dashboard/index.html",
        form=form,
        groups=pages[page - 1],
        count=len(rows),
        totals=board.totals(everything),
        total_labels=TOTAL_LABELS,
        page=page,
        pages=len(pages),
        page_links=page_links(page, len(pages)),
        phase=phase,
        is_drawn=bool(phase and queries.is_drawn(session, phase)),
        states=states,
        draw_form=DrawForm(),
        overdue_nominations=nominations_due.by_names(
            nominations_due.overdue(session, today, filters.phase_id, phase_deadlines),
            states,
            language,
        ),
    )


@bp.get("/phases/<int:phase_id>")
@secretariat_required
def phase_page(phase_id: int) -> ResponseReturnValue:
    """A phase: its settings, deadlines, drawing of lots, and who is named in each review."""
    session = db.session()
    phase = session.get(ReviewPhase, phase_id) or abort(404)
    deadlines = Deadlines.configured().of_phase(phase)
    states = {s.code: s for s in session.exec(select(State))}
    rows = board.sorted_rows(
        board.dashboard(
            session, board.DashboardFilters(phase_id=phase_id), deadlines, date.today(), states
        ),
        "state",
        current_language(),
    )
    draws = session.exec(
        select(ReviewDraw).where(ReviewDraw.phase_id == phase_id).order_by(col(ReviewDraw.id))
    ).all()
    return render_template(
        "dashboard/phase.html",
        phase=phase,
        groups=board.by_state(rows),
        totals=board.totals(rows),
        total_labels=TOTAL_LABELS,
        people=queries.named_people(session, [row.review.id for row in rows if row.review.id]),
        draws=draws,
        is_drawn=any(d.kind == "draw" for d in draws),
        states=states,
        draw_form=DrawForm(),
        no_group_labels=NO_GROUP_RULE_LABELS,
        deadlines=deadlines,
    )
