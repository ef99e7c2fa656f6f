"""The annotated provisional agenda of a meeting, as every word the PDF shows, in one language.

First page: "United Nations" and the symbol; the organ (the Conference of the Parties) with the
distribution line, the date, the version's language and "Original: …"; the working group, the
place and dates; then the provisional agenda, the annotations with each item's documentation,
and the annex on the proposed organization of work. Every text comes from the meeting's data
in the document's language: a language with a missing text is refused, naming what is missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlmodel import Session

from questionnaire import wording
from questionnaire.meetings.heading import Header, MissingText, TextPicker, document_header
from questionnaire.meetings.models import Meeting, MeetingDocument
from questionnaire.meetings.services import agenda_symbol, body_of, documents_of

RTL = wording.RTL
#: The six official languages, in which the meetings' documents may be issued.
DOCUMENT_LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")


@dataclass(frozen=True)
class Reference:
    """A line of an item's documentation, "Title (SYMBOL)", in three parts so that the
    document sets the symbol as one unit, left to right and never broken across lines."""

    before: str
    symbol: str
    after: str


@dataclass(frozen=True)
class Entry:
    """An agenda item or sub-item: its label ("1.", "(a)"), title, and annotations."""

    label: str
    title: str
    listed: str  # the title as the provisional agenda lists it, with its punctuation
    paragraphs: tuple[str, ...] = ()
    documentation: tuple[Reference, ...] = ()
    subs: tuple[Entry, ...] = ()


@dataclass(frozen=True)
class SlotRow:
    item: str
    title: str
    continued: bool


@dataclass(frozen=True)
class Day:
    heading: str
    slots: tuple[tuple[str, tuple[SlotRow, ...]], ...]


@dataclass(frozen=True)
class AgendaDocument:
    """Every word of the annotated provisional agenda, in `language`."""

    language: str
    direction: str
    header: Header
    title: str
    items: tuple[Entry, ...]
    days: tuple[Day, ...]
    labels: dict[str, str]


def build_agenda(db: Session, meeting: Meeting, language: str, issued_on: date) -> AgendaDocument:
    """The agenda of `meeting` in `language`; MissingText names every text not on file."""
    if language not in DOCUMENT_LANGUAGES:
        raise MissingText(_l("Documents are issued in the six official languages only."))
    texts = TextPicker(language)
    documents = documents_of(db, meeting)
    agenda_row = next((d for d in documents if d.kind == "agenda"), None)
    with force_locale(language):
        items = tuple(_entry(meeting, item, texts, documents, language) for item in meeting.agenda)
        document = AgendaDocument(
            language=language,
            direction="rtl" if language in RTL else "ltr",
            header=document_header(meeting, agenda_row, texts, language, issued_on),
            title=texts.pick(agenda_row.titles if agenda_row else {}, "documents[agenda].titles")
            if agenda_row
            else _("Annotated provisional agenda"),
            items=items,
            days=_days(meeting, texts, language),
            labels=_labels(),
        )
    texts.raise_missing(agenda_symbol(meeting))
    return document


def _entry(
    meeting: Meeting,
    item: dict[str, Any],
    texts: TextPicker,
    documents: list[MeetingDocument],
    language: str,
) -> Entry:
    number = item["number"]
    where = f"agenda[{number}]"
    last_letter = item["items"][-1]["letter"] if item.get("items") else None
    subs = tuple(
        Entry(
            label=wording.sub_item_label(sub["letter"]),
            title=(sub_title := texts.pick(sub["title"], f"{where}.items[{sub['letter']}].title")),
            listed=_("%(title)s.", title=sub_title)
            if sub["letter"] == last_letter
            else _("%(title)s;", title=sub_title),
            paragraphs=(
                *_generated(meeting, number, sub["letter"], language),
                *sub.get("annotations", {}).get(language, ()),
            ),
            documentation=_documentation(documents, f"{number} ({sub['letter']})", texts),
        )
        for sub in item.get("items", [])
    )
    title = texts.pick(item["title"], f"{where}.title")
    return Entry(
        label=wording.paragraph_number(number, language),
        title=title,
        listed=_("%(title)s:", title=title) if subs else _("%(title)s.", title=title),
        paragraphs=(
            *(() if subs else _generated(meeting, number, None, language)),
            *item.get("annotations", {}).get(language, ()),
        ),
        documentation=_documentation(documents, str(number), texts),
        subs=subs,
    )


def _generated(meeting: Meeting, number: int, letter: str | None, language: str) -> list[str]:
    """The paragraphs of item 1 made from the meeting's data: the opening (sub-item a), the
    Extended Bureau's approvals and the resources (sub-item b)."""
    if number != 1:
        return []
    body = body_of(meeting).name(language)
    paragraphs = []
    if letter in (None, "a"):
        paragraphs.append(
            _(
                "The %(ordinal)s meeting of the %(body)s will be opened on %(date)s at %(time)s.",
                ordinal=wording.ordinal(meeting.ordinal, language),
                body=body,
                date=wording.weekday_date(meeting.starts_on, language).lower()
                if language == "fr"
                else wording.weekday_date(meeting.starts_on, language),
                time=wording.time_of_day(meeting.opens_at, language),
            ).replace("..", ".")  # "at 10 a.m." ends the sentence
        )
    if letter in (None, "b"):
        paragraphs.extend(_bureau(meeting, language))
        days = (meeting.ends_on - meeting.starts_on).days + 1
        paragraphs.append(
            _(
                "The proposed organization of work (see annex) was prepared so that the %(body)s "
                "can carry out its work within the time available. The resources available will "
                "allow for %(plenaries)s plenary meetings over %(days)s days, with "
                "interpretation in %(languages)s.",
                body=body,
                plenaries=wording.cardinal(meeting.plenary_meetings, language),
                days=wording.cardinal(days, language),
                languages=_interpretation(meeting, language),
            )
        )
    return paragraphs


def _bureau(meeting: Meeting, language: str) -> list[str]:
    paragraphs = []
    if meeting.dates_approved_on:
        date_text = wording.long_date(meeting.dates_approved_on, language)
        paragraphs.append(
            _(
                "On %(date)s, the Extended Bureau of the Conference approved the dates of the "
                "meeting by silence procedure.",
                date=date_text,
            )
            if meeting.dates_by_silence
            else _(
                "On %(date)s, the Extended Bureau of the Conference approved the dates of the "
                "meeting.",
                date=date_text,
            )
        )
    if meeting.agenda_approved_on:
        date_text = wording.long_date(meeting.agenda_approved_on, language)
        paragraphs.append(
            _(
                "On %(date)s, the Extended Bureau approved the items of the provisional agenda by "
                "silence procedure.",
                date=date_text,
            )
            if meeting.agenda_by_silence
            else _(
                "On %(date)s, the Extended Bureau approved the items of the provisional agenda.",
                date=date_text,
            )
        )
    return paragraphs


def _interpretation(meeting: Meeting, language: str) -> str:
    if set(meeting.interpretation) == set(DOCUMENT_LANGUAGES):
        return _("the six official languages of the United Nations")
    names = [wording.language_name(code, language) for code in meeting.interpretation]
    return ", ".join(names) if names else _("no language")


def _documentation(
    documents: list[MeetingDocument], item: str, texts: TextPicker
) -> tuple[Reference, ...]:
    references = []
    for document in documents:
        if document.agenda_item != item:
            continue
        line = _(
            "%(title)s (%(symbol)s)",
            title=texts.pick(document.titles, f"documents[{document.symbol}].titles"),
            symbol=_SYMBOL_MARK,
        )
        before, _mark, after = line.partition(_SYMBOL_MARK)
        references.append(Reference(before, document.symbol, after))
    return tuple(references)


#: Stands for the symbol in the translated line, which is then cut around it.
_SYMBOL_MARK = "\x00"


def _days(meeting: Meeting, texts: TextPicker, language: str) -> tuple[Day, ...]:
    titles = _item_titles(meeting, texts)
    taken: set[str] = set()
    days = []
    for day in meeting.organization:
        slots = []
        for slot, time in (
            ("morning", wording.numerals(_("10 a.m.–1 p.m."), language)),
            ("afternoon", wording.numerals(_("3–6 p.m."), language)),
        ):
            rows = []
            for reference in day.get(slot, []):
                key = reference.replace(" ", "")
                rows.append(SlotRow(_label_of(reference), titles.get(key, ""), key in taken))
                taken.add(key)
            if rows:
                slots.append((time, tuple(rows)))
        days.append(
            Day(wording.weekday_date(date.fromisoformat(day["date"]), language), tuple(slots))
        )
    return tuple(days)


def _item_titles(meeting: Meeting, texts: TextPicker) -> dict[str, str]:
    titles = {}
    for item in meeting.agenda:
        titles[str(item["number"])] = item["title"].get(texts.language, "")
        for sub in item.get("items", []):
            titles[f"{item['number']}({sub['letter']})"] = sub["title"].get(texts.language, "")
    return titles


def _label_of(reference: str) -> str:
    number, _sep, rest = reference.partition("(")
    return wording.item_label(int(number.strip()), rest.rstrip(")").strip() or None)


def _labels() -> dict[str, str]:
    return {
        "provisional_agenda": _("Provisional agenda"),
        "annotations": _("Annotations"),
        "documentation": _("Documentation"),
        "annex": _("Annex"),
        "organization": _("Proposed organization of work"),
        "date_and_time": _("Date and time"),
        "item": _("Agenda item"),
        "title": _("Title or description"),
        "continued": _("(continued)"),
    }
