"""What every document of a meeting shares: the first page's heading, and the choice of each
text in the document's language, remembering those that are missing.

Every name of the heading comes from data in the document's language: "United Nations", the
organ and the working group from `data/bodies.yaml`, place and titles from the meeting's file.
A name missing in that language refuses the document, naming it, as a missing text does: an
official name is never replaced by another language's. The block on the right of the organ
(distribution, date, language line, original) is written in English on the Arabic, Chinese and
Russian versions, as United Nations documents in those languages print it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from questionnaire import wording
from questionnaire.errors import RuleViolation
from questionnaire.i18n import codes
from questionnaire.meetings.models import Meeting, MeetingDocument
from questionnaire.meetings.services import agenda_symbol, body_of
from questionnaire.reference.bodies import bodies

#: The language in which a version prints the block on the right of the organ, when it is not
#: the version's own.
BLOCK_LANGUAGE = {"ar": "en", "zh": "en", "ru": "en"}


class MissingText(RuleViolation):
    """The meeting's data lacks texts in the language asked for."""


@dataclass(frozen=True)
class Header:
    """The first page's heading, as UN documents lay it out."""

    un_line: str
    symbol: str
    organ: str
    distribution: str
    date: str
    language_line: str  # the version's language, on translations only
    original_line: str
    body: str
    place_and_dates: str
    job_number: str


class TextPicker:
    """Picks the document language's text of each field and remembers the missing ones."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.missing: list[str] = []

    def pick(self, texts: dict[str, Any], where: str) -> Any:
        value = texts.get(self.language)
        if value:
            return value
        self.missing.append(where)
        return ""

    def raise_missing(self, symbol: str) -> None:
        if self.missing:
            raise MissingText(
                _l(
                    "%(symbol)s has no %(language)s text for: %(fields)s.",
                    symbol=symbol,
                    language=self.language,
                    fields=codes(self.missing),
                )
            )


def block_language(language: str) -> str:
    """The language of the heading's block on the right in a version in `language`."""
    return BLOCK_LANGUAGE.get(language, language)


def document_header(
    meeting: Meeting,
    row: MeetingDocument | None,
    texts: TextPicker,
    language: str,
    issued_on: date,
) -> Header:
    """The first page's heading of the meeting's document `row` (the agenda when None)."""
    body = body_of(meeting)
    organ = bodies().organ
    original = meeting.original_language
    block = block_language(language)
    with force_locale(block):
        distribution = _("Distr.: General")
        original_line = _("Original: %(language)s", language=wording.language_name(original, block))
        language_line = (
            wording.language_name(language, block).capitalize()
            if block != language
            else wording.own_language_name(language)
        )
    return Header(
        un_line=texts.pick(bodies().united_nations, "bodies.yaml: united_nations"),
        symbol=row.symbol if row else agenda_symbol(meeting),
        organ=texts.pick(organ.names, f"bodies.yaml: {organ.code}"),
        distribution=distribution,
        date=wording.long_date(row.issued_on if row and row.issued_on else issued_on, block),
        language_line=language_line if language != original else "",
        original_line=original_line,
        body=texts.pick(body.names, f"bodies.yaml: {body.code}"),
        place_and_dates=wording.place_and_dates(
            texts.pick(meeting.venue, "venue"), meeting.starts_on, meeting.ends_on, language
        ),
        job_number=(row.job_number if row else None) or "",
    )
