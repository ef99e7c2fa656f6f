"""How a section of a question bank is named on pages, documents and messages."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from questionnaire.banks.schema import Bank, Section
from questionnaire.i18n import isolated, localize
from questionnaire.reference.instruments import load_instrument_data


def section_title(bank: Bank, section: Section) -> str:
    """'Article 5. Criminalization' for article sections, the section's own title otherwise.

    One message with the number and the heading, so that a language orders and punctuates them
    its own way ("第5条 刑事定罪"); a heading shown in English in an Arabic page is isolated."""
    if section.title:
        title = localize(section.title)
        return isolated(title.text, title.language) if title else ""
    article = load_instrument_data().article(bank.instrument, section.article or 0)
    heading = localize(article.title) if article else None
    if heading is None:
        return str(_l("Article %(number)s", number=section.article))
    return _(
        "Article %(number)s. %(title)s",
        number=section.article,
        title=isolated(heading.text, heading.language),
    )


def headings_on_file(instrument: str, language: str) -> bool:
    """Whether the instrument's title and article headings are on file in `language`; where
    they are not, pages show them in English (none is ever invented) and say so once."""
    found = load_instrument_data().instruments.get(instrument)
    return found is None or language in found.title
