"""A meeting's own documents (its annotated provisional agenda and its note on the status of
the review mechanism), built by `questionnaire.meetings` and rendered through the one PDF
pipeline."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from questionnaire.meetings.agenda import build_agenda
from questionnaire.meetings.models import Meeting, MeetingDocument
from questionnaire.meetings.note import build_status_note
from questionnaire.pdf import render_pdf

AGENDA_TEMPLATE = "meetings/agenda_document.html"
NOTE_TEMPLATE = "meetings/note_document.html"


def agenda_pdf(db: Session, meeting: Meeting, language: str, issued_on: date) -> bytes:
    """The annotated provisional agenda in `language` (MissingText when a text is missing)."""
    document = build_agenda(db, meeting, language, issued_on)
    title = f"{document.header.symbol} {document.title}"
    return render_pdf(AGENDA_TEMPLATE, title=title, language=language, doc=document)


def status_note_pdf(
    db: Session, meeting: Meeting, row: MeetingDocument, language: str, today: date
) -> bytes:
    """The note on the status of the review mechanism as at `today`, in `language`."""
    note = build_status_note(db, meeting, row, language, today)
    title = f"{note.header.symbol} {note.title}"
    return render_pdf(NOTE_TEMPLATE, title=title, language=language, doc=note)
