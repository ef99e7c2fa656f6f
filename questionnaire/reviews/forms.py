"""The secretariat's forms: phases, draws, replacements."""

from __future__ import annotations

from dataclasses import asdict

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from questionnaire.forms import Form
from questionnaire.reviews.deadlines import Deadlines
from questionnaire.reviews.draw import NO_GROUP_ANY
from questionnaire.reviews.labels import NO_GROUP_RULE_LABELS
from questionnaire.validators import DateInRange, WholeNumberRange


def _duration(label: str | LazyString, most: int) -> IntegerField:
    """A duration of the phase's deadlines: a whole number from 1 to `most`, or empty."""
    return IntegerField(label, validators=[Optional(), WholeNumberRange(min=1, max=most)])


class DeadlineFields:
    """The durations of a phase's deadlines, filled with the application's (`with_durations`);
    one left empty is the application's."""

    focal_point_days = _duration(_l("Focal points named within (days of the start)"), 365)
    experts_days = _duration(_l("Governmental experts named within (days of the start)"), 365)
    answers_months = _duration(_l("Answers submitted within (months of the start)"), 36)
    feedback_months = _duration(
        _l("Written feedback sent within (months of the submission of the answers)"), 36
    )

    def durations(self) -> Deadlines:
        """The durations, once validated."""
        default = Deadlines.configured()
        return Deadlines(
            focal_point_days=self.focal_point_days.data or default.focal_point_days,
            experts_days=self.experts_days.data or default.experts_days,
            answers_months=self.answers_months.data or default.answers_months,
            feedback_months=self.feedback_months.data or default.feedback_months,
        )


def with_durations(deadlines: Deadlines) -> dict[str, int]:
    """Keyword arguments that fill a form's deadline fields with `deadlines`."""
    return asdict(deadlines)


class DeadlinesForm(Form, DeadlineFields):
    """The durations of an open phase's deadlines, changed on the phase's page."""


class PhaseForm(Form, DeadlineFields):
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
    no_group_rule = SelectField(
        _l("Entities in no regional group"),
        choices=[SelectChoice(rule, label) for rule, label in NO_GROUP_RULE_LABELS.items()],
        default=NO_GROUP_ANY,
        description=_l(
            "How the seats of the European Union, the Cook Islands, Niue and any other entity "
            "outside the five regional groups are drawn in this phase."
        ),
    )


class DrawForm(Form):
    """The draw itself takes nothing but its CSRF token: the server draws the seed."""


class DrawPreviewForm(Form):
    """A preview stores nothing, so it may take a seed (to show what a seed would draw)."""

    class Meta:
        csrf = False

    seed = StringField(
        _l("Seed of the preview (optional)"),
        validators=[Optional(), Length(max=64)],
        description=_l(
            "Leave empty for a random seed. The real draw never takes a seed: the server "
            "draws its own."
        ),
    )


class GroupDrawForm(Form):
    sizes = StringField(
        _l("Sizes of the groups"),
        validators=[DataRequired(_l("Give the sizes of the groups")), Length(max=200)],
        description=_l("Whole numbers separated by commas, in the order the groups start."),
    )
    first_year = IntegerField(
        _l("Year the first group starts"),
        validators=[
            DataRequired(_l("Give the year the first group starts")),
            WholeNumberRange(min=2000, max=2100),
        ],
    )

    def validate_sizes(self, field: StringField) -> None:
        """Whole numbers from 1 to 999, separated by commas."""
        parts = [part.strip() for part in (field.data or "").split(",")]
        if not all(part.isascii() and part.isdigit() and 0 < int(part) < 1000 for part in parts):
            raise ValidationError(
                _l("Give the sizes as whole numbers from 1 to 999 separated by commas.")
            )

    def size_list(self) -> list[int]:
        """The sizes, once validated."""
        return [int(part) for part in (self.sizes.data or "").split(",")]


class ReplaceForm(Form):
    reason = TextAreaField(
        _l("Reason"),
        validators=[DataRequired(_l("Give the reason for the replacement")), Length(max=2000)],
    )
