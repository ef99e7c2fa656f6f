"""The secretariat's forms: phases, draws, replacements."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from questionnaire.forms import Form
from questionnaire.validators import DateInRange, WholeNumberRange


class PhaseForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(_l("Name the phase")), Length(max=120)])
    cluster = SelectField(_l("Cluster"), choices=[])
    started_on = DateField(
        _l("Start date"), validators=[DataRequired(_l("Give the start date")), DateInRange()]
    )
    max_reviews_per_state = IntegerField(
        _l("Most reviews one State conducts in the phase"),
        validators=[DataRequired(), WholeNumberRange(min=1, max=20)],
        default=3,
    )
    states = SelectMultipleField(
        _l("States under review"),
        choices=[],
        validators=[DataRequired(_l("Choose the States under review"))],
    )


class DrawForm(Form):
    seed = StringField(
        _l("Seed (optional)"),
        validators=[Optional(), Length(max=64)],
        description=_l(
            "Leave empty for a random seed. The seed is stored so the draw can be reproduced."
        ),
    )


class ReplaceForm(Form):
    reason = TextAreaField(
        _l("Reason"),
        validators=[DataRequired(_l("Give the reason for the replacement")), Length(max=2000)],
    )


class DashboardFilterForm(Form):
    class Meta:
        csrf = False

    phase = SelectField(_l("Group"), choices=[], validators=[Optional()])
    instrument = SelectField(_l("Instrument"), choices=[], validators=[Optional()])
    region = SelectField(_l("Region"), choices=[], validators=[Optional()])
    status = SelectField(_l("Status"), choices=[], validators=[Optional()])
