"""The focal point's choice: is the State named to its peers beside its good practices."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from questionnaire.forms import Form


class NamingForm(Form):
    named = RadioField(
        _l("Name your State beside its good practices for the other States"),
        choices=[
            SelectChoice("yes", _l("Yes, name my State")),
            SelectChoice("no", _l("No, do not name my State")),
        ],
        validators=[InputRequired(_l("Choose whether your State is named."))],
    )
