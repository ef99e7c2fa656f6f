"""The secretariat's form for a conference room paper."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from questionnaire.documents.symbols import is_crp
from questionnaire.forms import Form
from questionnaire.i18n import LANGUAGE_NAMES
from questionnaire.meetings.spec import ITEM_REFERENCE
from questionnaire.validators import DateInRange
from questionnaire.workspace.languages import OFFICIAL_LANGUAGES


def _crp_symbol(form: FlaskForm, field: StringField) -> None:
    if field.data and not is_crp(field.data.strip()):
        raise ValidationError(
            _l("Give a conference room paper symbol, for example CTOC/COP/WG.4/2025/CRP.2")
        )


def _item(form: FlaskForm, field: StringField) -> None:
    if field.data and not ITEM_REFERENCE.fullmatch(field.data.strip()):
        raise ValidationError(_l("Give an agenda item such as 2 or 3 (b)"))


class CrpForm(Form):
    meeting = SelectField(
        _l("Meeting"), choices=[], validators=[DataRequired(_l("Choose the meeting"))]
    )
    item = StringField(
        _l("Agenda item"),
        validators=[DataRequired(_l("Give the agenda item")), Length(max=8), _item],
        description=_l("As the provisional agenda numbers it, for example 3 (b)."),
    )
    symbol = StringField(
        _l("Symbol (optional)"),
        validators=[Optional(), Length(max=120), _crp_symbol],
        description=_l(
            "A conference room paper of the meeting's register; leave empty to allocate the "
            "next CRP number of the meeting's series."
        ),
    )
    job_number = StringField(
        _l("Job number"),
        validators=[
            Optional(),
            Regexp(r"^[A-Z]\.\d{2}-\d{5}$", message=_l("Give a job number such as V.27-01234")),
            Length(max=12),
        ],
        description=_l(
            "Required when the register has none for the paper, for example V.27-01234."
        ),
    )
    issued_on = DateField(
        _l("Date of the document"), validators=[DataRequired(_l("Give the date")), DateInRange()]
    )
    cutoff = DateField(
        _l("Cut-off date"),
        validators=[DataRequired(_l("Give the cut-off date")), DateInRange()],
        description=_l(
            "Only lists made final on or before this day are included; it falls before the meeting."
        ),
    )
    languages = SelectMultipleField(
        _l("Languages"),
        choices=[SelectChoice(code, LANGUAGE_NAMES[code]) for code in OFFICIAL_LANGUAGES],
        validators=[DataRequired(_l("Choose at least one language"))],
        default=["en"],
        description=_l(
            "A version in a language other than the one a list is written in takes the list's "
            "translation into that language, which must be recorded and up to date."
        ),
    )
    reviews = SelectMultipleField(
        _l("Final lists of observations"),
        choices=[],
        validators=[DataRequired(_l("Choose at least one list"))],
    )
    withheld_note = BooleanField(_l("Say where elements were withheld at the request of the State"))


class WithdrawForm(Form):
    reason = TextAreaField(
        _l("Why is this revision withdrawn?"),
        validators=[DataRequired(_l("Say why the revision is withdrawn")), Length(max=2000)],
        description=_l("Kept in the record of the documents and in the audit log."),
    )
