"""Published documents: each revision kept as a record with its PDF and content hash."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, Column, LargeBinary, UniqueConstraint
from sqlalchemy.orm import deferred
from sqlmodel import Field, SQLModel

from questionnaire.db import JSONColumn, utcnow


class Publication(SQLModel, table=True):
    """One revision of a document (a conference room paper) in one language."""

    __tablename__ = "publication"
    __table_args__ = (
        UniqueConstraint("symbol", "language", "revision"),
        CheckConstraint("status IN ('draft', 'published', 'withdrawn')", name="status"),
        CheckConstraint("job_status IN ('queued', 'rendering', 'done', 'failed')", name="job"),
    )

    id: int | None = Field(default=None, primary_key=True)
    symbol: str = Field(max_length=120, index=True, description="UN document symbol")
    language: str = Field(max_length=5, description="language of the document")
    revision: int = Field(description="1 for the first rendering of a symbol, then 2, ...")
    status: str = Field(default="draft", max_length=10, description="draft, published or withdrawn")
    title: str = Field(max_length=500, description="document title")
    snapshot: Any = Field(
        sa_column=Column(JSONColumn, nullable=False),
        description="the exact content the PDF is made from",
    )
    source: Any = Field(
        default=None,
        sa_column=Column(JSONColumn, nullable=True),
        description="what the secretariat asked for (symbol, meeting, reviews): the content "
        "is built again from it and compared before publishing",
    )
    snapshot_sha256: str = Field(
        max_length=64, index=True, description="SHA-256 of the snapshot (canonical JSON)"
    )
    render_key: str | None = Field(
        default=None,
        max_length=64,
        index=True,
        description="SHA-256 of the snapshot's hash and of what rendered the PDF (render cache)",
    )
    pdf: bytes | None = Field(  # type: ignore[call-overload]  # deferred: loaded only when served
        default=None, sa_column=deferred(Column(LargeBinary, nullable=True))
    )
    pdf_sha256: str | None = Field(default=None, max_length=64)
    page_count: int | None = Field(default=None)
    job_status: str = Field(
        default="queued", max_length=10, description="queued, rendering, done or failed"
    )
    job_error: str | None = Field(default=None)
    created_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    created_at: datetime = Field(default_factory=utcnow, description="UTC")
    published_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    published_at: datetime | None = Field(default=None, description="UTC")
    withdrawn_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    withdrawn_at: datetime | None = Field(default=None, description="UTC")
    withdrawal_reason: str | None = Field(
        default=None, description="why the secretariat withdrew the revision (the record only)"
    )
