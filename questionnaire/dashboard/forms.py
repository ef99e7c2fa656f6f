"""The dashboard's filters."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from questionnaire.forms import Form


class DashboardFilterForm(Form):
    class Meta:
        csrf = False

    q = StringField(_l("State under review"), validators=[Optional(), Length(max=100)])
    phase = SelectField(_l("Phase"), choices=[], validators=[Optional()])
    instrument = SelectField(_l("Instrument"), choices=[], validators=[Optional()])
    region = SelectField(_l("Region"), choices=[], validators=[Optional()])
    status = SelectField(_l("Status"), choices=[], validators=[Optional()])
    sort = SelectField(
        _l("Sort by"),
        choices=[
            SelectChoice("state", _l("State under review")),
            SelectChoice("instrument", _l("Instrument")),
            SelectChoice("status", _l("Status")),
            SelectChoice("due", _l("Answers due")),
        ],
        validators=[Optional()],
    )
