"""Observations, the dialogue per article, and the list of observations with its summary."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from questionnaire.db import JSONColumn, utcnow

CATEGORIES = ("good_practice", "gap", "suggestion", "assistance_need")
LIST_STATUSES = ("drafting", "with_state", "agreed", "final")
#: The longest text of an observation, a summary, a message or a translation, in characters.
MAX_TEXT = 20_000
#: The status flow of a list of observations: from -> the statuses it may go to.
LIST_FLOW = {
    "drafting": ("with_state",),
    "with_state": ("drafting", "agreed"),
    "agreed": ("final", "drafting"),
    "final": (),
}


class Observation(SQLModel, table=True):
    """One element of a list of observations, on one article, citing the answers it rests on."""

    __tablename__ = "observation"
    __table_args__ = (
        CheckConstraint(
            "category IN ('good_practice', 'gap', 'suggestion', 'assistance_need')",
            name="category",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="review.id", index=True, description="the review")
    section_key: str = Field(max_length=40, description="the bank section (article)")
    category: str = Field(
        max_length=20, description="good_practice, gap, suggestion, assistance_need"
    )
    text: str = Field(description="the observation")
    cited_keys: list[str] = Field(
        default_factory=list,
        sa_column=Column(JSONColumn, nullable=False),
        description="question keys of the answers it relies on",
    )
    is_confidential: bool = Field(
        default=False,
        description="kept confidential by the State under review (para. 38): never published",
    )
    is_deleted: bool = Field(default=False, description="withdrawn by the reviewers")
    version: int = Field(default=1, description="guards concurrent edits")
    created_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    updated_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    created_at: datetime = Field(default_factory=utcnow, description="UTC")
    updated_at: datetime = Field(default_factory=utcnow, description="UTC")


class DialogueMessage(SQLModel, table=True):
    """A request for clarification, a reply, or a comment, in one article's thread."""

    __tablename__ = "dialogue_message"
    __table_args__ = (CheckConstraint("kind IN ('request', 'reply', 'comment')", name="kind"),)

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="review.id", index=True, description="the review")
    section_key: str = Field(
        max_length=40, description="the article's section, or 'list' for the list"
    )
    kind: str = Field(max_length=10, description="request, reply or comment")
    body: str = Field(description="the message")
    author_id: int = Field(foreign_key="user_account.id", description="who wrote it")
    author_state: str | None = Field(
        default=None, max_length=3, description="the State they wrote for"
    )
    reply_to_id: int | None = Field(
        default=None,
        foreign_key="dialogue_message.id",
        index=True,
        description="a reply: the request for clarification it answers",
    )
    created_at: datetime = Field(default_factory=utcnow, description="UTC")


class ListOfObservations(SQLModel, table=True):
    """The list of observations of one review and its summary, with their agreed status."""

    __tablename__ = "list_of_observations"
    __table_args__ = (
        UniqueConstraint("review_id"),
        CheckConstraint("status IN ('drafting', 'with_state', 'agreed', 'final')", name="status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="review.id", description="the review")
    status: str = Field(
        default="drafting", max_length=12, description="drafting, with_state, agreed or final"
    )
    summary: str = Field(default="", description="the short summary of the review")
    summary_confidential: list[str] = Field(
        default_factory=list,
        sa_column=Column(JSONColumn, nullable=False, server_default="[]"),
        description="SHA-256 of each paragraph of the summary the State keeps confidential "
        "(para. 38): never published",
    )
    summary_version: int = Field(default=1, description="guards concurrent edits")
    summary_updated_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    summary_updated_at: datetime = Field(default_factory=utcnow, description="UTC")
    original_language: str | None = Field(
        default=None,
        max_length=2,
        description="the language the observations are written in: the interface language of "
        "whoever wrote the first one, until the secretariat corrects it; None before",
    )
    summary_language: str | None = Field(
        default=None,
        max_length=2,
        description="the language the summary is written in: the interface language of whoever "
        "first wrote it, until the secretariat corrects it; None before",
    )


class ListTransition(SQLModel, table=True):
    """One change of status of a list of observations: who, when, from, to."""

    __tablename__ = "list_transition"

    id: int | None = Field(default=None, primary_key=True)
    list_id: int = Field(foreign_key="list_of_observations.id", index=True)
    from_status: str = Field(max_length=12)
    to_status: str = Field(max_length=12)
    actor_id: int = Field(foreign_key="user_account.id", description="who moved it")
    at: datetime = Field(default_factory=utcnow, description="UTC")
    note: Any = Field(default=None, sa_column=Column(JSONColumn, nullable=True))


class ListAgreement(SQLModel, table=True):
    """A reviewing State's agreement to the list of observations as it stood (`content_mark`);
    the list goes to the State under review only once both seats' States have agreed."""

    __tablename__ = "list_agreement"

    id: int | None = Field(default=None, primary_key=True)
    list_id: int = Field(foreign_key="list_of_observations.id", index=True)
    reviewing_state: str = Field(
        foreign_key="state.code", max_length=3, description="the State that agrees"
    )
    agreed_by_id: int = Field(foreign_key="user_account.id", description="who agreed for it")
    agreed_at: datetime = Field(default_factory=utcnow, description="UTC")
    content_mark: str = Field(
        max_length=64, description="digest of the observations and summary agreed to"
    )
    withdrawn_at: datetime | None = Field(default=None, description="UTC, if withdrawn")
    withdrawn_by_id: int | None = Field(default=None, foreign_key="user_account.id")


class ListSignatory(SQLModel, table=True):
    """An expert whom a reviewing State's focal point lets agree to the list for the State."""

    __tablename__ = "list_signatory"
    __table_args__ = (UniqueConstraint("review_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="review.id", index=True, description="the review")
    reviewing_state: str = Field(foreign_key="state.code", max_length=3)
    user_id: int = Field(foreign_key="user_account.id", description="the expert designated")
    designated_by_id: int = Field(foreign_key="user_account.id", description="the focal point")
    created_at: datetime = Field(default_factory=utcnow, description="UTC")


class ObservationTranslation(SQLModel, table=True):
    """An observation in another language than the list's original, tied to the text it was
    made from: once the observation's text changes, the translation is out of date."""

    __tablename__ = "observation_translation"
    __table_args__ = (UniqueConstraint("observation_id", "language"),)

    id: int | None = Field(default=None, primary_key=True)
    observation_id: int = Field(foreign_key="observation.id", index=True)
    language: str = Field(max_length=2, description="the language of the translation")
    text: str = Field(description="the translation")
    source_sha256: str = Field(
        max_length=64, description="SHA-256 of the observation's text the translation renders"
    )
    translated_by_id: int = Field(foreign_key="user_account.id", description="who recorded it")
    translated_at: datetime = Field(default_factory=utcnow, description="UTC")


class SummaryTranslation(SQLModel, table=True):
    """A list's summary in another language than its original, paragraph by paragraph, tied
    to the summary it was made from: once the summary changes, the translation is out of
    date."""

    __tablename__ = "summary_translation"
    __table_args__ = (UniqueConstraint("list_id", "language"),)

    id: int | None = Field(default=None, primary_key=True)
    list_id: int = Field(foreign_key="list_of_observations.id", index=True)
    language: str = Field(max_length=2, description="the language of the translation")
    paragraphs: list[str] = Field(
        default_factory=list,
        sa_column=Column(JSONColumn, nullable=False),
        description="one per paragraph of the original summary, in its order; empty for a "
        "paragraph not translated (one the State keeps confidential)",
    )
    source_sha256: str = Field(
        max_length=64, description="SHA-256 of the summary's text the translation renders"
    )
    translated_by_id: int = Field(foreign_key="user_account.id", description="who recorded it")
    translated_at: datetime = Field(default_factory=utcnow, description="UTC")
