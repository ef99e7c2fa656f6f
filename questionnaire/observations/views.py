"""The review workspace: reviewers read answers, write observations and ask for clarification;
the State under review replies, comments, keeps elements confidential and agrees the list."""

from __future__ import annotations

from collections.abc import Iterable

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from questionnaire import db
from questionnaire.accounts.models import User
from questionnaire.accounts.services import users_by_id
from questionnaire.banks.schema import Section
from questionnaire.db import id_of
from questionnaire.errors import RuleViolation
from questionnaire.i18n import current_language
from questionnaire.meetings.wording import language_name
from questionnaire.observations import services, signoff
from questionnaire.observations.access import WorkspaceAccess, load_workspace
from questionnaire.observations.citing import Citable, citable_answers, cited_labels, with_cited
from questionnaire.observations.dialogue import open_requests, threads_of
from questionnaire.observations.forms import (
    ConfidentialForm,
    MessageForm,
    ObservationForm,
    SummaryForm,
    TransitionForm,
)
from questionnaire.observations.languages import OFFICIAL_LANGUAGES
from questionnaire.observations.links import linkify
from questionnaire.observations.models import Observation
from questionnaire.observations.summary import paragraphs_of, set_paragraph_confidential
from questionnaire.reference.models import State
from questionnaire.reference.provisions import provision_text
from questionnaire.responses.queries import answers_of
from questionnaire.reviews.deadlines import of_review
from questionnaire.reviews.services import active_assignments
from questionnaire.validators import parse_id

bp = Blueprint("workspace", __name__, url_prefix="/reviews/<int:review_id>/workspace")
bp.add_app_template_filter(linkify, "linkify")


def _section(access: WorkspaceAccess, key: str) -> Section:
    section = access.bank.sections_by_key.get(key)
    if section is None or section.article is None:
        abort(404)
    return section


def _observation_form(choices: list[Citable], **kwargs: object) -> ObservationForm:
    """The observation form, offering to cite `choices` by their short text."""
    form = ObservationForm(**kwargs)
    form.cited_keys.choices = [SelectChoice(c.key, c.label) for c in choices]
    return form


def _citable(access: WorkspaceAccess, section: Section) -> list[Citable]:
    """The section's answered questions an observation may cite."""
    answers = answers_of(db.session(), id_of(access.review))
    return citable_answers(access.bank, section, answers)


def _people(ids: Iterable[int | None]) -> dict[int, User]:
    return users_by_id(db.session(), ids)


@bp.get("/")
@login_required
def overview(review_id: int) -> ResponseReturnValue:
    access = load_workspace(review_id)
    session = db.session()
    observations = services.observations_of(session, access.review) if access.sees_list else []
    messages = services.messages_of(session, access.review)
    assignments = active_assignments(session, [review_id])
    return render_template(
        "workspace/overview.html",
        access=access,
        open_requests=open_requests(session, review_id),
        state=session.get(State, access.review.state_code),
        observations=observations,
        messages=messages,
        assignments=assignments,
        states={
            s.code: s for s in (session.get(State, a.reviewing_state) for a in assignments) if s
        },
        feedback_due=(
            of_review(session, access.review).feedback_due(access.review.submitted_at.date())
            if access.review.submitted_at
            else None
        ),
    )


@bp.route("/sections/<section_key>", methods=["GET", "POST"])
@login_required
def section(review_id: int, section_key: str) -> ResponseReturnValue:
    access = load_workspace(review_id)
    section = _section(access, section_key)
    session = db.session()
    answers = answers_of(session, review_id)
    citable = citable_answers(access.bank, section, answers)
    form = _observation_form(citable)
    cite = request.args.get("cite", "")
    if request.method == "GET" and cite in {c.key for c in citable}:
        form.cited_keys.data = [cite]
    message_form = MessageForm(prefix="message")
    if request.method == "POST" and request.form.get("form") == "observation":
        if not access.can_draft:
            abort(403)
        if form.validate():
            try:
                services.add_observation(
                    session,
                    access.review,
                    access.bank,
                    current_user,
                    section_key=section.key,
                    category=form.category.data or "",
                    text=form.text.data or "",
                    cited_keys=list(form.cited_keys.data or []),
                )
            except RuleViolation as exc:
                flash(str(exc), "error")
            else:
                flash(_("The observation has been added."), "success")
                return redirect(
                    url_for(".section", review_id=review_id, section_key=section_key)
                    + "#observations"
                )
    elif request.method == "POST" and request.form.get("form") == "message":
        if not (access.can_request or access.can_reply):
            abort(403)
        if message_form.validate():
            kind = message_form.kind.data or ""
            try:
                services.post_message(
                    session,
                    access.review,
                    current_user,
                    side=access.side,
                    section_key=section.key,
                    kind=kind,
                    body=message_form.body.data or "",
                    reply_to_id=parse_id(message_form.reply_to.data),
                )
            except RuleViolation as exc:
                flash(str(exc), "error")
            else:
                flash(_("Your message has been sent."), "success")
                return redirect(
                    url_for(".section", review_id=review_id, section_key=section_key) + "#dialogue"
                )
    observations = [
        o
        for o in services.observations_of(session, access.review)
        if o.section_key == section.key and access.sees_list
    ]
    messages = [
        m for m in services.messages_of(session, access.review) if m.section_key == section.key
    ]
    threads = threads_of(messages)
    return render_template(
        "workspace/section.html",
        access=access,
        section=section,
        form=form,
        message_form=message_form,
        answers=answers,
        citable=citable,
        labels={c.key: c.label for c in with_cited(access.bank, citable, _all_cited(observations))},
        editing=request.args.get("edit", type=int) if access.can_draft else None,
        observations=observations,
        messages=messages,
        threads=threads,
        replying_to=parse_id(message_form.reply_to.data) if message_form.errors else None,
        people=_people({m.author_id for m in messages} | {o.updated_by_id for o in observations}),
        provision=provision_text(access.bank.instrument, section.article or 0, current_language()),
        edit_forms={
            o.id: _observation_form(
                with_cited(access.bank, citable, o.cited_keys),
                obj=o,
                prefix=f"o{o.id}",
                version=o.version,
            )
            for o in observations
        },
    )


def _all_cited(observations: Iterable[Observation]) -> list[str]:
    return [key for o in observations for key in o.cited_keys]


def _observation(access: WorkspaceAccess, observation_id: int) -> Observation:
    observation = db.session().get(Observation, observation_id)
    if observation is None or observation.review_id != access.review.id or observation.is_deleted:
        abort(404)
    return observation


def _edit_url(observation: Observation) -> str:
    """The article's page with the observation's edit form open."""
    return (
        url_for(
            ".section",
            review_id=observation.review_id,
            section_key=observation.section_key,
            edit=observation.id,
        )
        + f"#obs-{observation.id}"
    )


@bp.post("/observations/<int:observation_id>")
@login_required
def edit_observation(review_id: int, observation_id: int) -> ResponseReturnValue:
    access = load_workspace(review_id)
    observation = _observation(access, observation_id)
    section = _section(access, observation.section_key)
    target = (
        url_for(".section", review_id=review_id, section_key=section.key) + f"#obs-{observation.id}"
    )
    session = db.session()
    action = request.form.get("action", "save")
    if action in ("confidential", "public"):
        if not access.can_mark_confidential or not ConfidentialForm().validate():
            abort(403)
        services.set_confidential(
            session,
            access.review,
            observation,
            current_user,
            is_confidential=action == "confidential",
        )
        if request.form.get("next") == "list":
            return redirect(url_for(".list_page", review_id=review_id))
        return redirect(target)
    if not access.can_draft:
        abort(403)
    if action == "withdraw":
        services.withdraw_observation(session, access.review, observation, current_user)
        flash(_("The observation has been withdrawn."), "success")
        return redirect(target)
    form = _observation_form(
        with_cited(access.bank, _citable(access, section), observation.cited_keys),
        prefix=f"o{observation.id}",
    )
    if not form.validate():
        flash(_("The observation was not saved: choose a category and write the text."), "error")
        return redirect(_edit_url(observation))
    try:
        services.edit_observation(
            session,
            access.review,
            access.bank,
            observation,
            current_user,
            category=form.category.data or "",
            text=form.text.data or "",
            cited_keys=list(form.cited_keys.data or []),
            base_version=form.version.data or 0,
        )
    except services.EditConflict:
        flash(
            _(
                "Someone else changed this observation while you were editing it. "
                "Their version is shown; your text was: %(text)s",
                text=form.text.data,
            ),
            "error",
        )
        return redirect(_edit_url(observation))
    flash(_("The observation has been saved."), "success")
    return redirect(target)


@bp.route("/list", methods=["GET", "POST"])
@login_required
def list_page(review_id: int) -> ResponseReturnValue:
    access = load_workspace(review_id)
    if not access.sees_list:
        abort(
            403, description=_("The list of observations has not been shared with your State yet.")
        )
    session = db.session()
    word_limit = int(current_app.config["SUMMARY_WORD_LIMIT"])
    summary_form = SummaryForm(
        prefix="summary", summary=access.list.summary, version=access.list.summary_version
    )
    comment_form = MessageForm(prefix="comment")
    conflict_text = None
    if request.method == "POST" and request.form.get("form") == "summary":
        if not access.can_draft:
            abort(403)
        summary_form = SummaryForm(prefix="summary")
        if summary_form.validate():
            try:
                services.save_summary(
                    session,
                    access.review,
                    current_user,
                    text=summary_form.summary.data or "",
                    base_version=summary_form.version.data or 0,
                    word_limit=word_limit,
                )
            except services.EditConflict as exc:
                conflict_text = exc.current_text
                summary_form.version.data = exc.current_version
                flash(
                    _(
                        "Someone else changed the summary while you were editing it. "
                        "Both versions are shown: merge them and save again."
                    ),
                    "error",
                )
            except RuleViolation as exc:
                flash(str(exc), "error")
            else:
                flash(_("The summary has been saved."), "success")
                return redirect(url_for(".list_page", review_id=review_id))
    elif request.method == "POST" and request.form.get("form") == "comment":
        if access.side not in ("reviewer", "state") or (
            access.side == "state" and not access.can_reply
        ):
            abort(403)
        if comment_form.validate():
            try:
                services.post_message(
                    session,
                    access.review,
                    current_user,
                    side=access.side,
                    section_key="list",
                    kind="comment",
                    body=comment_form.body.data or "",
                )
            except RuleViolation as exc:
                flash(str(exc), "error")
            else:
                flash(_("Your comment has been added."), "success")
                return redirect(url_for(".list_page", review_id=review_id) + "#comments")
    observations = services.observations_of(session, access.review)
    order = {s.key: i for i, s in enumerate(access.bank.sections)}
    observations.sort(key=lambda o: (order.get(o.section_key, 999), o.id))
    comments = [m for m in services.messages_of(session, access.review) if m.section_key == "list"]
    sign_offs = signoff.sign_offs(session, access.review, access.list)
    return render_template(
        "workspace/list.html",
        access=access,
        observations=observations,
        labels=cited_labels(access.bank, _all_cited(observations)),
        summary_form=summary_form,
        comment_form=comment_form,
        comments=comments,
        conflict_text=conflict_text,
        word_limit=word_limit,
        word_count=services.count_words(access.list.summary),
        summary_paragraphs=paragraphs_of(access.list),
        transitions=services.transitions_of(session, access.list),
        people=_people(
            {m.author_id for m in comments}
            | {t.actor_id for t in services.transitions_of(session, access.list)}
            | {row.agreement.agreed_by_id for row in sign_offs if row.agreement}
        ),
        state=session.get(State, access.review.state_code),
        sign_offs=sign_offs,
        signoff_states={row.state: session.get(State, row.state) for row in sign_offs},
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
