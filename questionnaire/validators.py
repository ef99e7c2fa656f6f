"""WTForms validators shared by the features' forms."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import gettext
from wtforms import Field
from wtforms.validators import NumberRange, ValidationError

from questionnaire.dates import un_date

#: The largest value of an INTEGER column (PostgreSQL), e.g. a version number.
MAX_INTEGER = 2**31 - 1


class WholeNumberRange(NumberRange):
    """NumberRange (both bounds given) for a whole number of any length.

    WTForms' own compares through float(), which raises OverflowError for a posted number of
    310 digits or more: the request would fail with a 500 instead of a message.
    """

    def __call__(self, form: Any, field: Field) -> None:
        data = field.data
        if not isinstance(data, int):
            super().__call__(form, field)
            return
        if self.min <= data <= self.max:
            return
        message = self.message or field.gettext("Number must be between %(min)s and %(max)s.")
        raise ValidationError(message % {"min": self.min, "max": self.max})


#: Dates the application takes: the review mechanism's documents and phases fall within
#: these, and date arithmetic (deadlines months later) stays far from the calendar's end.
FIRST_DATE = date(2000, 1, 1)
LAST_DATE = date(2099, 12, 31)


class DateInRange:
    """A date between FIRST_DATE and LAST_DATE: 9999-12-31 is a valid date to WTForms, but a
    deadline six months after it is not, and would fail with a 500 instead of a message."""

    def __call__(self, form: Any, field: Field) -> None:
        value = field.data
        if value is None or FIRST_DATE <= value <= LAST_DATE:
            return
        raise ValidationError(
            gettext(
                "Give a date between %(first)s and %(last)s.",
                first=un_date(FIRST_DATE),
                last=un_date(LAST_DATE),
            )
        )


def parse_id(text: str | None) -> int | None:
    """A database id typed or posted as text, or None for anything that cannot be one: ASCII
    digits only ("²" is a digit to str.isdigit() and int() refuses it) and no larger than
    the INTEGER columns ids are stored in (PostgreSQL raises on a larger one)."""
    if not text or not (text.isascii() and text.isdigit()) or int(text) > MAX_INTEGER:
        return None
    return int(text)
