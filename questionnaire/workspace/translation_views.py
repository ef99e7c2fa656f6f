"""The secretariat's pages for the languages of a list of observations: the language its
observations and summary are written in (corrected while it is drafted), and its translations
into the other official languages, each shown as missing, up to date or out of date."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from questionnaire import db
from questionnaire.accounts.access import secretariat_required
from questionnaire.banks.models import BankVersion
from questionnaire.banks.schema import Bank, Section
from questionnaire.banks.services import bank_of
from questionnaire.db import id_of
from questionnaire.errors import RuleViolation
from questionnaire.forms import Form
from questionnaire.i18n import LANGUAGE_NAMES, RTL_LANGUAGES, current_language
from questionnaire.reference.models import State
from questionnaire.reviews.models import Review
from questionnaire.wording import language_name
from questionnaire.workspace import translation_records
from questionnaire.workspace.forms import (
    CATEGORY_LABELS,
    TRANSLATION_STATUS_LABELS,
    OriginalLanguagesForm,
)
from questionnaire.workspace.languages import OFFICIAL_LANGUAGES
from questionnaire.workspace.models import ListOfObservations
from questionnaire.workspace.services import find_list
from questionnaire.workspace.translation_records import TranslatedSummary, TranslatedText
from questionnaire.workspace.translations import (
    ListInLanguage,
    ObservationItem,
    list_in_language,
)

bp = Blueprint("translations", __name__, url_prefix="/reviews/<int:review_id>/workspace")


@dataclass(frozen=True)
class TranslationAccess:
    """A review's list of observations as the secretariat translates it."""

    review: Review
    list: ListOfObservations
    bank: Bank
    state: State

    def in_language(self, language: str) -> ListInLanguage:
        return list_in_language(db.session(), self.review, self.list, language)


def load_translations(review_id: int) -> TranslationAccess:
    """The review's list for the secretariat (the decorator keeps anyone else out); 404 for a
    review that does not exist."""
    session = db.session()
    review = session.get(Review, review_id)
    if review is None:
        abort(404)
    version = session.get(BankVersion, review.bank_version_id)
    state = session.get(State, review.state_code)
    assert version is not None and state is not None
    return TranslationAccess(review, find_list(session, review), bank_of(version), state)


def _names() -> dict[str, str]:
    """The official languages' names in the reader's language."""
    reader = current_language()
    return {code: language_name(code, reader) for code in OFFICIAL_LANGUAGES}


@bp.route("/translations", methods=["GET", "POST"])
@secretariat_required
def index(review_id: int) -> ResponseReturnValue:
    """The list's original languages and, per official language, the state of its translation."""
    access = load_translations(review_id)
    lst = access.list
    form = OriginalLanguagesForm(
        observations=lst.original_language or "en", summary=lst.summary_language or "en"
    )
    if request.method == "POST":
        if lst.status != "drafting":
            abort(403)
        if form.validate_on_submit():
            try:
                translation_records.set_original_languages(
                    db.session(),
                    access.review,
                    current_user,
                    observations=form.observations.data or "",
                    summary=form.summary.data or "",
                )
            except RuleViolation as exc:
                flash(str(exc), "error")
            else:
                flash(_("The languages of the list have been saved."), "success")
            return redirect(url_for(".index", review_id=review_id))
    return render_template(
        "workspace/translations.html",
        access=access,
        form=form,
        languages=[access.in_language(code) for code in OFFICIAL_LANGUAGES],
        names=_names(),
        own_names=LANGUAGE_NAMES,
        status_labels=TRANSLATION_STATUS_LABELS,
    )


@bp.route("/translations/<language>", methods=["GET", "POST"])
@secretariat_required
def translate(review_id: int, language: str) -> ResponseReturnValue:
    """The translation of each observation and of the summary into `language`."""
    access = load_translations(review_id)
    if language not in OFFICIAL_LANGUAGES:
        abort(404)
    texts = access.in_language(language)
    if texts.status == "original":
        flash(_("The list is written in this language: it needs no translation."), "info")
        return redirect(url_for(".index", review_id=review_id))
    form = Form()
    if request.method == "POST" and form.validate_on_submit():
        try:
            changed = translation_records.record_translations(
                db.session(),
                access.review,
                current_user,
                language=language,
                observations=_sent_observations(texts),
                summary=_sent_summary(texts),
            )
        except RuleViolation as exc:
            flash(str(exc), "error")
        else:
            flash(
                ngettext(
                    "%(num)d translation has been saved.",
                    "%(num)d translations have been saved.",
                    changed,
                ),
                "success",
            )
            return redirect(url_for(".translate", review_id=review_id, language=language))
    return render_template(
        "workspace/translate.html",
        access=access,
        form=form,
        texts=texts,
        language=language,
        direction="rtl" if language in RTL_LANGUAGES else "ltr",
        names=_names(),
        status_labels=TRANSLATION_STATUS_LABELS,
        category_labels=CATEGORY_LABELS,
        sections=_by_section(access, texts),
    )


def _by_section(
    access: TranslationAccess, texts: ListInLanguage
) -> list[tuple[Section, list[ObservationItem]]]:
    """The observations grouped by article, in the questionnaire's order."""
    return [
        (section, items)
        for section in access.bank.sections
        for items in [[i for i in texts.observations if i.observation.section_key == section.key]]
        if items
    ]


def _sent_observations(texts: ListInLanguage) -> dict[int, TranslatedText]:
    """What the form sent for each observation it offered (the ones still to translate)."""
    sent: dict[int, TranslatedText] = {}
    for item in texts.observations:
        key = f"o-{item.observation.id}"
        if item.status in ("original", "confidential") or f"{key}-text" not in request.form:
            continue
        sent[id_of(item.observation)] = TranslatedText(
            text=request.form.get(f"{key}-text", ""),
            source_sha256=request.form.get(f"{key}-source", ""),
            confirm=request.form.get(f"{key}-confirm") == "y",
        )
    return sent


def _sent_summary(texts: ListInLanguage) -> TranslatedSummary | None:
    summary = texts.summary
    if summary.status in ("original", "confidential") or "summary-source" not in request.form:
        return None
    return TranslatedSummary(
        paragraphs=[
            request.form.get(f"summary-{index}", "") for index in range(len(summary.paragraphs))
        ],
        source_sha256=request.form.get("summary-source", ""),
        confirm=request.form.get("summary-confirm") == "y",
    )
