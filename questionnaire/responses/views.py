"""The respondents' pages: task list, article pages, autosave, history, check and submit."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from questionnaire import db
from questionnaire.accounts.services import users_by_id
from questionnaire.attachments.services import attachments_of
from questionnaire.banks.schema import Section
from questionnaire.banks.titles import section_title
from questionnaire.db import id_of, utcnow
from questionnaire.downloads import download
from questionnaire.errors import RuleViolation
from questionnaire.i18n import current_language
from questionnaire.pdf import render_pdf
from questionnaire.reference.models import State
from questionnaire.reference.names import state_name
from questionnaire.responses import section_page, services
from questionnaire.responses.access import ReviewAccess, load_review
from questionnaire.responses.answers_pdf import answers_document
from questionnaire.responses.forms import (
    ReopenForm,
    SubmitForm,
    confidential_field,
    section_form_class,
    states_from_answers,
    states_from_form,
    version_field,
)
from questionnaire.responses.labels import question_label
from questionnaire.responses.progress import section_state, visible_questions
from questionnaire.responses.question_types import InvalidValue, type_of
from questionnaire.reviews.labels import REVIEW_STATUS_LABELS
from questionnaire.security import csrf, csrf_exempt, takes_json

bp = Blueprint("responses", __name__, url_prefix="/reviews/<int:review_id>")


def _section(access: ReviewAccess, section_key: str) -> Section:
    section = access.bank.sections_by_key.get(section_key)
    if section is None:
        abort(404)
    return section


def _states(access: ReviewAccess) -> tuple[dict[str, Any], list[Any]]:
    answers = services.answers_of(db.session(), id_of(access.review))
    values = {key: answer.value for key, answer in answers.items()}
    carried = {key for key, answer in answers.items() if answer.is_carried_forward}
    marked = services.progress_rows(db.session(), id_of(access.review))
    states = [
        section_state(
            access.bank, s, values, carried, bool(marked.get(s.key) and marked[s.key].is_complete)
        )
        for s in access.bank.sections
    ]
    return answers, states


@bp.get("/")
@login_required
def overview(review_id: int) -> ResponseReturnValue:
    access = load_review(review_id)
    _answers, states = _states(access)
    state = db.session().get(State, access.review.state_code)
    attached = attachments_of(db.session(), id_of(access.review))
    return render_template(
        "responses/overview.html", access=access, states=states, state=state, attached=attached
    )


def _changes_from_form(
    access: ReviewAccess, section: Section, form: Any
) -> list[services.AnswerChange]:
    changes = []
    for question in section.questions:
        field = form[question.key]
        qtype = type_of(question)
        # A field with errors is kept in the page with its message; only what can be kept of
        # it is saved (the valid lines of a links field), or nothing.
        value = qtype.salvage(field.data) if field.errors else qtype.from_form(field.data)
        if field.errors and value is None:
            continue
        changes.append(
            services.AnswerChange(
                key=question.key,
                value=value,
                is_confidential=bool(form[confidential_field(question.key)].data),
                base_version=form[version_field(question.key)].data or 0,
            )
        )
    return changes


@bp.route("/sections/<section_key>", methods=["GET", "POST"])
@login_required
def section(review_id: int, section_key: str) -> ResponseReturnValue:
    access = load_review(review_id, for_change=request.method == "POST")
    section = _section(access, section_key)
    if request.method == "POST":
        if not access.can_edit:
            abort(403)
        return _post_section(access, section)
    # A GET needs no form object: the fields show the stored answers.
    answers = services.stored_answers(db.session(), review_id)
    fields = states_from_answers(section, answers)
    values = {key: answer.value for key, answer in answers.items()}
    return section_page.render_section(access, section, fields, answers, values, {})


def _post_section(access: ReviewAccess, section: Section) -> ResponseReturnValue:
    """Save what was typed on the page first, whatever button was pressed; then confirm or
    mark the section complete as the button asks."""
    session = db.session()
    review_id = id_of(access.review)
    form = section_form_class(id_of(access.version), section)()
    form.validate()
    action = request.form.get("action", "save")
    try:
        outcome = services.save_answers(
            session,
            access.review,
            access.bank,
            current_user,
            _changes_from_form(access, section, form),
            kind="save",
            language=current_language(),
            review_locked=access.locked,
        )
        confirmed = section_page.confirm_after_save(
            access, section, current_user, action, outcome.conflicts
        )
    except RuleViolation as exc:
        flash(str(exc), "error")
        return redirect(url_for(".overview", review_id=review_id))
    has_errors = any(form[q.key].errors for q in section.questions)
    blocker = None
    if action == "complete" and not outcome.conflicts and not has_errors:
        blocker = services.mark_section(
            session, access.review, access.bank, section, current_user, is_complete=True
        )
    if not outcome.conflicts and not has_errors and blocker is None:
        return section_page.saved_redirect(access, section, action, confirmed)
    return _section_again(access, section, form, outcome, confirmed, blocker)


def _section_again(
    access: ReviewAccess,
    section: Section,
    form: Any,
    outcome: services.SaveOutcome,
    confirmed: list[str] | None,
    blocker: services.SubmissionBlocker | None,
) -> ResponseReturnValue:
    """The page again after a save that left conflicts, errors or a section not complete:
    the fields as typed, each based on the version stored now."""
    answers = services.stored_answers(db.session(), id_of(access.review))
    for key in {*outcome.saved, *outcome.conflicts, *(confirmed or ())}:
        # The next save is based on what is stored now: saved, confirmed, or after a conflict
        # the other person's version, a deliberate choice made after seeing both.
        if key in answers:
            form[version_field(key)].data = answers[key].version
    values = {
        q.key: type_of(q).from_form(form[q.key].data) if not form[q.key].errors else None
        for q in section.questions
    }
    values = {**{k: a.value for k, a in answers.items()}, **values}
    fields = states_from_form(section, form)
    return section_page.render_section(
        access, section, fields, answers, values, outcome.conflicts, blocker
    )


@bp.post("/sections/<section_key>/autosave")
@csrf_exempt  # checked below, after authentication, so an ended session answers 401
@takes_json
def autosave(review_id: int, section_key: str) -> ResponseReturnValue:
    if not current_user.is_authenticated:
        return jsonify(
            error="session_ended",
            message=_("Your session has ended. Log in again: your text is kept in this browser."),
        ), 401
    if current_app.config.get("WTF_CSRF_ENABLED", True):
        csrf.protect()
    access = load_review(review_id, for_change=True)
    section = _section(access, section_key)
    if not access.can_edit:
        return jsonify(error="read_only", message=_("These answers can no longer be changed.")), 403
    payload = request.get_json(silent=True)
    items = payload.get("answers") if isinstance(payload, dict) else None
    if not isinstance(items, list) or len(items) > len(section.questions):
        return jsonify(error="bad_request", message=_("The request was not understood.")), 400
    try:
        changes, problems = _changes_from_json(access, section, items)
    except _RefusedItem as exc:
        named = {} if exc.key is None else {"key": exc.key}
        return jsonify(error="bad_request", message=exc.message, **named), 400
    try:
        outcome = services.save_answers(
            db.session(),
            access.review,
            access.bank,
            current_user,
            changes,
            kind="autosave",
            language=current_language(),
            coalesce_seconds=int(current_app.config["AUTOSAVE_COALESCE_SECONDS"]),
            review_locked=access.locked,
        )
    except RuleViolation:  # submitted since the review was loaded by this request
        return jsonify(error="read_only", message=_("These answers can no longer be changed.")), 403
    return jsonify(
        saved=outcome.saved,
        unchanged=outcome.unchanged,
        conflicts={key: {"version": c.theirs_version} for key, c in outcome.conflicts.items()},
        invalid=problems,
    )


class _RefusedItem(Exception):
    """An autosaved item that refuses the whole request (400): the message, and the key of
    the question it names when the message names one."""

    def __init__(self, message: str, key: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.key = key


def _changes_from_json(
    access: ReviewAccess, section: Section, items: list[Any]
) -> tuple[list[services.AnswerChange], dict[str, str]]:
    """The changes an autosave asks for, and per question the problem that kept its value
    from being saved whole. An item that names no question of the section, or whose
    confidentiality is not true or false, refuses the request (`_RefusedItem`)."""
    changes: list[services.AnswerChange] = []
    problems: dict[str, str] = {}
    section_keys = {q.key for q in section.questions}
    for item in items:
        key = item.get("key") if isinstance(item, dict) else None
        if not isinstance(key, str) or key not in section_keys:
            raise _RefusedItem(_("Unknown question."))
        question = access.bank.questions_by_key[key]
        base = item.get("base_version", 0)
        if not isinstance(base, int) or isinstance(base, bool) or base < 0:
            problems[key] = _("The request was not understood.")
            continue
        try:
            value = type_of(question).from_json(question, item.get("value"))
        except InvalidValue as exc:
            problems[key] = str(exc)
            value = type_of(question).salvage(item.get("value"))  # the valid lines of links
            if value is None:
                continue
        flag = item.get("is_confidential", False)
        if not isinstance(flag, bool):
            # A string "false" is true to bool(): only JSON true and false are taken.
            message = _("The confidentiality of question %(key)s must be true or false.", key=key)
            raise _RefusedItem(message, key)
        changes.append(services.AnswerChange(key, value, flag, base))
    return changes, problems


@bp.get("/answers/<question_key>/history")
@login_required
def history(review_id: int, question_key: str) -> ResponseReturnValue:
    access = load_review(review_id)
    question = access.bank.questions_by_key.get(question_key)
    if question is None:
        abort(404)
    answer = services.answers_of(db.session(), review_id).get(question_key)
    revisions = services.history_of(db.session(), answer) if answer else []
    people = users_by_id(db.session(), (r.changed_by_id for r in revisions))
    return render_template(
        "responses/history.html",
        access=access,
        question=question,
        answer=answer,
        revisions=revisions,
        people=people,
    )


@bp.get("/check")
@login_required
def check(review_id: int) -> ResponseReturnValue:
    access = load_review(review_id)
    answers, states = _states(access)
    values = {key: answer.value for key, answer in answers.items()}
    blockers = services.submission_blockers(db.session(), access.review, access.bank)
    questions = access.bank.questions_by_key
    return render_template(
        "responses/check.html",
        access=access,
        label=lambda key: question_label(access.bank, questions[key]),
        # After a refused submission: what is left is shown as an error summary.
        attempted=request.args.get("attempted") == "1",
        answers=answers,
        states=states,
        shown={
            q.key for s in access.bank.sections for q in visible_questions(access.bank, s, values)
        },
        blockers=blockers,
        form=SubmitForm(),
    )


@bp.post("/submit")
@login_required
def submit(review_id: int) -> ResponseReturnValue:
    access = load_review(review_id)
    if not access.can_submit:
        abort(403)
    form = SubmitForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.submit(db.session(), access.review, access.bank, current_user)
    except RuleViolation:
        return redirect(url_for(".check", review_id=review_id, attempted=1))
    flash(
        _("The answers of your State have been submitted. They can no longer be changed."),
        "success",
    )
    return redirect(url_for("submission.receipt", review_id=review_id))


@bp.route("/reopen", methods=["GET", "POST"])
@login_required
def reopen(review_id: int) -> ResponseReturnValue:
    access = load_review(review_id)
    if not access.can_reopen:
        abort(403)
    form = ReopenForm()
    if form.validate_on_submit():
        services.reopen(db.session(), access.review, current_user, form.reason.data or "")
        flash(_("The answers have been reopened for changes."), "success")
        return redirect(url_for(".overview", review_id=review_id))
    return render_template("responses/reopen.html", access=access, form=form)


@bp.get("/answers.pdf")
@login_required
def pdf(review_id: int) -> ResponseReturnValue:
    access = load_review(review_id)
    session = db.session()
    state = session.get(State, access.review.state_code)
    assert state is not None
    document = answers_document(
        access.bank,
        services.answers_of(session, review_id),
        state=state_name(state, current_language()),
        status=str(REVIEW_STATUS_LABELS[access.review.status]),
        generated_at=utcnow(),
        section_titles={s.key: section_title(access.bank, s) for s in access.bank.sections},
    )
    content = render_pdf(
        "documents/answers.html",
        title=f"{document.state}: {document.title}",
        language=current_language(),
        document=document,
    )
    bank = access.bank
    stem = f"answers-{access.review.state_code}-{bank.instrument}-{bank.cluster}"
    filename = f"{stem}-v{bank.version}.pdf"
    return download(content, "application/pdf", filename)
