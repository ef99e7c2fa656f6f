"""How a section of a question bank is named on pages, documents and messages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from questionnaire.banks.schema import Bank, Section
from questionnaire.i18n import localize
from questionnaire.reference.instruments import load_instrument_data


def section_title(bank: Bank, section: Section) -> str:
    """'Article 5. Criminalization' for article sections, the section's own title otherwise."""
    if section.title:
        return str(localize(section.title))
    article = load_instrument_data().article(bank.instrument, section.article or 0)
    heading = localize(article.title) if article else None
    number = _l("Article %(number)s", number=section.article)
    return f"{number}. {heading}" if heading else str(number)
