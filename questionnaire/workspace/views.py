"""The review workspace: reviewers read answers, write observations and ask for clarification;
the State under review replies, comments, keeps elements confidential and agrees the list.

The list of observations' pages, on the same blueprint, are in `observations/list_views.py`.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import abort, flash, redirect, render_template, request, url_for
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
from questionnaire.reference.models import State
from questionnaire.reference.provisions import provision_text
from questionnaire.reference.services import states_by_code
from questionnaire.responses.queries import answers_of
from questionnaire.reviews.deadlines import of_review
from questionnaire.reviews.services import active_assignments
from questionnaire.validators import parse_id
from questionnaire.workspace import dialogue, services
from questionnaire.workspace.access import WorkspaceAccess, load_workspace
from questionnaire.workspace.citing import (
    Citable,
    all_cited,
    citable_answers,
    with_cited,
)
from questionnaire.workspace.dialogue import open_requests, threads_of
from questionnaire.workspace.forms import (
    ConfidentialForm,
    MessageForm,
    ObservationForm,
)
from questionnaire.workspace.list_views import bp as bp
from questionnaire.workspace.models import Observation


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
    messages = dialogue.messages_of(session, access.review)
    assignments = active_assignments(session, [review_id])
    return render_template(
        "workspace/overview.html",
        access=access,
        open_requests=open_requests(session, review_id),
        state=session.get(State, access.review.state_code),
        observations=observations,
        messages=messages,
        assignments=assignments,
        states=states_by_code(session, (a.reviewing_state for a in assignments)),
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
    if (
        request.method == "POST"
        and request.form.get("form") == "observation"
        and _add_observation(access, section, form)
    ):
        return redirect(
            url_for(".section", review_id=review_id, section_key=section_key) + "#observations"
        )
    if (
        request.method == "POST"
        and request.form.get("form") == "message"
        and _post_message(access, section, message_form)
    ):
        return redirect(
            url_for(".section", review_id=review_id, section_key=section_key) + "#dialogue"
        )
    observations = [
        o
        for o in services.observations_of(session, access.review)
        if o.section_key == section.key and access.sees_list
    ]
    messages = [
        m for m in dialogue.messages_of(session, access.review) if m.section_key == section.key
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
        labels={c.key: c.label for c in with_cited(access.bank, citable, all_cited(observations))},
        editing=request.args.get("edit", type=int) if access.can_draft else None,
        observations=observations,
        messages=messages,
        threads=threads,
        replying_to=parse_id(message_form.reply_to.data) if message_form.errors else None,
        people=_people({m.author_id for m in messages} | {o.updated_by_id for o in observations}),
        author_states=states_by_code(db.session(), (m.author_state for m in messages)),
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


def _add_observation(access: WorkspaceAccess, section: Section, form: ObservationForm) -> bool:
    """Add an observation on the section from its form; whether it was added."""
    if not access.can_draft:
        abort(403)
    if not form.validate():
        return False
    try:
        services.add_observation(
            db.session(),
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
        return False
    flash(_("The observation has been added."), "success")
    return True


def _post_message(access: WorkspaceAccess, section: Section, message_form: MessageForm) -> bool:
    """Post a request, a reply or a comment on the section from its form; whether it was."""
    if not (access.can_request or access.can_reply):
        abort(403)
    if not message_form.validate():
        return False
    try:
        dialogue.post_message(
            db.session(),
            access.review,
            current_user,
            side=access.side,
            section_key=section.key,
            kind=message_form.kind.data or "",
            body=message_form.body.data or "",
            reply_to_id=parse_id(message_form.reply_to.data),
        )
    except RuleViolation as exc:
        flash(str(exc), "error")
        return False
    flash(_("Your message has been sent."), "success")
    return True


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
