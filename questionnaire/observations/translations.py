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
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, col, select

from questionnaire.accounts.models import User
from questionnaire.audit.services import record
from questionnaire.db import id_of, utcnow
from questionnaire.errors import RuleViolation
from questionnaire.observations.languages import OFFICIAL_LANGUAGES
from questionnaire.observations.models import (
    ListOfObservations,
    Observation,
    ObservationTranslation,
    SummaryTranslation,
)
from questionnaire.observations.services import MAX_TEXT, list_of, observations_of
from questionnaire.observations.summary import SummaryParagraph, paragraphs_of, summary_paragraphs
from questionnaire.reviews.models import Review

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


def _summary_item(
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
    return ListInLanguage(language, items, _summary_item(lst, language, summary))


def set_original_languages(
    db: Session, review: Review, user: User, *, observations: str, summary: str
) -> ListOfObservations:
    """The secretariat corrects the language the observations and the summary are written in,
    while the list is drafted (translations already made into a language that becomes the
    original are kept, and unused)."""
    for language in (observations, summary):
        if language not in OFFICIAL_LANGUAGES:
            raise RuleViolation(_l("Choose one of the six official languages."))
    lst = list_of(db, review, lock=True)
    if lst.status != "drafting":
        raise RuleViolation(
            _l("The language of a list can be corrected only while the list is drafted.")
        )
    before = {"observations": lst.original_language, "summary": lst.summary_language}
    after = {"observations": observations, "summary": summary}
    if before == after:
        return lst
    lst.original_language = observations
    lst.summary_language = summary
    db.add(lst)
    db.flush()
    record(
        db,
        actor=user,
        action="list.language",
        object_type="list_of_observations",
        object_id=lst.id,
        review_id=review.id,
        before=before,
        after=after,
    )
    return lst


@dataclass(frozen=True)
class TranslatedText:
    """What the translation form sends for one element: the text, the version of the original
    the translator was shown, and whether an unchanged translation of an earlier original is
    confirmed as rendering the new one."""

    text: str
    source_sha256: str
    confirm: bool = False


@dataclass(frozen=True)
class TranslatedSummary:
    """What the translation form sends for the summary: one text per paragraph."""

    paragraphs: list[str]
    source_sha256: str
    confirm: bool = False


def _check_text(text: str, source_sha256: str) -> None:
    if len(text) > MAX_TEXT:
        raise RuleViolation(_l("Keep each translation under %(max)d characters.", max=MAX_TEXT))
    if len(source_sha256) != 64 or any(c not in "0123456789abcdef" for c in source_sha256):
        raise RuleViolation(_l("The form was not sent as the page made it: load it again."))


def record_translations(
    db: Session,
    review: Review,
    user: User,
    *,
    language: str,
    observations: dict[int, TranslatedText],
    summary: TranslatedSummary | None,
) -> int:
    """Record the secretariat's translations into `language` of the list's observations and
    summary; returns how many elements changed. Each is tied to the version of the original
    the translator was shown (so a translation of a text changed meanwhile is stale at once);
    an empty text removes a translation. Elements kept confidential are refused."""
    if language not in OFFICIAL_LANGUAGES:
        raise RuleViolation(_l("Choose one of the six official languages."))
    lst = list_of(db, review, lock=True)
    current = {
        item.observation.id: item
        for item in list_in_language(db, review, lst, language).observations
    }
    changed = 0
    for observation_id, sent in observations.items():
        item = current.get(observation_id)
        if item is None:
            raise RuleViolation(
                _l("This observation is no longer on the list: load the page again.")
            )
        _check_text(sent.text, sent.source_sha256)
        if item.status in ("original", "confidential"):
            raise RuleViolation(
                _l("An element written in this language, or kept confidential, is not translated.")
            )
        changed += _record_observation(db, review, user, item, language, sent)
    if summary is not None:
        for text in summary.paragraphs:
            _check_text(text, summary.source_sha256)
        changed += _record_summary(db, review, user, lst, language, summary)
    db.flush()
    return changed


def _confirmed(stored_sha256: str, sent: TranslatedText | TranslatedSummary) -> bool:
    """An unchanged translation is recorded again only when it is confirmed as rendering a
    changed original (a page saved without looking at it confirms nothing)."""
    return sent.confirm and stored_sha256 != sent.source_sha256


def _record_observation(
    db: Session,
    review: Review,
    user: User,
    item: ObservationItem,
    language: str,
    sent: TranslatedText,
) -> int:
    text = sent.text.strip()
    stored = db.exec(
        select(ObservationTranslation).where(
            ObservationTranslation.observation_id == item.observation.id,
            ObservationTranslation.language == language,
        )
    ).first()
    before = {"text": stored.text, "source_sha256": stored.source_sha256} if stored else None
    if stored is None and not text:
        return 0
    if stored is not None and not text:
        db.delete(stored)
        after = None
    else:
        if (
            stored is not None
            and stored.text == text
            and not _confirmed(stored.source_sha256, sent)
        ):
            return 0
        stored = stored or ObservationTranslation(
            observation_id=id_of(item.observation),
            language=language,
            text=text,
            source_sha256=sent.source_sha256,
            translated_by_id=id_of(user),
        )
        stored.text, stored.source_sha256 = text, sent.source_sha256
        stored.translated_by_id, stored.translated_at = id_of(user), utcnow()
        db.add(stored)
        after = {"text": text, "source_sha256": sent.source_sha256}
    record(
        db,
        actor=user,
        action="observation.translate",
        object_type="observation",
        object_id=item.observation.id,
        review_id=review.id,
        before={"language": language, **before} if before else None,
        after={"language": language, **after} if after else None,
    )
    return 1


def _record_summary(
    db: Session,
    review: Review,
    user: User,
    lst: ListOfObservations,
    language: str,
    sent: TranslatedSummary,
) -> int:
    item = _summary_item(lst, language, None)
    if item.status in ("original", "confidential"):
        raise RuleViolation(
            _l("An element written in this language, or kept confidential, is not translated.")
        )
    # A paragraph kept confidential is never recorded in translation.
    texts = [
        "" if p.is_confidential else text.strip()
        for p, text in zip(
            item.paragraphs, [*sent.paragraphs, *[""] * len(item.paragraphs)], strict=False
        )
    ]
    stored = db.exec(
        select(SummaryTranslation).where(
            SummaryTranslation.list_id == lst.id, SummaryTranslation.language == language
        )
    ).first()
    before = (
        {"paragraphs": stored.paragraphs, "source_sha256": stored.source_sha256} if stored else None
    )
    if not any(texts):
        if stored is None:
            return 0
        db.delete(stored)
        after = None
    else:
        unchanged = stored is not None and list(stored.paragraphs) == texts
        if stored is not None and unchanged and not _confirmed(stored.source_sha256, sent):
            return 0
        stored = stored or SummaryTranslation(
            list_id=id_of(lst),
            language=language,
            source_sha256=sent.source_sha256,
            translated_by_id=id_of(user),
        )
        stored.paragraphs, stored.source_sha256 = texts, sent.source_sha256
        stored.translated_by_id, stored.translated_at = id_of(user), utcnow()
        db.add(stored)
        after = {"paragraphs": texts, "source_sha256": sent.source_sha256}
    record(
        db,
        actor=user,
        action="summary.translate",
        object_type="list_of_observations",
        object_id=lst.id,
        review_id=review.id,
        before={"language": language, **before} if before else None,
        after={"language": language, **after} if after else None,
    )
    return 1
