"""States taking part in the review mechanism."""

from __future__ import annotations

from sqlalchemy import Column
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
        description="names per language, only where pycountry has none",
    )
    name_en: str = Field(max_length=200, description="English name, for sorting and search")

    def is_party_to(self, instrument: str) -> bool:
        return instrument in self.parties
