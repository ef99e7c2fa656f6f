"""The secretariat's form for a conference room paper."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from questionnaire.forms import Form
from questionnaire.publishing.symbols import is_crp
from questionnaire.validators import DateInRange, WholeNumberRange


def _crp_symbol(form: FlaskForm, field: StringField) -> None:
    if field.data and not is_crp(field.data.strip()):
        raise ValidationError(
            _l("Give a conference room paper symbol, for example CTOC/COP/WG.4/2025/CRP.2")
        )


class CrpForm(Form):
    symbol = StringField(
        _l("Symbol"), validators=[DataRequired(_l("Give the symbol")), Length(max=120), _crp_symbol]
    )
    languages = SelectMultipleField(
        _l("Languages"),
        choices=[SelectChoice("en", "English"), SelectChoice("fr", "Français")],
        validators=[DataRequired(_l("Choose at least one language"))],
        default=["en"],
    )
    issued_on = DateField(
        _l("Date of the document"), validators=[DataRequired(_l("Give the date")), DateInRange()]
    )
    session = StringField(
        _l("Session"),
        validators=[DataRequired(_l("Give the session, place and dates")), Length(max=300)],
        description=_l("For example: Vienna, 2 and 3 July 2025"),
    )
    agenda_item = IntegerField(
        _l("Agenda item"),
        validators=[DataRequired(_l("Give the agenda item")), WholeNumberRange(min=1, max=30)],
    )
    agenda_title = StringField(
        _l("Title of the agenda item"),
        validators=[DataRequired(_l("Give the title of the agenda item")), Length(max=300)],
    )
    title = StringField(
        _l("Title"), validators=[DataRequired(_l("Give the title")), Length(max=500)]
    )
    languages_line = StringField(
        _l("Language line (optional)"),
        validators=[Optional(), Length(max=120)],
        description=_l("Leave empty for “English only” or “French only”."),
    )
    reviews = SelectMultipleField(
        _l("Agreed lists of observations"),
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
