"""The reviewing States' agreement to the list of observations, and the pages that confirm
what cannot be undone in the workspace (share, agree, make final, withdraw an observation):
each GET says what will happen and who will be told; the POST does it."""

from __future__ import annotations

from collections.abc import Iterable

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from questionnaire import db
from questionnaire.accounts.models import User
from questionnaire.errors import RuleViolation
from questionnaire.forms import Form
from questionnaire.i18n import current_language
from questionnaire.reference.models import State
from questionnaire.reference.names import state_name
from questionnaire.workspace import signoff
from questionnaire.workspace.access import WorkspaceAccess, load_workspace
from questionnaire.workspace.forms import DesignateForm
from questionnaire.workspace.models import Observation
from questionnaire.workspace.services import list_of

bp = Blueprint("signoff", __name__, url_prefix="/reviews/<int:review_id>/workspace")

#: The moves of the list that cannot be taken back by the one who makes them.
CONFIRMED_MOVES = ("with_state", "agreed", "final")


def _signing_state(access: WorkspaceAccess) -> str:
    """The reviewing State the user agrees for; 403 for anyone else."""
    state = signoff.signs_for(db.session(), access.review, current_user)
    if access.side != "reviewer" or state is None:
        abort(403)
    return state


def _state(code: str | None) -> State | None:
    return db.session().get(State, code) if code else None


def _names(codes: Iterable[str]) -> list[str]:
    """The States' names in the reader's language."""
    language = current_language()
    return [state_name(s, language) if (s := _state(code)) else code for code in codes]


@bp.route("/list/agreement", methods=["GET", "POST"])
@login_required
def agree(review_id: int) -> ResponseReturnValue:
    """Confirm, then record, the agreement of the user's State to the list as it stands."""
    access = load_workspace(review_id)
    state = _signing_state(access)
    session = db.session()
    form = Form()
    if form.validate_on_submit():
        try:
            signoff.agree(session, access.review, list_of(session, access.review), current_user)
        except RuleViolation as exc:
            flash(str(exc), "error")
        else:
            flash(_("Your State's agreement to the list of observations is recorded."), "success")
        return redirect(url_for("workspace.list_page", review_id=review_id) + "#agreement")
    if access.list.status != "drafting":
        abort(403, description=_("The list has already been shared with the State under review."))
    return render_template(
        "workspace/confirm_agreement.html",
        access=access,
        form=form,
        signing_state=_state(state),
        state=_state(access.review.state_code),
        others=_names(
            s for s in signoff.awaited(session, access.review, access.list) if s != state
        ),
    )


@bp.post("/list/agreement/withdraw")
@login_required
def withdraw_agreement(review_id: int) -> ResponseReturnValue:
    access = load_workspace(review_id)
    _signing_state(access)
    if not Form().validate_on_submit():
        abort(400)
    session = db.session()
    try:
        signoff.withdraw(session, access.review, list_of(session, access.review), current_user)
    except RuleViolation as exc:
        flash(str(exc), "error")
    else:
        flash(_("Your State's agreement has been withdrawn."), "success")
    return redirect(url_for("workspace.list_page", review_id=review_id) + "#agreement")


@bp.get("/list/move/<to_status>")
@login_required
def confirm_move(review_id: int, to_status: str) -> ResponseReturnValue:
    """What sharing, agreeing to or making final the list will do, and who will be told; the
    form posts to the workspace's move of the list."""
    access = load_workspace(review_id)
    if to_status not in CONFIRMED_MOVES or not access.can_move(to_status):
        abort(404)
    session = db.session()
    return render_template(
        "workspace/confirm_move.html",
        access=access,
        to_status=to_status,
        form=Form(),
        state=_state(access.review.state_code),
        awaited=_names(signoff.awaited(session, access.review, access.list)),
    )


@bp.get("/observations/<int:observation_id>/withdraw")
@login_required
def confirm_withdraw(review_id: int, observation_id: int) -> ResponseReturnValue:
    """What withdrawing an observation does; the form posts to the workspace's edit."""
    access = load_workspace(review_id)
    observation = db.session().get(Observation, observation_id)
    if observation is None or observation.review_id != review_id or observation.is_deleted:
        abort(404)
    if not access.can_draft:
        abort(403)
    return render_template(
        "workspace/confirm_withdraw.html", access=access, observation=observation, form=Form()
    )


@bp.post("/list/signatories")
@login_required
def designate(review_id: int) -> ResponseReturnValue:
    """A reviewing State's focal point lets one of the State's experts agree for it."""
    access = load_workspace(review_id)
    session = db.session()
    if access.side != "reviewer" or not signoff.is_focal_point(
        session, access.review, current_user
    ):
        abort(403)
    form = DesignateForm()
    form.expert.choices = [
        (str(u.id), u.full_name) for u in signoff.designable(session, access.review, current_user)
    ]
    if not form.validate_on_submit():
        abort(400)
    expert = session.get(User, int(form.expert.data or 0))
    try:
        signoff.designate(session, access.review, current_user, expert)  # type: ignore[arg-type]
    except RuleViolation as exc:
        flash(str(exc), "error")
    else:
        flash(
            _("%(name)s can now agree to the list for your State.", name=expert.full_name),  # type: ignore[union-attr]
            "success",
        )
    return redirect(url_for("workspace.list_page", review_id=review_id) + "#agreement")
