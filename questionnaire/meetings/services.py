"""Recording meetings and their documents; every change audited."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from questionnaire.accounts.models import User
from questionnaire.audit.services import record
from questionnaire.meetings.models import Meeting, MeetingDocument
from questionnaire.meetings.spec import DocumentSpec, MeetingSpec
from questionnaire.meetings.symbols import document_symbol, series
from questionnaire.meetings.validation import normalized
from questionnaire.reference.bodies import Body, bodies


def body_of(meeting: Meeting) -> Body:
    return bodies().by_code[meeting.body_code]


def agenda_symbol(meeting: Meeting) -> str:
    """The symbol of the meeting's provisional agenda, which names the meeting: …/2027/1."""
    return f"{series(body_of(meeting), meeting.year)}/1"


def meetings(db: Session) -> list[Meeting]:
    """Every meeting, the latest first."""
    return list(db.exec(select(Meeting).order_by(col(Meeting.starts_on).desc())))


def meeting_by_symbol(db: Session, symbol: str) -> Meeting | None:
    """The meeting whose agenda has `symbol`, or whose series it names (…/WG.7/2027)."""
    wanted = symbol.rstrip("/")
    for meeting in meetings(db):
        if wanted in (agenda_symbol(meeting), series(body_of(meeting), meeting.year)):
            return meeting
    return None


def documents_of(db: Session, meeting: Meeting) -> list[MeetingDocument]:
    """The meeting's documents in the order of their series: agenda, papers, CRPs, L, INF."""
    order = {"agenda": 0, "paper": 1, "crp": 2, "draft_report": 3, "participants": 4}
    rows = db.exec(select(MeetingDocument).where(MeetingDocument.meeting_id == meeting.id))
    return sorted(rows, key=lambda d: (order[d.kind], d.number, d.revision, d.corrigendum))


def record_meeting(db: Session, spec: MeetingSpec, actor: User | None) -> Meeting:
    """Record the meeting of a validated file, or update the one of its body and year; its
    documents are recorded by symbol (a document never leaves the register)."""
    meeting = db.exec(
        select(Meeting).where(Meeting.body_code == spec.body, Meeting.year == spec.year)
    ).first()
    before = _summary(meeting) if meeting else None
    meeting = meeting or Meeting(body_code=spec.body, year=spec.year)  # type: ignore[call-arg]
    for name, value in _meeting_fields(spec).items():
        setattr(meeting, name, value)
    db.add(meeting)
    db.flush()
    for document in spec.documents:
        _record_document(db, meeting, spec, document)
    record(
        db,
        actor=actor,
        action="meeting.update" if before else "meeting.create",
        object_type="meeting",
        object_id=meeting.id,
        before=before,
        after=_summary(meeting),
    )
    db.flush()
    return meeting


def _meeting_fields(spec: MeetingSpec) -> dict[str, Any]:
    return {
        "ordinal": spec.ordinal,
        "starts_on": spec.starts_on,
        "ends_on": spec.ends_on,
        "opens_at": spec.opens_at,
        "venue": {str(language): text for language, text in spec.venue.items()},
        "plenary_meetings": spec.plenary_meetings,
        "interpretation": list(spec.interpretation),
        "original_language": spec.original_language,
        "dates_approved_on": spec.bureau.dates_approved_on,
        "dates_by_silence": spec.bureau.dates_by_silence,
        "agenda_approved_on": spec.bureau.agenda_approved_on,
        "agenda_by_silence": spec.bureau.agenda_by_silence,
        "agenda": [item.model_dump(mode="json") for item in spec.agenda],
        "organization": [day.model_dump(mode="json") for day in spec.organization_of_work],
    }


def _record_document(
    db: Session, meeting: Meeting, spec: MeetingSpec, document: DocumentSpec
) -> MeetingDocument:
    known = bodies().by_code
    number = document.number or 1
    symbol = document_symbol(
        [known[spec.body], *(known[code] for code in document.joint_with)],
        spec.year,
        document.kind,
        number,
        document.revision,
        document.corrigendum,
    )
    row = db.exec(select(MeetingDocument).where(MeetingDocument.symbol == symbol)).first()
    row = row or MeetingDocument(symbol=symbol)  # type: ignore[call-arg]
    row.meeting_id = meeting.id  # type: ignore[assignment]
    row.kind = document.kind
    row.number = number
    row.revision = document.revision
    row.corrigendum = document.corrigendum
    row.joint_with = list(document.joint_with)
    row.agenda_item = normalized(document.item) if document.item else None
    row.titles = {str(language): text for language, text in document.titles.items()}
    row.original_language = document.original_language or spec.original_language
    row.issued_on = document.issued_on
    row.job_number = document.job_number
    row.content = document.content
    db.add(row)
    db.flush()
    return row


def _summary(meeting: Meeting) -> dict[str, Any]:
    return {
        "body": meeting.body_code,
        "year": meeting.year,
        "ordinal": meeting.ordinal,
        "dates": [meeting.starts_on.isoformat(), meeting.ends_on.isoformat()],
        "items": len(meeting.agenda),
    }
