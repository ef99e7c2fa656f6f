"""The list of observations' pages of the review workspace: the list with its summary and
comments, a summary paragraph kept confidential or released, the list moved on.

The workspace's blueprint is made here; `observations/views.py` adds the sections' pages.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from questionnaire import db
from questionnaire.accounts.services import users_by_id
from questionnaire.errors import RuleViolation
from questionnaire.i18n import current_language
from questionnaire.reference.models import State
from questionnaire.reference.services import states_by_code
from questionnaire.wording import language_name
from questionnaire.workspace import dialogue, services, signoff
from questionnaire.workspace.access import WorkspaceAccess, load_workspace
from questionnaire.workspace.citing import all_cited, cited_labels
from questionnaire.workspace.forms import (
    ConfidentialForm,
    MessageForm,
    SummaryForm,
    TransitionForm,
)
from questionnaire.workspace.languages import OFFICIAL_LANGUAGES
from questionnaire.workspace.links import linkify
from questionnaire.workspace.summary import paragraphs_of, set_paragraph_confidential

bp = Blueprint("workspace", __name__, url_prefix="/reviews/<int:review_id>/workspace")
bp.add_app_template_filter(linkify, "linkify")


@bp.route("/list", methods=["GET", "POST"])
@login_required
def list_page(review_id: int) -> ResponseReturnValue:
    access = load_workspace(review_id)
    if not access.sees_list:
        abort(
            403, description=_("The list of observations has not been shared with your State yet.")
        )
    word_limit = int(current_app.config["SUMMARY_WORD_LIMIT"])
    summary_form = SummaryForm(
        prefix="summary", summary=access.list.summary, version=access.list.summary_version
    )
    comment_form = MessageForm(prefix="comment")
    conflict_text = None
    if request.method == "POST" and request.form.get("form") == "summary":
        summary_form = SummaryForm(prefix="summary")
        is_saved, conflict_text = _save_summary(access, summary_form, word_limit)
        if is_saved:
            return redirect(url_for(".list_page", review_id=review_id))
    elif (
        request.method == "POST"
        and request.form.get("form") == "comment"
        and _post_comment(access, comment_form)
    ):
        return redirect(url_for(".list_page", review_id=review_id) + "#comments")
    return render_template(
        "workspace/list.html",
        summary_form=summary_form,
        comment_form=comment_form,
        conflict_text=conflict_text,
        word_limit=word_limit,
        **_list_context(access),
    )


def _save_summary(
    access: WorkspaceAccess, summary_form: SummaryForm, word_limit: int
) -> tuple[bool, str | None]:
    """Save the summary's form: whether it was saved, and the text someone else saved
    meanwhile when the two changes conflict (both are then shown, to be merged)."""
    if not access.can_draft:
        abort(403)
    if not summary_form.validate():
        return False, None
    try:
        services.save_summary(
            db.session(),
            access.review,
            current_user,
            text=summary_form.summary.data or "",
            base_version=summary_form.version.data or 0,
            word_limit=word_limit,
        )
    except services.EditConflict as exc:
        summary_form.version.data = exc.current_version
        flash(
            _(
                "Someone else changed the summary while you were editing it. "
                "Both versions are shown: merge them and save again."
            ),
            "error",
        )
        return False, exc.current_text
    except RuleViolation as exc:
        flash(str(exc), "error")
        return False, None
    flash(_("The summary has been saved."), "success")
    return True, None


def _post_comment(access: WorkspaceAccess, comment_form: MessageForm) -> bool:
    """Post a comment on the list from its form; whether it was posted."""
    if access.side not in ("reviewer", "state") or (
        access.side == "state" and not access.can_reply
    ):
        abort(403)
    if not comment_form.validate():
        return False
    try:
        dialogue.post_message(
            db.session(),
            access.review,
            current_user,
            side=access.side,
            section_key="list",
            kind="comment",
            body=comment_form.body.data or "",
        )
    except RuleViolation as exc:
        flash(str(exc), "error")
        return False
    flash(_("Your comment has been added."), "success")
    return True


def _list_context(access: WorkspaceAccess) -> dict[str, Any]:
    """What the list's page shows besides its forms: the observations in the bank's order, the
    comments, the summary, the list's history, its sign-offs and who may sign."""
    session = db.session()
    observations = services.observations_of(session, access.review)
    order = {s.key: i for i, s in enumerate(access.bank.sections)}
    observations.sort(key=lambda o: (order.get(o.section_key, 999), o.id))
    comments = [m for m in dialogue.messages_of(session, access.review) if m.section_key == "list"]
    sign_offs = signoff.sign_offs(session, access.review, access.list)
    return dict(
        access=access,
        observations=observations,
        labels=cited_labels(access.bank, all_cited(observations)),
        comments=comments,
        word_count=services.count_words(access.list.summary),
        summary_paragraphs=paragraphs_of(access.list),
        transitions=services.transitions_of(session, access.list),
        people=users_by_id(
            session,
            {m.author_id for m in comments}
            | {t.actor_id for t in services.transitions_of(session, access.list)}
            | {row.agreement.agreed_by_id for row in sign_offs if row.agreement},
        ),
        state=session.get(State, access.review.state_code),
        author_states=states_by_code(session, (m.author_state for m in comments)),
        sign_offs=sign_offs,
        signoff_states=states_by_code(session, (row.state for row in sign_offs)),
        signs_for=signoff.signs_for(session, access.review, current_user),
        designable=signoff.designable(session, access.review, current_user),
        transition_form=TransitionForm(),
        confidential_form=ConfidentialForm(),
        language_names={
            code: language_name(code, current_language()) for code in OFFICIAL_LANGUAGES
        },
    )


@bp.post("/list/summary/confidentiality")
@login_required
def summary_confidentiality(review_id: int) -> ResponseReturnValue:
    """The State's focal point keeps a paragraph of the summary confidential, or releases it."""
    access = load_workspace(review_id)
    action = request.form.get("action", "")
    if (
        not access.can_mark_confidential
        or action not in ("confidential", "public")
        or not ConfidentialForm().validate()
    ):
        abort(403)
    try:
        set_paragraph_confidential(
            db.session(),
            access.review,
            current_user,
            key=request.form.get("paragraph", ""),
            is_confidential=action == "confidential",
        )
    except RuleViolation as exc:
        flash(str(exc), "error")
    else:
        if action == "confidential":
            flash(_("The paragraph will be kept confidential."), "success")
        else:
            flash(_("The paragraph may be published."), "success")
    return redirect(url_for(".list_page", review_id=review_id) + "#summary")


@bp.post("/list/transition")
@login_required
def move_list(review_id: int) -> ResponseReturnValue:
    access = load_workspace(review_id)
    form = TransitionForm()
    if not form.validate() or not access.can_move(form.to_status.data or ""):
        abort(403)
    try:
        services.transition(
            db.session(),
            access.review,
            current_user,
            side=access.side,
            to_status=form.to_status.data or "",
        )
    except RuleViolation as exc:
        flash(str(exc), "error")
    else:
        flash(_("The status of the list has changed."), "success")
    return redirect(url_for(".list_page", review_id=review_id))
