"""The secretariat's forms: a nomination, a change of role, an end, a replacement, an upload."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    DateField,
    EmailField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, Optional

from questionnaire.forms import Form
from questionnaire.i18n import DEFAULT_LANGUAGE, INTERFACE_LANGUAGES, LANGUAGE_NAMES
from questionnaire.nominations.scope import INSTRUMENTS
from questionnaire.validators import DateInRange

ROLE_CHOICES = [
    SelectChoice("focal_point", _l("Focal point")),
    SelectChoice("expert", _l("Governmental expert")),
    SelectChoice("observer", _l("Observer (read only)")),
]


def _reason_field() -> TextAreaField:
    return TextAreaField(
        _l("Reason"),
        validators=[DataRequired(_l("Give the reason for the change")), Length(max=2000)],
    )


class _PersonFields(Form):
    email = EmailField(
        _l("E-mail address"),
        validators=[
            DataRequired(_l("Enter the e-mail address")),
            Email(_l("Enter a valid e-mail address")),
            Length(max=254),
        ],
    )
    full_name = StringField(
        _l("Full name"),
        validators=[DataRequired(_l("Enter the name as nominated")), Length(max=200)],
    )
    locale = SelectField(
        _l("Preferred language"),
        choices=[SelectChoice(code, LANGUAGE_NAMES[code]) for code in INTERFACE_LANGUAGES],
        # The list follows the UN order, which starts with Arabic: English unless chosen.
        default=DEFAULT_LANGUAGE,
    )
    note_reference = StringField(
        _l("Reference of the note verbale"),
        validators=[DataRequired(_l("Give the reference of the note verbale")), Length(max=100)],
    )
    note_date = DateField(
        _l("Date of the note verbale"),
        validators=[DataRequired(_l("Give the date of the note verbale")), DateInRange()],
    )


class NominationForm(_PersonFields):
    """A nomination as the note verbale gives it."""

    nominating_state = SelectField(_l("Nominating State"), choices=[])
    role = RadioField(_l("Role"), choices=ROLE_CHOICES, default="expert")
    state_under_review = SelectField(_l("State under review"), choices=[])
    phase = SelectField(_l("Review phase"), choices=[], validators=[Optional()])
    review = HiddenField()
    origin = HiddenField()  # the review whose people page the form was opened from
    instruments = SelectMultipleField(
        _l("Instruments"),
        choices=[SelectChoice(i, i) for i in INSTRUMENTS],
        validators=[Optional()],
        description=_l(
            "Leave all unticked for every review of the State in the phase (for a reviewing "
            "State: every seat it holds). A focal point of the State under review covers all."
        ),
    )


class ReplaceFocalPointForm(_PersonFields):
    """The new focal point, from the State's new note verbale."""

    reason = _reason_field()


class ChangeRoleForm(Form):
    role = RadioField(_l("New role"), choices=ROLE_CHOICES)
    reason = _reason_field()


class EndForm(Form):
    reason = _reason_field()


class UploadForm(Form):
    file = FileField(_l("CSV or XLSX file"), validators=[FileRequired(_l("Choose a file"))])


class ConfirmImportForm(Form):
    rows = HiddenField(validators=[DataRequired()])
