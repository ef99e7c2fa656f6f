"""Bank versions recorded in the database."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import Column, UniqueConstraint
from sqlalchemy.orm import QueryableAttribute, defer
from sqlmodel import Field, SQLModel

from questionnaire.db import JSONColumn, utcnow


class BankVersion(SQLModel, table=True):
    """One loaded version of a question bank; its content never changes once recorded."""

    __tablename__ = "bank_version"
    __table_args__ = (UniqueConstraint("instrument", "cluster", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    instrument: str = Field(max_length=8, description="UNTOC, TIP, SOM or FIR")
    cluster: str = Field(max_length=4, description="review cluster, I to IV")
    version: int = Field(description="version number within instrument and cluster")
    status: str = Field(max_length=12, description="draft or published")
    sha256: str = Field(max_length=64, description="SHA-256 of the bank file's text as loaded")
    content: dict[str, Any] = Field(
        sa_column=Column(JSONColumn, nullable=False), description="run-time bank"
    )
    source_path: str = Field(max_length=300, description="file the version was loaded from")
    question_count: int = Field(default=0, description="number of questions, follow-ups included")
    loaded_at: datetime = Field(default_factory=utcnow, description="when it was recorded (UTC)")


#: A query's option that reads the versions without their content (a few hundred kilobytes of
#: JSON each), which is then read from the database for the versions whose content is used.
WITHOUT_CONTENT = defer(cast("QueryableAttribute[Any]", BankVersion.content))
