"""Forms of the review workspace."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length
from wtforms.widgets import HiddenInput

from questionnaire.forms import Form
from questionnaire.i18n import LANGUAGE_NAMES
from questionnaire.validators import MAX_INTEGER, WholeNumberRange
from questionnaire.workspace.languages import OFFICIAL_LANGUAGES
from questionnaire.workspace.models import CATEGORIES

CATEGORY_LABELS = {
    "good_practice": _l("Success or good practice"),
    "gap": _l("Gap or challenge"),
    "suggestion": _l("Suggestion"),
    "assistance_need": _l("Technical assistance need"),
}

#: The status of a translation, as the translation pages name it.
TRANSLATION_STATUS_LABELS = {
    "original": _l("Original"),
    "current": _l("Up to date"),
    "stale": _l("Out of date"),
    "missing": _l("Not translated"),
    "confidential": _l("Confidential: not translated"),
}


class ObservationForm(Form):
    category = RadioField(
        _l("Category"),
        choices=[SelectChoice(key, CATEGORY_LABELS[key]) for key in CATEGORIES],
        validators=[InputRequired(_l("Choose a category"))],
    )
    text = TextAreaField(
        _l("Observation"),
        validators=[DataRequired(_l("Write the observation")), Length(max=20_000)],
    )
    cited_keys = SelectMultipleField(_l("Answers it relies on"), choices=[])
    version = IntegerField(
        widget=HiddenInput(), default=0, validators=[WholeNumberRange(min=0, max=MAX_INTEGER)]
    )


class MessageForm(Form):
    body = TextAreaField(
        _l("Message"), validators=[DataRequired(_l("Write the message")), Length(max=20_000)]
    )
    kind = HiddenField()
    reply_to = HiddenField()  # a reply: the id of the request it answers


class SummaryForm(Form):
    summary = TextAreaField(_l("Summary"), validators=[Length(max=50_000)])
    version = IntegerField(
        widget=HiddenInput(), default=0, validators=[WholeNumberRange(min=0, max=MAX_INTEGER)]
    )


class TransitionForm(Form):
    to_status = HiddenField(validators=[DataRequired()])


class ConfidentialForm(Form):
    is_confidential = HiddenField()


class DesignateForm(Form):
    """The expert a reviewing State's focal point lets agree to the list for the State
    (choices: the State's reviewers in the review, set by the view)."""

    expert = SelectField(validators=[DataRequired()])


class OriginalLanguagesForm(Form):
    """The languages a list's observations and summary are written in (each in its own name)."""

    observations = SelectField(
        _l("Language the observations are written in"),
        choices=[SelectChoice(code, LANGUAGE_NAMES[code]) for code in OFFICIAL_LANGUAGES],
        validators=[DataRequired()],
    )
    summary = SelectField(
        _l("Language the summary is written in"),
        choices=[SelectChoice(code, LANGUAGE_NAMES[code]) for code in OFFICIAL_LANGUAGES],
        validators=[DataRequired()],
    )
