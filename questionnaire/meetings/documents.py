"""Meeting documents rendered as PDF through the one PDF pipeline."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from questionnaire.meetings.agenda import build_agenda
from questionnaire.meetings.models import Meeting
from questionnaire.publishing.pdf import render_pdf

AGENDA_TEMPLATE = "meetings/agenda_document.html"


def agenda_pdf(db: Session, meeting: Meeting, language: str, issued_on: date) -> bytes:
    """The annotated provisional agenda in `language` (MissingText when a text is missing)."""
    document = build_agenda(db, meeting, language, issued_on)
    title = f"{document.header.symbol} {document.title}"
    return render_pdf(AGENDA_TEMPLATE, title=title, language=language, doc=document)
