"""The article page form, built from the bank section it shows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import HiddenInput

from questionnaire.banks.schema import Section
from questionnaire.forms import Form
from questionnaire.responses.models import Answer
from questionnaire.responses.queries import StoredAnswer
from questionnaire.responses.question_types import type_of

_FORM_CLASSES: dict[tuple[int, str], type[FlaskForm]] = {}


def version_field(key: str) -> str:
    return f"version__{key}"


def confidential_field(key: str) -> str:
    return f"confidential__{key}"


def section_form_class(bank_version_id: int, section: Section) -> type[FlaskForm]:
    """A form class with, per question: its answer field, its base version, its flag."""
    cache_key = (bank_version_id, section.key)
    form_class = _FORM_CLASSES.get(cache_key)
    if form_class is None:
        attributes: dict[str, Any] = {}
        for question in section.questions:
            attributes[question.key] = type_of(question).form_field(question)
            # Explicit empty labels: the macros write the question text themselves, and a
            # default label would make WTForms load its translation catalog on every request.
            attributes[version_field(question.key)] = IntegerField(
                label="", widget=HiddenInput(), validators=[Optional()], default=0
            )
            attributes[confidential_field(question.key)] = BooleanField(label="")
        form_class = type(f"SectionForm_{bank_version_id}_{section.key}", (Form,), attributes)
        _FORM_CLASSES[cache_key] = form_class
    return form_class


@dataclass(frozen=True)
class FieldState:
    """What a question's fields show: the value as the form holds it, the version the next
    save is based on, the confidentiality flag, and the errors of the last post."""

    data: Any
    version: int
    confidential: bool
    errors: tuple[str, ...] = ()


def states_from_answers(
    section: Section, answers: Mapping[str, Answer | StoredAnswer]
) -> dict[str, FieldState]:
    """The fields as stored: what a GET shows, without building a form."""
    states = {}
    for question in section.questions:
        answer = answers.get(question.key)
        data = type_of(question).to_form(answer.value if answer else None)
        states[question.key] = FieldState(
            data="" if data is None else data,
            version=answer.version if answer else 0,
            confidential=bool(answer and answer.is_confidential),
        )
    return states


def states_from_form(section: Section, form: FlaskForm) -> dict[str, FieldState]:
    """The fields as posted, with their errors: what the page shows again after a post."""
    states = {}
    for question in section.questions:
        field = form[question.key]
        data = field.data
        if question.type == "multiple_choice":
            data = data or []
        states[question.key] = FieldState(
            data="" if data is None else data,
            version=form[version_field(question.key)].data or 0,
            confidential=bool(form[confidential_field(question.key)].data),
            errors=tuple(str(error) for error in field.errors),
        )
    return states


class ReopenForm(Form):
    reason = TextAreaField(
        _l("Reason for reopening"),
        validators=[DataRequired(_l("Give the reason for reopening")), Length(max=2000)],
    )


class SubmitForm(Form):
    """The focal point's submission; no fields beyond CSRF."""
