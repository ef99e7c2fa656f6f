"""The question types: how each is parsed, validated, rendered and summarised.

One class per type, in a small explicit registry. WTForms parses and validates page posts;
`from_json` checks autosave values; the template macro named by `macro` writes the markup.
"""

from __future__ import annotations

from typing import Any, ClassVar
from urllib.parse import urlsplit

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import Field, RadioField, SelectMultipleField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional, ValidationError

from questionnaire.banks.schema import Question
from questionnaire.i18n import localize

MAX_TEXT = 20_000
MAX_LINKS = 50
MAX_LINK_LENGTH = 2_000


class InvalidValue(ValueError):
    """A submitted value that the question cannot take; the message is for the user."""


def _normalize_text(raw: str) -> str | None:
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    return text if text.strip() else None


class QuestionType:
    """Base of the question types."""

    name: ClassVar[str]
    macro: ClassVar[str]

    def form_field(self, question: Question) -> Field:
        raise NotImplementedError

    def from_form(self, data: Any) -> Any:
        """The stored value for a field's parsed data (None when unanswered)."""
        return data or None

    def to_form(self, value: Any) -> Any:
        return value

    def from_json(self, question: Question, raw: Any) -> Any:
        raise NotImplementedError

    def is_answered(self, value: Any) -> bool:
        return value not in (None, "", [])

    def selected(self, value: Any) -> set[str]:
        """Option keys chosen (for conditions); empty for non-choice types."""
        return set()

    def summary(self, question: Question, value: Any) -> str:
        return "" if value is None else str(value)

    def salvage(self, raw: Any) -> Any:
        """The part of an invalid value that can be kept (None: nothing); see Links."""
        return None


def _label(question: Question, key: str) -> str:
    for option in question.options:
        if option.key == key:
            return str(localize(option.label))
    return key


class SingleChoice(QuestionType):
    name = "single_choice"
    macro = "radios"

    def form_field(self, question: Question) -> Field:
        return RadioField(
            label="",
            choices=[SelectChoice(key, key) for key in question.option_keys()],
            validators=[Optional()],
            validate_choice=True,
        )

    def from_json(self, question: Question, raw: Any) -> Any:
        if raw in (None, ""):
            return None
        if not isinstance(raw, str) or raw not in question.option_keys():
            raise InvalidValue(_("Choose one of the options"))
        return raw

    def selected(self, value: Any) -> set[str]:
        return {value} if isinstance(value, str) else set()

    def summary(self, question: Question, value: Any) -> str:
        return _label(question, value) if value else ""


class YesNoPartial(SingleChoice):
    name = "yes_no_partial"


class _CheckboxField(SelectMultipleField):
    def pre_validate(self, form: Any) -> None:
        # An empty selection is a valid draft; unknown keys are not.
        values = {choice.value for choice in self.choices}
        for value in self.data or []:
            if value not in values:
                raise ValidationError(_l("Choose from the options given"))


class MultipleChoice(QuestionType):
    name = "multiple_choice"
    macro = "checkboxes"

    def form_field(self, question: Question) -> Field:
        return _CheckboxField(
            label="", choices=[SelectChoice(key, key) for key in question.option_keys()]
        )

    def from_form(self, data: Any) -> Any:
        return list(data) if data else None

    def to_form(self, value: Any) -> Any:
        return value or []

    def from_json(self, question: Question, raw: Any) -> Any:
        if raw in (None, "", []):
            return None
        keys = question.option_keys()
        if not isinstance(raw, list) or not all(isinstance(k, str) and k in keys for k in raw):
            raise InvalidValue(_("Choose from the options given"))
        return [key for key in keys if key in raw]

    def selected(self, value: Any) -> set[str]:
        return set(value) if isinstance(value, list) else set()

    def summary(self, question: Question, value: Any) -> str:
        return "; ".join(_label(question, key) for key in value or [])


class Text(QuestionType):
    name = "text"
    macro = "textarea"

    def form_field(self, question: Question) -> Field:
        return TextAreaField(
            label="",
            validators=[
                Length(max=MAX_TEXT, message=_l("Keep the answer under %(max)d characters"))
            ],
        )

    def from_form(self, data: Any) -> Any:
        return _normalize_text(data or "")

    def from_json(self, question: Question, raw: Any) -> Any:
        if raw is None:
            return None
        if not isinstance(raw, str):
            raise InvalidValue(_("Enter text"))
        if len(raw) > MAX_TEXT:
            raise InvalidValue(_("Keep the answer under %(max)d characters", max=MAX_TEXT))
        return _normalize_text(raw)


def _link_lines(text: str) -> list[str]:
    """The lines of a links field, trimmed; an address starting with "www." gets https://."""
    lines = [line.strip() for line in text.replace("\r", "\n").split("\n") if line.strip()]
    return [f"https://{line}" if line.lower().startswith("www.") else line for line in lines]


def _is_link(line: str) -> bool:
    parts = urlsplit(line)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and len(line) <= MAX_LINK_LENGTH


def _not_a_link(line: str) -> InvalidValue:
    return InvalidValue(
        _(
            "“%(link)s” is not a web address: give one address per line, starting with https://",
            link=line[:80],
        )
    )


def _parse_links(text: str) -> list[str] | None:
    links = _link_lines(text)
    if len(links) > MAX_LINKS:
        raise InvalidValue(_("Give at most %(max)d links", max=MAX_LINKS))
    for link in links:
        if not _is_link(link):
            raise _not_a_link(link)
    return links or None


class _LinksField(TextAreaField):
    def pre_validate(self, form: Any) -> None:
        try:
            _parse_links(self.data or "")
        except InvalidValue as exc:
            raise ValidationError(str(exc)) from exc


class Links(QuestionType):
    name = "links"
    macro = "links"

    def form_field(self, question: Question) -> Field:
        return _LinksField(label="")

    def from_form(self, data: Any) -> Any:
        return _parse_links(data or "")

    def to_form(self, value: Any) -> Any:
        return "\n".join(value or [])

    def from_json(self, question: Question, raw: Any) -> Any:
        if raw is None:
            return None
        if isinstance(raw, list) and all(isinstance(item, str) for item in raw):
            raw = "\n".join(raw)
        if not isinstance(raw, str) or len(raw) > MAX_LINKS * MAX_LINK_LENGTH:
            raise InvalidValue(_("Give one web address per line"))
        return _parse_links(raw)

    def summary(self, question: Question, value: Any) -> str:
        return "\n".join(value or [])

    def salvage(self, raw: Any) -> Any:
        """The valid addresses of a field where some lines are not: they are saved, and the
        page marks the others (a bad line must not lose the whole field)."""
        if isinstance(raw, list) and all(isinstance(item, str) for item in raw):
            raw = "\n".join(raw)
        if not isinstance(raw, str) or len(raw) > MAX_LINKS * MAX_LINK_LENGTH:
            return None
        return [line for line in _link_lines(raw) if _is_link(line)][:MAX_LINKS] or None


QUESTION_TYPES: dict[str, QuestionType] = {
    kind.name: kind for kind in (YesNoPartial(), SingleChoice(), MultipleChoice(), Text(), Links())
}


def type_of(question: Question) -> QuestionType:
    return QUESTION_TYPES[question.type]
