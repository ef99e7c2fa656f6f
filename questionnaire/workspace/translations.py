"""Lists of observations and summaries in other languages than their original.

The observations of a list are written in one language and its summary in one language (each
set when first written, the writer's interface language; the secretariat corrects them while
the list is drafted). The secretariat records translations into the other official languages:
one per observation and one per summary (paragraph by paragraph), each tied to the SHA-256 of
the original text it renders. A translation whose original has changed since is **stale**;
nothing marks it so: its status is computed from the texts each time it is read.

Elements the State keeps confidential need no translation and are never offered one: what a
paper may contain is decided by the paper, which takes from here only the texts of the
elements it publishes.

Recording translations and correcting a list's original languages is
`questionnaire.workspace.translation_records`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from questionnaire.db import id_of
from questionnaire.reviews.models import Review
from questionnaire.workspace.models import (
    ListOfObservations,
    Observation,
    ObservationTranslation,
    SummaryTranslation,
)
from questionnaire.workspace.services import observations_of
from questionnaire.workspace.summary import SummaryParagraph, paragraphs_of, summary_paragraphs

#: The status of an element in a language: written in it, translated from the text it is now,
#: translated from an earlier text, not translated, or kept confidential (never translated).
STATUSES = ("original", "current", "stale", "missing", "confidential")


def text_sha256(text: str) -> str:
    """The version of an observation's text a translation is tied to."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def summary_sha256(summary: str) -> str:
    """The version of a summary a translation is tied to: its paragraphs, whatever the line
    ends the browser sent."""
    return text_sha256("\n\n".join(summary_paragraphs(summary)))


@dataclass(frozen=True)
class ObservationItem:
    """An observation and its translation into one language."""

    observation: Observation
    source_sha256: str
    status: str
    #: The translation on record (current or stale), "" when there is none.
    translation: str


@dataclass(frozen=True)
class SummaryItem:
    """The summary, paragraph by paragraph, and its translation into one language."""

    paragraphs: list[SummaryParagraph]
    source_sha256: str
    status: str
    #: The translation on record, one text per paragraph of the original ("" where none).
    translation: list[str]


@dataclass(frozen=True)
class ListInLanguage:
    """A list of observations and its summary as they stand in one language."""

    language: str
    observations: list[ObservationItem]
    summary: SummaryItem
    statuses: list[str] = field(init=False)

    def __post_init__(self) -> None:
        found = [item.status for item in self.observations]
        if self.summary.paragraphs:
            found.append(self.summary.status)
        object.__setattr__(self, "statuses", found)

    @property
    def missing(self) -> int:
        return self.statuses.count("missing")

    @property
    def stale(self) -> int:
        return self.statuses.count("stale")

    @property
    def status(self) -> str:
        """original (nothing to translate), missing, stale or current, the worst first."""
        if all(s in ("original", "confidential") for s in self.statuses) and any(
            s == "original" for s in self.statuses
        ):
            return "original"
        for status in ("missing", "stale"):
            if status in self.statuses:
                return status
        return "current"

    def observation_text(self, observation: Observation) -> str | None:
        """The observation's text in this language; None when it has no current one."""
        for item in self.observations:
            if item.observation.id == observation.id:
                if item.status == "original":
                    return observation.text
                return item.translation if item.status == "current" else None
        return None

    def summary_text(self, index: int) -> str | None:
        """The text of the summary's paragraph `index` in this language; None when it has no
        current one."""
        summary = self.summary
        if summary.status == "original":
            return summary.paragraphs[index].text
        if summary.status in ("current", "missing") and summary.translation[index:]:
            return summary.translation[index] or None
        return None


def _observation_status(
    lst: ListOfObservations, observation: Observation, language: str, stored: str | None
) -> str:
    if (lst.original_language or "en") == language:
        return "original"
    if observation.is_confidential:
        return "confidential"
    if stored is None:
        return "missing"
    return "current" if stored == text_sha256(observation.text) else "stale"


def summary_item(
    lst: ListOfObservations, language: str, stored: SummaryTranslation | None
) -> SummaryItem:
    paragraphs = paragraphs_of(lst)
    source = summary_sha256(lst.summary)
    translation = list(stored.paragraphs) if stored else []
    translation = (translation + [""] * len(paragraphs))[: len(paragraphs)]
    if (lst.summary_language or "en") == language:
        status = "original"
    elif all(p.is_confidential for p in paragraphs):
        status = "confidential"
    elif stored is None:
        status = "missing"
    elif stored.source_sha256 != source:
        status = "stale"
    elif any(
        not text.strip()
        for p, text in zip(paragraphs, translation, strict=True)
        if not p.is_confidential
    ):
        status = "missing"
    else:
        status = "current"
    return SummaryItem(paragraphs, source, status, translation)


def list_in_language(
    db: Session, review: Review, lst: ListOfObservations, language: str
) -> ListInLanguage:
    """The list's observations (withdrawn ones left out) and summary in `language`, with the
    status of each; reads only."""
    observations = observations_of(db, review)
    stored = {
        t.observation_id: t
        for t in db.exec(
            select(ObservationTranslation).where(
                col(ObservationTranslation.observation_id).in_([o.id for o in observations]),
                ObservationTranslation.language == language,
            )
        )
    }
    summary = (
        db.exec(
            select(SummaryTranslation).where(
                SummaryTranslation.list_id == lst.id, SummaryTranslation.language == language
            )
        ).first()
        if lst.id is not None
        else None
    )
    items = []
    for observation in observations:
        found = stored.get(id_of(observation))
        items.append(
            ObservationItem(
                observation,
                text_sha256(observation.text),
                _observation_status(
                    lst, observation, language, found.source_sha256 if found else None
                ),
                found.text if found else "",
            )
        )
    return ListInLanguage(language, items, summary_item(lst, language, summary))
