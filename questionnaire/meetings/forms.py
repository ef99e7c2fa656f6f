"""The secretariat's form to load a meeting file."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired

from questionnaire.forms import Form


class MeetingFileForm(Form):
    file = FileField(
        _l("Meeting file (YAML)"), validators=[FileRequired(_l("Choose a meeting file"))]
    )
