"""Names available in every template: the site header, formatting, small lookups, and each
feature's labels (kept in the feature's `labels.py`) as functions."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Flask, get_flashed_messages, render_template, url_for
from flask_wtf import FlaskForm
from markupsafe import Markup

from questionnaire.banks.titles import headings_on_file, section_title
from questionnaire.banks.translations import translation_state
from questionnaire.dates import un_date, un_datetime
from questionnaire.documents.labels import PUBLICATION_STATUS_LABELS
from questionnaire.i18n import current_language, localize
from questionnaire.reference.instruments import article_heading
from questionnaire.reference.names import state_name
from questionnaire.reference.provisions import AUTHENTIC_TEXTS_URL
from questionnaire.responses.labels import (
    QUESTION_TYPE_LABELS,
    REVISION_KIND_LABELS,
    SECTION_STATUS_LABELS,
)
from questionnaire.responses.question_types import type_of
from questionnaire.reviews.labels import (
    OVERDUE_LABELS,
    REGION_LABELS,
    REVIEW_STATUS_LABELS,
    ROLE_LABELS,
    SEAT_LABELS,
)
from questionnaire.reviews.models import Review
from questionnaire.workspace.forms import CATEGORY_LABELS
from questionnaire.workspace.labels import (
    LIST_STATUS_LABELS,
    MESSAGE_KIND_LABELS,
    TRANSITION_LABELS,
)
from questionnaire.workspace.models import LIST_FLOW


def form_errors(form: FlaskForm) -> list[tuple[str, str]]:
    """(field id, message) pairs for an error summary, in the order of the form."""
    return [(field.id, str(error)) for field in form for error in field.errors]


def flashed_notices() -> Markup:
    """The messages flashed for this request, as notices (read once: reading removes them)."""
    messages = get_flashed_messages(with_categories=True)
    if not messages:
        return Markup("")
    return Markup(render_template("layout/flashes.html", messages=messages))


def review_url(review: Review) -> str:
    return url_for("responses.overview", review_id=review.id)


def init_app(app: Flask) -> None:
    helpers: dict[str, Any] = {
        "form_errors": form_errors,
        "section_title": section_title,
        "headings_on_file": lambda instrument: headings_on_file(instrument, current_language()),
        "state_name": lambda state: state_name(state, current_language()),
        "article_heading": lambda instrument, number: article_heading(
            instrument, number, current_language()
        ),
        "authentic_texts_url": AUTHENTIC_TEXTS_URL,
        "review_url": review_url,
        "flashed_notices": flashed_notices,
        "role_label": lambda role: ROLE_LABELS.get(role, role),
        "review_status_label": lambda status: REVIEW_STATUS_LABELS.get(status, status),
        "question_type_label": lambda kind: QUESTION_TYPE_LABELS.get(kind, kind),
        "format_date": un_date,
        "localize": localize,
        "translation_state": lambda item, texts: translation_state(item, texts, current_language()),
        "format_datetime": un_datetime,
        "days_left": lambda due: (due - date.today()).days,
        "section_status_label": lambda status: SECTION_STATUS_LABELS.get(status, status),
        "revision_kind_label": lambda kind: REVISION_KIND_LABELS.get(kind, kind),
        "question_type": type_of,
        "list_status_label": lambda status: LIST_STATUS_LABELS.get(status, status),
        "list_targets": lambda status: LIST_FLOW.get(status, ()),
        "transition_label": lambda a, b: TRANSITION_LABELS.get((a, b), b),
        "region_label": lambda group: REGION_LABELS.get(group, group),
        "overdue_label": lambda item: OVERDUE_LABELS.get(item, item),
        "publication_status_label": lambda status: PUBLICATION_STATUS_LABELS.get(status, status),
        "seat_label": lambda seat: SEAT_LABELS.get(seat, seat),
        "category_label": lambda category: CATEGORY_LABELS.get(category, category),
        "message_kind_label": lambda kind: MESSAGE_KIND_LABELS.get(kind, kind),
        "answer_summary": lambda question, value: type_of(question).summary(question, value),
    }
    app.jinja_env.globals.update(helpers)
