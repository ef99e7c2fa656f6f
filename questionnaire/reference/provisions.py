"""Provision texts: loaded by the secretariat from the authentic texts, shown beside questions.

A provisions file (docs/provisions.md) holds entries per instrument, article and language,
each split into paragraphs copied verbatim. Loading an entry replaces what was on file for
that article in that language; the file is checked whole before anything changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from sqlalchemy import bindparam, or_
from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from questionnaire import db as database
from questionnaire import yamldata
from questionnaire.audit.services import record
from questionnaire.db import utcnow
from questionnaire.reference.instruments import DATA_DIR, load_instrument_data
from questionnaire.reference.models import ProvisionParagraph
from questionnaire.reference.names import UN_LANGUAGES

PROVISIONS_FILE = DATA_DIR / "provisions.yaml"
SCHEMA_VERSION = 1
#: UNODC's page of the Convention and its Protocols, where the authentic texts are published.
AUTHENTIC_TEXTS_URL = "https://www.unodc.org/unodc/en/organized-crime/intro/UNTOC.html"


class ProvisionsFileError(ValueError):
    """The provisions file is malformed; the message names the entry and the field."""


@dataclass(frozen=True)
class Paragraph:
    """One paragraph as written in the file: its printed number (may be empty) and text."""

    number: str
    text: str


@dataclass(frozen=True)
class ProvisionEntry:
    """One article in one language, as given in a provisions file."""

    instrument: str
    article: int
    language: str
    is_complete: bool
    source: str
    paragraphs: tuple[Paragraph, ...]


@dataclass(frozen=True)
class ProvisionText:
    """The text of one article in one language, as shown on a page."""

    text: str
    is_complete: bool
    source: str
    language: str


def _entry(raw: object, where: str) -> ProvisionEntry:
    if not isinstance(raw, dict):
        raise ProvisionsFileError(f"{where}: expected a mapping")
    instruments = load_instrument_data().instruments
    instrument = raw.get("instrument")
    if instrument not in instruments:
        raise ProvisionsFileError(
            f"{where}.instrument: {instrument!r} is not one of {', '.join(instruments)}"
        )
    article = raw.get("article")
    count = instruments[instrument].article_count
    if not isinstance(article, int) or not 1 <= article <= count:
        raise ProvisionsFileError(
            f"{where}.article: {article!r} is not an article of {instrument} (1 to {count})"
        )
    language = raw.get("language")
    if language not in UN_LANGUAGES:
        raise ProvisionsFileError(
            f"{where}.language: {language!r} is not one of {', '.join(UN_LANGUAGES)}"
        )
    if not isinstance(raw.get("source"), str) or not raw["source"].strip():
        raise ProvisionsFileError(f"{where}.source: name the authentic text the entry comes from")
    if not isinstance(raw.get("complete"), bool):
        raise ProvisionsFileError(f"{where}.complete: expected true or false")
    where = f"{where} ({instrument} {article} {language})"
    return ProvisionEntry(
        instrument=instrument,
        article=article,
        language=language,
        is_complete=raw["complete"],
        source=raw["source"].strip(),
        paragraphs=_paragraphs(raw.get("paragraphs"), where),
    )


def _paragraphs(raw: object, where: str) -> tuple[Paragraph, ...]:
    if not isinstance(raw, list) or not raw:
        raise ProvisionsFileError(f"{where}.paragraphs: expected a list of paragraphs")
    found: list[Paragraph] = []
    for index, item in enumerate(raw):
        at = f"{where}.paragraphs[{index}]"
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            raise ProvisionsFileError(f"{at}.text: expected the paragraph's text")
        number = str(item.get("number") or "")
        if len(number) > 10:
            raise ProvisionsFileError(f"{at}.number: {number!r} is longer than 10 characters")
        if number in {p.number for p in found}:
            raise ProvisionsFileError(f"{at}.number: paragraph {number!r} is given twice")
        if not item["text"].strip():
            raise ProvisionsFileError(f"{at}.text: the text is empty")
        found.append(Paragraph(number, item["text"].strip()))
    return tuple(found)


def read_provisions(path: Path) -> list[ProvisionEntry]:
    """The entries of a provisions file, checked whole."""
    try:
        raw = yamldata.load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise ProvisionsFileError(f"{path.name}: not valid YAML ({error})") from error
    if not isinstance(raw, dict) or raw.get("schema_version") != SCHEMA_VERSION:
        raise ProvisionsFileError(f"{path.name}: schema_version must be {SCHEMA_VERSION}")
    texts = raw.get("texts")
    if not isinstance(texts, list):
        raise ProvisionsFileError(f"{path.name}: top-level field `texts` must be a list")
    entries = [_entry(item, f"{path.name}: texts[{i}]") for i, item in enumerate(texts)]
    seen: set[tuple[str, int, str]] = set()
    for index, entry in enumerate(entries):
        key = (entry.instrument, entry.article, entry.language)
        if key in seen:
            raise ProvisionsFileError(
                f"{path.name}: texts[{index}]: {' '.join(map(str, key))} is given twice"
            )
        seen.add(key)
    return entries


def load_provisions(db: Session, path: Path = PROVISIONS_FILE) -> int:
    """Replace the texts on file for every article and language of the file; returns entries."""
    entries = read_provisions(path)
    now = utcnow()
    for entry in entries:
        for row in _rows(db, entry.instrument, entry.article, entry.language):
            db.delete(row)
        db.flush()
        for position, paragraph in enumerate(entry.paragraphs):
            db.add(
                ProvisionParagraph(
                    instrument=entry.instrument,
                    article=entry.article,
                    paragraph=paragraph.number,
                    position=position,
                    language=entry.language,
                    text=paragraph.text,
                    is_article_complete=entry.is_complete,
                    source=entry.source,
                    loaded_at=now,
                )
            )
    db.flush()
    record(
        db,
        actor=None,
        action="provisions.load",
        object_type="provision_text",
        object_id=path.name,
        after=[f"{e.instrument} {e.article} {e.language}" for e in entries],
    )
    return len(entries)


def _rows(db: Session, instrument: str, article: int, language: str) -> list[ProvisionParagraph]:
    return list(
        db.exec(
            select(ProvisionParagraph)
            .where(
                ProvisionParagraph.instrument == instrument,
                ProvisionParagraph.article == article,
                ProvisionParagraph.language == language,
            )
            .order_by(col(ProvisionParagraph.position))
        )
    )


_PROVISION = ProvisionParagraph.__table__  # type: ignore[attr-defined]
#: An article's paragraphs in the reader's language and in English, in one query read as plain
#: rows and built once with bound parameters: every article page shows the text, and building
#: the statement and an object per paragraph cost several times the query itself.
_TEXT_ROWS = (
    core_select(
        _PROVISION.c.language,
        _PROVISION.c.paragraph,
        _PROVISION.c.text,
        _PROVISION.c.is_article_complete,
        _PROVISION.c.source,
    )
    .where(
        _PROVISION.c.instrument == bindparam("instrument"),
        _PROVISION.c.article == bindparam("article"),
        or_(
            _PROVISION.c.language == bindparam("language"),
            _PROVISION.c.language == bindparam("fallback"),
        ),
    )
    .order_by(_PROVISION.c.position)
)
FALLBACK_LANGUAGE = "en"


def _shown(number: str, text: str) -> str:
    """The paragraph's text, with its number in front where the text does not print it."""
    if number and not text.startswith(f"{number}."):
        return f"{number}. {text}"
    return text


def provision_text(
    instrument: str, article: int, language: str, db: Session | None = None
) -> ProvisionText | None:
    """The article's text in `language`, else in English, else None (not on file)."""
    session = db or database.session()
    params = {
        "instrument": instrument,
        "article": article,
        "language": language,
        "fallback": FALLBACK_LANGUAGE,
    }
    rows = session.connection().execute(_TEXT_ROWS, params).all()
    for candidate in (language, FALLBACK_LANGUAGE):
        chosen = [row for row in rows if row.language == candidate]
        if chosen:
            return ProvisionText(
                text="\n".join(_shown(row.paragraph, row.text) for row in chosen),
                is_complete=all(row.is_article_complete for row in chosen),
                source=chosen[0].source,
                language=candidate,
            )
    return None


@dataclass(frozen=True)
class Coverage:
    """How many articles of an instrument are on file in one language."""

    instrument: str
    language: str
    articles: int
    complete: int
    partial: int

    @property
    def missing(self) -> int:
        return self.articles - self.complete - self.partial


def provision_coverage(db: Session) -> list[Coverage]:
    """Per instrument and UN language, the articles on file whole, in part and not at all."""
    state: dict[tuple[str, str, int], bool] = {}
    for row in db.exec(select(ProvisionParagraph)):
        key = (row.instrument, row.language, row.article)
        state[key] = state.get(key, True) and row.is_article_complete
    found = []
    for code, instrument in load_instrument_data().instruments.items():
        for language in UN_LANGUAGES:
            flags = [v for (i, lang, _), v in state.items() if i == code and lang == language]
            found.append(
                Coverage(
                    instrument=code,
                    language=language,
                    articles=instrument.article_count,
                    complete=sum(flags),
                    partial=len(flags) - sum(flags),
                )
            )
    return found
