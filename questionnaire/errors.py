"""Errors shared by the features' services."""

from flask import has_request_context
from flask_babel import force_locale


class RuleViolation(ValueError):
    """A change that the rules of the review mechanism do not allow; the message says which.

    Services raise it with a lazy message (`lazy_gettext`), translated when it is shown: in the
    reader's language during a request, in English for the command line and the worker.
    """

    def __str__(self) -> str:
        if has_request_context():
            return super().__str__()
        # Without a request there is no reader to choose a language for, and the interface's
        # locale selector would look for one: the commands speak English.
        with force_locale("en"):
            return super().__str__()
