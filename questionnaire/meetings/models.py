"""A meeting of a working group (or of the Conference) and the documents issued for it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import CheckConstraint, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from questionnaire.db import JSONColumn, utcnow

DOCUMENT_KINDS = ("agenda", "paper", "crp", "draft_report", "participants")


class Meeting(SQLModel, table=True):
    """One meeting: its body, number, dates and place, the Extended Bureau's approvals, its
    agenda (items, sub-items and annotations per language) and organization of work."""

    __tablename__ = "meeting"
    __table_args__ = (
        UniqueConstraint("body_code", "year"),
        CheckConstraint("ends_on >= starts_on", name="dates"),
        CheckConstraint("plenary_meetings >= 1", name="plenary_meetings"),
    )

    id: int | None = Field(default=None, primary_key=True)
    body_code: str = Field(max_length=12, description="the body in data/bodies.yaml: WG.7")
    year: int = Field(description="the year of the documents' symbols: CTOC/COP/WG.7/2027/1")
    ordinal: int = Field(description="its number among the body's meetings: 10 = tenth meeting")
    starts_on: date = Field(description="first day")
    ends_on: date = Field(description="last day")
    venue: dict[str, str] = Field(
        sa_column=Column(JSONColumn, nullable=False), description="the place, per language"
    )
    plenary_meetings: int = Field(description="number of plenary meetings")
    interpretation: list[str] = Field(
        sa_column=Column(JSONColumn, nullable=False),
        description="languages of interpretation",
    )
    original_language: str = Field(max_length=2, description="language its documents are made in")
    opens_at: str = Field(max_length=5, description="opening time on the first day: 10:00")
    dates_approved_on: date | None = Field(default=None, description="Extended Bureau: dates")
    dates_by_silence: bool = Field(default=False, description="approved by silence procedure")
    agenda_approved_on: date | None = Field(default=None, description="Extended Bureau: agenda")
    agenda_by_silence: bool = Field(default=False, description="approved by silence procedure")
    agenda: list[dict[str, Any]] = Field(
        sa_column=Column(JSONColumn, nullable=False),
        description="items: number, titles, sub-items, annotations per language",
    )
    organization: list[dict[str, Any]] = Field(
        sa_column=Column(JSONColumn, nullable=False),
        description="the organization of work: per day, the items of each slot",
    )
    created_at: datetime = Field(default_factory=utcnow, description="UTC")


class MeetingDocument(SQLModel, table=True):
    """A document of a meeting, with the symbol allocated to it in the meeting's series."""

    __tablename__ = "meeting_document"
    __table_args__ = (
        UniqueConstraint("symbol"),
        CheckConstraint(
            "kind IN ('agenda', 'paper', 'crp', 'draft_report', 'participants')", name="kind"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True, description="the meeting")
    kind: str = Field(max_length=16, description="agenda, paper, crp, draft_report, participants")
    number: int = Field(description="its number in the series of its kind: /2, CRP.3")
    revision: int = Field(default=0, description="Rev.n; 0 for the original")
    corrigendum: int = Field(default=0, description="Corr.n; 0 for none")
    joint_with: list[str] = Field(
        sa_column=Column(JSONColumn, nullable=False),
        description="other bodies whose series also carry this document: WG.4",
    )
    agenda_item: str | None = Field(
        default=None, max_length=8, description="the agenda item it is for: 2 or 1 (b)"
    )
    titles: dict[str, str] = Field(
        sa_column=Column(JSONColumn, nullable=False), description="its title, per language"
    )
    original_language: str = Field(max_length=2, description="the language it was made in")
    issued_on: date | None = Field(default=None, description="the date on the document")
    job_number: str | None = Field(default=None, max_length=12, description="V.27-01234")
    content: str | None = Field(
        default=None, max_length=16, description="status_note: written from live data"
    )
    symbol: str = Field(max_length=120, description="the full symbol, joint symbols included")
    created_at: datetime = Field(default_factory=utcnow, description="UTC")
