"""The note by the Secretariat on the status of the review mechanism, as every word its PDF
shows, written from live data on the day it is issued."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlmodel import Session

from questionnaire import wording
from questionnaire.i18n import localize
from questionnaire.meetings.agenda import DOCUMENT_LANGUAGES, RTL
from questionnaire.meetings.heading import Header, MissingText, TextPicker, document_header
from questionnaire.meetings.models import Meeting, MeetingDocument
from questionnaire.meetings.services import agenda_symbol, documents_of
from questionnaire.meetings.status import InstrumentStatus, StatusLine, mechanism_status
from questionnaire.reference.instruments import load_instrument_data


@dataclass(frozen=True)
class StatusTable:
    heading: str  # the instrument's name
    rows: tuple[tuple[str, StatusLine], ...]  # (group's label, figures)
    total: StatusLine


@dataclass(frozen=True)
class StatusNote:
    """Every word of the note, in `language`."""

    language: str
    direction: str
    header: Header
    item_line: str  # "Item 3 (a) of the provisional agenda*"
    item_title: str
    footnote: str  # "* CTOC/COP/WG.7/2027/1."
    title: str
    note_by: str
    paragraphs: tuple[str, ...]
    columns: tuple[str, ...]
    total_label: str
    tables: tuple[StatusTable, ...]


def status_document(db: Session, meeting: Meeting) -> MeetingDocument | None:
    """The meeting's document that is the status note, if its file names one."""
    return next((d for d in documents_of(db, meeting) if d.content == "status_note"), None)


def build_status_note(
    db: Session, meeting: Meeting, row: MeetingDocument, language: str, today: date
) -> StatusNote:
    """The status note as at `today`, in `language` (MissingText when a text is missing)."""
    if language not in DOCUMENT_LANGUAGES:
        raise MissingText(_("Documents are issued in the six official languages only."))
    texts = TextPicker(language)
    status = mechanism_status(db, today)
    with force_locale(language):
        note = StatusNote(
            language=language,
            direction="rtl" if language in RTL else "ltr",
            header=document_header(meeting, row, texts, language, today),
            item_line=_("Item %(item)s of the provisional agenda*", item=_item(row)),
            item_title=_item_title(meeting, row, texts),
            footnote=f"* {wording.isolated(agenda_symbol(meeting), language)}.",
            title=texts.pick(row.titles, f"documents[{row.symbol}].titles"),
            note_by=_("Note by the Secretariat"),
            paragraphs=_paragraphs(status, today, language),
            columns=(
                _("Group of States (review phase)"),
                _("Reviews launched"),
                _("Focal point named"),
                _("Governmental experts named"),
                _("Questionnaires submitted"),
                _("Lists of observations agreed"),
                _("Lists of observations final"),
            ),
            total_label=_("Total"),
            tables=tuple(_table(entry, language) for entry in status),
        )
    texts.raise_missing(row.symbol)
    return note


def _item(row: MeetingDocument) -> str:
    item = row.agenda_item or ""
    number, _sep, rest = item.partition("(")
    return wording.item_label(int(number.strip()), rest.rstrip(")").strip() or None)


def _item_title(meeting: Meeting, row: MeetingDocument, texts: TextPicker) -> str:
    number, _sep, rest = (row.agenda_item or "").partition("(")
    letter = rest.rstrip(")").strip()
    for item in meeting.agenda:
        if str(item["number"]) == number.strip():
            if not letter:
                return str(texts.pick(item["title"], f"agenda[{item['number']}].title"))
            for sub in item.get("items", []):
                if sub["letter"] == letter:
                    where = f"agenda[{item['number']}].items[{letter}].title"
                    return str(texts.pick(sub["title"], where))
    return ""


def _paragraphs(
    status: tuple[InstrumentStatus, ...], today: date, language: str
) -> tuple[str, ...]:
    launched = sum(entry.total.launched for entry in status)
    submitted = sum(entry.total.submitted for entry in status)
    final = sum(entry.total.final for entry in status)
    return (
        _(
            "The present note gives the status of the country reviews of the Mechanism for the "
            "Review of the Implementation of the United Nations Convention against "
            "Transnational Organized Crime and the Protocols thereto as at %(date)s, as recorded "
            "in its secure module.",
            date=wording.long_date(today, language),
        ),
        _(
            "As at that date, %(launched)s reviews had been launched; the States under review "
            "had submitted their answers to the self-assessment questionnaire in %(submitted)s "
            "of them, and %(final)s lists of observations had been made final.",
            launched=wording.numerals(launched, language),
            submitted=wording.numerals(submitted, language),
            final=wording.numerals(final, language),
        ),
        _(
            "The tables below give the figures per instrument and per group of States. A list "
            "of observations is counted as agreed once the State under review has agreed to it, "
            "whether or not it has since been made final."
        ),
    )


def _table(entry: InstrumentStatus, language: str) -> StatusTable:
    instrument = load_instrument_data().instruments.get(entry.instrument)
    title = localize(instrument.title, language) if instrument else None
    return StatusTable(
        heading=str(title) if title else entry.instrument,
        rows=tuple((line.group or _("Outside any phase"), line) for line in entry.lines),
        total=entry.total,
    )
