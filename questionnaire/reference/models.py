"""States taking part in the review mechanism."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from questionnaire.db import JSONColumn

REGIONAL_GROUPS = ("african", "asia_pacific", "eastern_european", "grulac", "weog", "none")


class State(SQLModel, table=True):
    """A State (or regional economic integration organization) party to the Convention."""

    __tablename__ = "state"

    code: str = Field(
        primary_key=True, max_length=3, description="ISO 3166-1 alpha-3; EUU for the EU"
    )
    iso2: str = Field(max_length=2, description="ISO 3166-1 alpha-2")
    regional_group: str = Field(max_length=20, description="UN regional group, or none")
    parties: list[str] = Field(
        default_factory=list,
        sa_column=Column(JSONColumn, nullable=False),
        description="instruments the State is party to (UNTOC, TIP, SOM, FIR)",
    )
    names: dict[str, str] | None = Field(
        default=None,
        sa_column=Column(JSONColumn, nullable=True),
        description="names in the six UN languages, from state_names.yaml",
    )
    name_en: str = Field(max_length=200, description="English name, for sorting and search")

    def is_party_to(self, instrument: str) -> bool:
        """Party according to the latest data, whatever the date (see `parties_as_at`)."""
        return instrument in self.parties


CONSENT_KINDS = (
    "ratification",
    "acceptance",
    "approval",
    "accession",
    "succession",
    "not_recorded",
)


class Participation(SQLModel, table=True):
    """A State's signature of and consent to be bound by one instrument, with the dates.

    `consent_kind` is set once the State has ratified, accepted, approved, acceded or succeeded;
    `not_recorded` marks demo data that says "party" without the kind or the dates. The State is
    party as at a date on or after `in_force_on` (any date when that is not recorded).
    """

    __tablename__ = "state_participation"

    state_code: str = Field(
        foreign_key="state.code", primary_key=True, max_length=3, description="the State"
    )
    instrument: str = Field(primary_key=True, max_length=5, description="UNTOC, TIP, SOM or FIR")
    signed_on: date | None = Field(default=None, description="date of signature, if signed")
    consent_kind: str | None = Field(
        default=None, max_length=20, description="how consent to be bound was given, if it was"
    )
    consent_on: date | None = Field(default=None, description="date of deposit of that instrument")
    in_force_on: date | None = Field(
        default=None, description="date the instrument entered into force for the State"
    )
    source: str = Field(max_length=300, description="where these facts come from")
    is_demo: bool = Field(default=False, description="demo data, not from the UN Treaty Collection")

    @property
    def is_party(self) -> bool:
        return self.consent_kind is not None

    def is_party_on(self, on: date) -> bool:
        """Whether the State is party as at `on`."""
        return party_as_at(self.consent_kind, self.in_force_on, on)


def party_as_at(consent_kind: str | None, in_force_on: date | None, on: date) -> bool:
    """Whether a State with these facts of participation is party as at `on`: consent given,
    and the instrument in force for it by then (or that date not recorded). The rule of
    `Participation.is_party_on`, for queries that read these two columns alone."""
    return consent_kind is not None and (in_force_on is None or in_force_on <= on)


class ProvisionParagraph(SQLModel, table=True):
    """One paragraph of an article in one language, loaded from an authentic text."""

    __tablename__ = "provision_text"
    __table_args__ = (UniqueConstraint("instrument", "article", "paragraph", "language"),)

    id: int | None = Field(default=None, primary_key=True)
    instrument: str = Field(max_length=5, description="UNTOC, TIP, SOM or FIR")
    article: int = Field(description="article number")
    paragraph: str = Field(
        max_length=10, description="paragraph number as printed; empty for unnumbered text"
    )
    position: int = Field(description="order of the paragraph within the article")
    language: str = Field(max_length=2, description="language of the text")
    text: str = Field(sa_column=Column(Text, nullable=False), description="the text, verbatim")
    is_article_complete: bool = Field(
        description="the file holds the whole article in this language"
    )
    source: str = Field(max_length=500, description="the authentic text it was copied from")
    loaded_at: datetime = Field(description="when it was loaded (UTC)")
