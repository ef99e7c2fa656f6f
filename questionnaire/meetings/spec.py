"""The meeting file (`docs/meeting-format.md`): a meeting, its agenda, its organization of work
and its documents, typed so that every problem names its field."""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

Language = Literal["ar", "zh", "en", "fr", "ru", "es"]
DocumentKind = Literal["agenda", "paper", "crp", "draft_report", "participants"]
#: An agenda item as written in the organization of work and the documents: "2" or "1 (b)".
ITEM_REFERENCE = re.compile(r"(?P<number>[1-9][0-9]?)(?:\s*\((?P<letter>[a-z])\))?")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SubItemSpec(_Strict):
    letter: str = Field(pattern=r"^[a-z]$")
    title: dict[Language, str]
    annotations: dict[Language, list[str]] = {}


class ItemSpec(_Strict):
    number: int = Field(ge=1, le=99)
    title: dict[Language, str]
    items: list[SubItemSpec] = []
    annotations: dict[Language, list[str]] = {}


class DaySpec(_Strict):
    date: date
    morning: list[str] = []
    afternoon: list[str] = []

    @field_validator("morning", "afternoon")
    @classmethod
    def _references(cls, value: list[str]) -> list[str]:
        for reference in value:
            if not ITEM_REFERENCE.fullmatch(reference):
                raise ValueError(f"“{reference}” is not an agenda item such as 2 or 1 (b)")
        return value


class DocumentSpec(_Strict):
    kind: DocumentKind
    number: int | None = Field(default=None, ge=1, le=999)
    item: str | None = None
    titles: dict[Language, str]
    joint_with: list[str] = []
    issued_on: date | None = None
    job_number: str | None = Field(default=None, pattern=r"^[A-Z]\.\d{2}-\d{5}$")
    original_language: Language | None = None
    revision: int = Field(default=0, ge=0, le=9)
    corrigendum: int = Field(default=0, ge=0, le=9)
    #: A document the application writes from live data: the status of the review mechanism.
    content: Literal["status_note"] | None = None

    @field_validator("item")
    @classmethod
    def _reference(cls, value: str | None) -> str | None:
        if value is not None and not ITEM_REFERENCE.fullmatch(value):
            raise ValueError(f"“{value}” is not an agenda item such as 2 or 1 (b)")
        return value


class BureauSpec(_Strict):
    dates_approved_on: date | None = None
    dates_by_silence: bool = False
    agenda_approved_on: date | None = None
    agenda_by_silence: bool = False


class MeetingSpec(_Strict):
    body: str
    year: int = Field(ge=2000, le=2100)
    ordinal: int = Field(ge=1, le=99)
    starts_on: date
    ends_on: date
    opens_at: str = Field(default="10:00", pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
    venue: dict[Language, str]
    plenary_meetings: int = Field(ge=1, le=40)
    interpretation: list[Language] = []
    original_language: Language = "en"
    bureau: BureauSpec = BureauSpec()
    agenda: list[ItemSpec] = Field(min_length=1)
    organization_of_work: list[DaySpec] = []
    documents: list[DocumentSpec] = []


class MeetingFile(_Strict):
    schema_version: Literal[1]
    meeting: MeetingSpec
