"""The article page around its questions: its error summary, where carried-forward answers
come from, what a post does after saving (confirmations, marking the section complete), and
the page itself."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from questionnaire import db
from questionnaire.accounts.models import User
from questionnaire.accounts.services import users_by_id
from questionnaire.banks.models import BankVersion
from questionnaire.banks.schema import Bank, Section
from questionnaire.banks.services import bank_of
from questionnaire.dates import un_date
from questionnaire.db import id_of
from questionnaire.i18n import current_language, localize
from questionnaire.reference.provisions import provision_text
from questionnaire.responses import services
from questionnaire.responses.access import ReviewAccess
from questionnaire.responses.forms import FieldState
from questionnaire.responses.labels import question_label
from questionnaire.responses.prepared import (
    PreparedSection,
    carried_summary,
    prepared_section,
    question_blocks,
)
from questionnaire.responses.progress import visible_questions
from questionnaire.responses.sharing import submission_of
from questionnaire.reviews.models import Review

#: The action of the button that confirms every carried-forward answer left of a section.
CONFIRM_SECTION = "confirm-section"


def confirm_after_save(
    access: ReviewAccess,
    section: Section,
    user: User,
    action: str,
    conflicts: Mapping[str, Any],
) -> list[str] | None:
    """Confirm what the pressed button asks to confirm, once the page is saved: one answer
    ("confirm:KEY") or every carried-forward answer still shown in the section. Returns the
    keys it asked to confirm, None when the button confirms nothing."""
    if action.startswith("confirm:"):
        keys = [action.removeprefix("confirm:")]
    elif action == CONFIRM_SECTION:
        session = db.session()
        answers = services.stored_answers(session, id_of(access.review))
        values = {key: answer.value for key, answer in answers.items()}
        keys = [
            q.key
            for q in visible_questions(access.bank, section, values)
            if q.key in answers and answers[q.key].is_carried_forward
        ]
    else:
        return None
    keys = [key for key in keys if key not in conflicts]
    services.confirm_carried_forward(db.session(), access.review, user, keys)
    return keys


def saved_redirect(
    access: ReviewAccess, section: Section, action: str, confirmed: list[str] | None
) -> ResponseReturnValue:
    """Where a post that saved everything goes, with the message that says what it did."""
    review_id = id_of(access.review)
    here = url_for("responses.section", review_id=review_id, section_key=section.key)
    if action == "complete":
        flash(_("Section saved and marked complete."), "success")
        return redirect(url_for("responses.overview", review_id=review_id))
    if confirmed is not None and action.startswith("confirm:"):
        flash(_("The answer has been confirmed."), "success")
        return redirect(f"{here}#q-{confirmed[0]}" if confirmed else here)
    if confirmed is not None:
        message = (
            ngettext(
                "%(num)d carried-forward answer confirmed.",
                "%(num)d carried-forward answers confirmed.",
                len(confirmed),
            )
            if confirmed
            else _("No carried-forward answer was left to confirm in this section.")
        )
        flash(message, "success")
        return redirect(here)
    flash(_("Your answers have been saved."), "success")
    return redirect(here)


def page_errors(
    access: ReviewAccess,
    section: Section,
    fields: Mapping[str, FieldState],
    blocker: services.SubmissionBlocker | None,
) -> list[tuple[str, str]]:
    """The error summary: (id of the field to go to, message naming its question)."""
    bank = access.bank
    errors = [
        (
            f"q-{q.key}-input",
            _("%(question)s – %(error)s", question=question_label(bank, q), error=error),
        )
        for q in section.questions
        for error in fields[q.key].errors
    ]
    if blocker is not None:
        questions = bank.questions_by_key
        errors += [
            (
                f"q-{key}-input",
                _("Answer this question: %(text)s", text=question_label(bank, questions[key])),
            )
            for key in blocker.missing
        ]
        errors += _to_confirm_errors(bank, blocker.to_confirm)
    return errors


#: Up to this many carried-forward answers awaiting confirmation are listed one by one in the
#: error summary; more are one line leading to the button that confirms them all, so that the
#: summary does not fill a phone's screen with links.
CONFIRM_ERRORS_LISTED = 3


def _to_confirm_errors(bank: Bank, keys: tuple[str, ...]) -> list[tuple[str, str]]:
    """The error summary's lines for the carried-forward answers `keys` awaiting confirmation."""
    if len(keys) > CONFIRM_ERRORS_LISTED:
        text = ngettext(
            "%(num)d carried-forward answer awaits confirmation: confirm it, or change it.",
            "%(num)d carried-forward answers await confirmation: confirm them all at once, or "
            "change them one by one.",
            len(keys),
        )
        return [("carried-summary", text)]
    questions = bank.questions_by_key
    return [
        (
            f"q-{key}-confirm",
            _(
                "Confirm or change the carried-forward answer: %(text)s",
                text=question_label(bank, questions[key]),
            ),
        )
        for key in keys
    ]


def carried_sources(
    access: ReviewAccess, answers: Mapping[str, services.StoredAnswer], keys: list[str]
) -> dict[str, str]:
    """Where each carried-forward answer of `keys` comes from, in words: the questionnaire
    and the day the State submitted it (answers carried before the review was recorded with
    them come from the latest earlier submission of the same questionnaire)."""
    session = db.session()
    texts: dict[int | None, str] = {}
    for review_id in {answers[key].carried_from_review_id for key in keys}:
        earlier = (
            services.earlier_submission(session, access.review, access.bank)
            if review_id is None
            else submission_of(session, review_id)
        )
        texts[review_id] = _("your earlier answers") if earlier is None else _source(*earlier)
    return {key: texts[answers[key].carried_from_review_id] for key in keys}


def _source(review: Review, version: BankVersion) -> str:
    return _(
        "your answers to “%(questionnaire)s” (version %(version)d), submitted on %(date)s",
        questionnaire=str(localize(bank_of(version).title)),
        version=version.version,
        date=un_date(review.submitted_at),
    )


def render_section(
    access: ReviewAccess,
    section: Section,
    fields: dict[str, FieldState],
    answers: Mapping[str, services.StoredAnswer],
    values: dict[str, Any],
    conflicts: dict[str, services.Conflict],
    blocker: services.SubmissionBlocker | None = None,
) -> str:
    """The article page, with its error summary when a post left errors."""
    people = users_by_id(db.session(), {c.theirs_by_id for c in conflicts.values()})
    shown = {q.key for q in visible_questions(access.bank, section, values)}
    prepared = prepared_section(access.version, access.bank, section)
    carried = [k for k in shown if k in answers and answers[k].is_carried_forward]
    sources = carried_sources(access, answers, carried) if carried else {}
    blocks = question_blocks(
        prepared, fields, answers, shown, access.can_edit, conflicts, people, sources
    )
    if carried and access.can_edit:
        blocks.insert(0, carried_summary(len(carried)))
    instrument = access.bank.instrument
    return render_template(
        "responses/section.html",
        section=section,
        prepared=prepared,
        instrument=instrument,
        editable=access.can_edit,
        status=access.review.status,
        show_keys=access.shows_keys,
        provision=provision_text(instrument, section.article, current_language())
        if section.article
        else None,
        errors=page_errors(access, section, fields, blocker),
        csrf_token_value=generate_csrf(),
        questions=Markup("\n").join(blocks),
        **section_urls(id_of(access.review), section.key, prepared),
    )


def section_urls(review_id: int, section_key: str, prepared: PreparedSection) -> dict[str, str]:
    """The links of an article page, and the key under which the browser keeps unsaved text."""
    urls = {
        "overview_url": url_for("responses.overview", review_id=review_id),
        "autosave_url": url_for("responses.autosave", review_id=review_id, section_key=section_key),
        "login_url": url_for("accounts.login", next=request.path),
        "draft_key": f"review-{review_id}-{section_key}",
    }
    for name, neighbour in (("previous_url", prepared.previous), ("next_url", prepared.next)):
        if neighbour is not None:
            urls[name] = url_for("responses.section", review_id=review_id, section_key=neighbour[0])
    return urls
