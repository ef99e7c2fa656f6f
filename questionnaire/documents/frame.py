"""What surrounds the lists in a conference room paper, taken from the meeting's data and its
register in the paper's language: the UN heading (the organ line, the symbol, the date, the
language line, the original language, the working group or groups, place and dates), the
agenda item with its footnote, the title and the job number."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import date
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlmodel import Session

from questionnaire import wording
from questionnaire.documents.languages import original_line
from questionnaire.errors import RuleViolation
from questionnaire.meetings.heading import TextPicker, block_language, document_header
from questionnaire.meetings.models import Meeting, MeetingDocument
from questionnaire.meetings.register import agenda_item, crp_of, document_bodies
from questionnaire.meetings.services import agenda_symbol, meeting_by_symbol
from questionnaire.reference.bodies import Body


@dataclass(frozen=True)
class Frame:
    """The meeting, the register's row and the bodies the paper is issued for."""

    meeting: Meeting
    row: MeetingDocument
    item: str
    bodies: list[Body]


def frame_of(db: Session, meeting_symbol: str, symbol: str, item: str) -> Frame:
    """The paper's meeting, register row and item, checked; RuleViolation otherwise."""
    meeting = meeting_by_symbol(db, meeting_symbol)
    if meeting is None:
        raise RuleViolation(_l("No meeting has the symbol %(symbol)s.", symbol=meeting_symbol))
    row = crp_of(db, meeting, symbol)
    reference = agenda_item(meeting, item)
    if row.agenda_item and row.agenda_item != reference:
        raise RuleViolation(
            _l(
                "%(symbol)s is a paper for item %(registered)s, not for item %(item)s.",
                symbol=symbol,
                registered=row.agenda_item,
                item=reference,
            )
        )
    if not row.job_number:
        raise RuleViolation(
            _l(
                "%(symbol)s has no job number: give the one conference services assigned "
                "(such as V.27-01234).",
                symbol=symbol,
            )
        )
    return Frame(meeting, row, reference, document_bodies(meeting, row))


def heading(frame: Frame, language: str, originals: list[str], issued_on: date) -> dict[str, Any]:
    """Every word around the lists, in `language` (called under that locale); MissingText
    names each text of the meeting or the register that is not on file in `language`.
    `originals` are the languages the lists are written in: the paper's original
    languages."""
    texts = TextPicker(language)
    header = document_header(frame.meeting, frame.row, texts, language, issued_on)
    # A conference room paper carries a language line in place of the distribution line. The
    # block it sits in is in English on the Arabic, Chinese and Russian versions, as the UN
    # prints them (`block_language`), like the date above it.
    block = block_language(language)
    with force_locale(block):
        only = _("%(language)s only", language=wording.language_name(language, block))
    header = replace(
        header,
        distribution="",
        language_line=only[:1].upper() + only[1:],
        original_line=original_line(originals, block),
    )
    number, _sep, letter = frame.item.partition(" (")
    context = {
        "header": {**asdict(header), "bodies": [body.name(language) for body in frame.bodies]},
        "item_line": _(
            "Item %(item)s of the provisional agenda*",
            item=wording.item_label(int(number), letter.rstrip(")") or None),
        ),
        "footnote": f"* {agenda_symbol(frame.meeting)}.",
        "agenda_title": _item_title(frame.meeting, frame.item, texts),
        "title": texts.pick(frame.row.titles, f"documents[{frame.row.symbol}].titles"),
    }
    texts.raise_missing(frame.row.symbol)
    return context


def _item_title(meeting: Meeting, item: str, texts: TextPicker) -> str:
    number, _sep, letter = item.partition(" (")
    letter = letter.rstrip(")")
    for entry in meeting.agenda:
        if str(entry["number"]) != number:
            continue
        if not letter:
            return str(texts.pick(entry["title"], f"agenda[{number}].title"))
        for sub in entry.get("items", []):
            if sub["letter"] == letter:
                return str(texts.pick(sub["title"], f"agenda[{number}].items[{letter}].title"))
    return ""
