"""WTForms validators shared by the features' forms."""

from __future__ import annotations

from typing import Any

from wtforms import Field
from wtforms.validators import NumberRange, ValidationError

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
        if self.min <= data <= self.max:  # type: ignore[operator]
            return
        message = self.message or field.gettext("Number must be between %(min)s and %(max)s.")
        raise ValidationError(message % {"min": self.min, "max": self.max})
