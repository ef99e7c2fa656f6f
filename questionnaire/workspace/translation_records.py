"""Recording the secretariat's translations of a list of observations and its summary, and
correcting the languages they were written in (what a list reads like in a language, and when
a translation is stale: `questionnaire.workspace.translations`)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from questionnaire.accounts.models import User
from questionnaire.audit.services import record
from questionnaire.db import id_of, utcnow
from questionnaire.errors import RuleViolation
from questionnaire.reviews.models import Review
from questionnaire.workspace.languages import OFFICIAL_LANGUAGES
from questionnaire.workspace.models import (
    MAX_TEXT,
    ListOfObservations,
    ObservationTranslation,
    SummaryTranslation,
)
from questionnaire.workspace.services import list_of
from questionnaire.workspace.translations import (
    ObservationItem,
    list_in_language,
    summary_item,
)


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
    item = summary_item(lst, language, None)
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
