"""The languages lists of observations and summaries are written and translated in: the six
official languages of the United Nations, in the order of their English names."""

from __future__ import annotations

from questionnaire.accounts.models import User
from questionnaire.reference.names import UN_LANGUAGES

#: Arabic, Chinese, English, French, Russian, Spanish (the one list of `reference.names`).
OFFICIAL_LANGUAGES = UN_LANGUAGES


def writer_language(user: User) -> str:
    """The language a text is taken to be written in: its writer's interface language."""
    return user.locale if user.locale in OFFICIAL_LANGUAGES else "en"
