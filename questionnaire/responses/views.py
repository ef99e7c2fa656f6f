"""The respondents' pages: task list, article pages, autosave, history, check and submit."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from flask import (
    Blueprint,
    Response,
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
from markupsafe import Markup

from questionnaire import db
from questionnaire.accounts.services import users_by_id
from questionnaire.banks.schema import Section
from questionnaire.db import id_of, utcnow
from questionnaire.errors import RuleViolation
from questionnaire.fragments import fragment
from questionnaire.i18n import current_language, localize
from questionnaire.publishing.pdf import render_pdf
from questionnaire.reference.models import State
from questionnaire.reference.names import state_name
from questionnaire.reference.provisions import provision_text
from questionnaire.responses import services
from questionnaire.responses.access import ReviewAccess, load_review
from questionnaire.responses.export import answers_document
from questionnaire.responses.forms import (
    FieldState,
    ReopenForm,
    SubmitForm,
    confidential_field,
    section_form_class,
    states_from_answers,
    states_from_form,
    version_field,
)
from questionnaire.responses.prepared import prepared_section, question_blocks
from questionnaire.responses.progress import section_state, visible_questions
from questionnaire.responses.question_types import InvalidValue, type_of
from questionnaire.security import csrf, takes_json
from questionnaire.templating import (
    REVIEW_STATUS_LABELS,
    flashed_notices,
    header_fixed,
    header_slots,
    section_title,
)

bp = Blueprint("responses", __name__, url_prefix="/reviews/<int:review_id>")


def _section(access: ReviewAccess, section_key: str) -> Section:
    section = access.bank.sections_by_key.get(section_key)
    if section is None:
        abort(404)
    return section


def _states(access: ReviewAccess) -> tuple[dict[str, Any], list[Any]]:
    answers = services.answers_of(db.session(), access.review.id)  # type: ignore[arg-type]
    values = {key: answer.value for key, answer in answers.items()}
    carried = {key for key, answer in answers.items() if answer.is_carried_forward}
    marked = services.progress_rows(db.session(), access.review.id)  # type: ignore[arg-type]
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
    return render_template("responses/overview.html", access=access, states=states, state=state)


def _changes_from_form(
    access: ReviewAccess, section: Section, form: Any
) -> list[services.AnswerChange]:
    changes = []
    for question in section.questions:
        field = form[question.key]
        if field.errors:
            continue  # kept in the page with its message; never saved half-valid
        changes.append(
            services.AnswerChange(
                key=question.key,
                value=type_of(question).from_form(field.data),
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
    session = db.session()
    conflicts: dict[str, services.Conflict] = {}
    missing: list[str] = []
    if request.method == "POST":
        if not access.can_edit:
            abort(403)
        form = section_form_class(access.version.id, section)()  # type: ignore[arg-type]
        form.validate()
        action = request.form.get("action", "save")
        try:
            # Whatever button was pressed, what was typed on the page is saved first.
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
            confirm_key = action.removeprefix("confirm:") if action.startswith("confirm:") else None
            if confirm_key and confirm_key not in outcome.conflicts:
                services.confirm_carried_forward(
                    session, access.review, current_user, [confirm_key]
                )
                if not outcome.conflicts and not form.errors:
                    return redirect(
                        url_for(".section", review_id=review_id, section_key=section_key)
                        + f"#q-{confirm_key}"
                    )
        except RuleViolation as exc:
            flash(str(exc), "error")
            return redirect(url_for(".overview", review_id=review_id))
        conflicts = outcome.conflicts
        for key, conflict in conflicts.items():
            # The next save is a deliberate choice made after seeing both versions.
            form[version_field(key)].data = conflict.theirs_version
        for key, version in outcome.saved.items():
            form[version_field(key)].data = version
        has_errors = any(form[q.key].errors for q in section.questions)
        if action == "complete" and not conflicts and not has_errors:
            missing = services.mark_section(
                session, access.review, access.bank, section, current_user, is_complete=True
            )
        if not conflicts and not has_errors and not missing:
            if action == "complete":
                flash(_("Section saved and marked complete."), "success")
                return redirect(url_for(".overview", review_id=review_id))
            flash(_("Your answers have been saved."), "success")
            return redirect(url_for(".section", review_id=review_id, section_key=section_key))
        answers = services.stored_answers(session, review_id)
        values = {
            q.key: type_of(q).from_form(form[q.key].data) if not form[q.key].errors else None
            for q in section.questions
        }
        values = {**{k: a.value for k, a in answers.items()}, **values}
        fields = states_from_form(section, form)
    else:
        # A GET needs no form object: the fields show the stored answers.
        answers = services.stored_answers(session, review_id)
        fields = states_from_answers(section, answers)
        values = {key: answer.value for key, answer in answers.items()}
    return _render_section(access, section, fields, answers, values, conflicts, missing)


def _render_section(
    access: ReviewAccess,
    section: Section,
    fields: dict[str, FieldState],
    answers: Mapping[str, services.StoredAnswer],
    values: dict[str, Any],
    conflicts: dict[str, services.Conflict],
    missing: list[str],
) -> str:
    people_ids = {c.theirs_by_id for c in conflicts.values()}
    people = users_by_id(db.session(), people_ids)
    shown = {q.key for q in visible_questions(access.bank, section, values)}
    errors = [
        (f"q-{q.key}-input", error) for q in section.questions for error in fields[q.key].errors
    ]
    errors += [
        (f"q-{key}-input", _("Answer this question: %(text)s", text=str(_text(access, key))))
        for key in missing
    ]
    prepared = prepared_section(access.version, access.bank, section)
    blocks = question_blocks(prepared, fields, answers, shown, access.can_edit, conflicts, people)
    review_id = id_of(access.review)
    slots = {
        **header_slots(),  # the CSRF token among them, which the page's form carries too
        **_section_urls(
            request.script_root,
            review_id,
            section.key,
            request.path,
            prepared.previous[0] if prepared.previous else None,
            prepared.next[0] if prepared.next else None,
        ),
        "questions": Markup("\n").join(blocks),
    }
    # What the page is kept by (templates/responses/section.html says what it may read).
    fixed = {
        **header_fixed(),
        "prepared_key": prepared.key,
        "editable": access.can_edit,
        "status": access.review.status,
        # Part of the key: the secretariat may load a provision's text anew at any time.
        "provision": provision_text(access.bank.instrument, section.article, current_language())
        if section.article
        else None,
    }
    derived = {
        "section": section,
        "prepared": prepared,
        "instrument": access.bank.instrument,
    }
    if errors:  # rendered afresh, with its error summary
        return render_template("responses/section.html", **fixed, **derived, **slots, errors=errors)
    slots["flashes"] = flashed_notices()
    return fragment("responses/section.html", {**fixed, "errors": ()}, slots, derived)


@lru_cache(maxsize=4096)
def _section_urls(
    root: str,
    review_id: int,
    section_key: str,
    path: str,
    previous_key: str | None,
    next_key: str | None,
) -> dict[str, str]:
    """The links of an article page, built once per review and section: five url_for calls
    on every page added up. `root` is part of the key only (url_for reads it). Not to be
    changed by the caller."""
    urls = {
        "overview_url": url_for("responses.overview", review_id=review_id),
        "autosave_url": url_for("responses.autosave", review_id=review_id, section_key=section_key),
        "login_url": url_for("accounts.login", next=path),
        "draft_key": f"review-{review_id}-{section_key}",
    }
    for name, key in (("previous_url", previous_key), ("next_url", next_key)):
        if key is not None:
            urls[name] = url_for("responses.section", review_id=review_id, section_key=key)
    return urls


def _text(access: ReviewAccess, key: str) -> str:
    return str(localize(access.bank.questions_by_key[key].text))


@bp.post("/sections/<section_key>/autosave")
@csrf.exempt  # checked below, after authentication, so an ended session answers 401
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
    changes, problems = [], {}
    section_keys = {q.key for q in section.questions}
    for item in items:
        key = item.get("key") if isinstance(item, dict) else None
        if not isinstance(key, str) or key not in section_keys:
            return jsonify(error="bad_request", message=_("Unknown question.")), 400
        question = access.bank.questions_by_key[key]
        base = item.get("base_version", 0)
        if not isinstance(base, int) or isinstance(base, bool) or base < 0:
            problems[key] = _("The request was not understood.")
            continue
        try:
            value = type_of(question).from_json(question, item.get("value"))
        except InvalidValue as exc:
            problems[key] = str(exc)
            continue
        flag = item.get("is_confidential", False)
        if not isinstance(flag, bool):
            # A string "false" is true to bool(): only JSON true and false are taken.
            message = _("The confidentiality of question %(key)s must be true or false.", key=key)
            return jsonify(error="bad_request", message=message, key=key), 400
        changes.append(services.AnswerChange(key, value, flag, base))
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
    return render_template(
        "responses/check.html",
        access=access,
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
        flash(_("The answers cannot be submitted yet: see what is missing below."), "error")
        return redirect(url_for(".check", review_id=review_id))
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
        "publishing/answers.html",
        title=f"{document.state}: {document.title}",
        language=current_language(),
        document=document,
    )
    bank = access.bank
    stem = f"answers-{access.review.state_code}-{bank.instrument}-{bank.cluster}"
    filename = f"{stem}-v{bank.version}.pdf"
    return Response(
        content,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
