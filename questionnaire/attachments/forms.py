"""The form that attaches a reply to an earlier questionnaire."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import StringField
from wtforms.validators import Length

from questionnaire.forms import Form


class AttachmentForm(Form):
    file = FileField(
        _l("File (PDF, Excel, Word or OpenDocument, at most 3 MB)"),
        validators=[FileRequired(_l("Choose a file"))],
    )
    description = StringField(
        _l("What it is (the questionnaire and the year of the reply)"),
        validators=[Length(max=300)],
    )
