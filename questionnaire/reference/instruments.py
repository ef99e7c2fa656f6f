"""The instruments, their articles and the review clusters, read from editable data.

The mapping of articles to clusters is data the secretariat edits
(`reference/data/instruments.yaml`), never code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from questionnaire import yamldata

DATA_DIR = Path(__file__).parent / "data"
INSTRUMENTS_FILE = DATA_DIR / "instruments.yaml"


@dataclass(frozen=True)
class Article:
    """One article of an instrument with its heading per language."""

    number: int
    title: dict[str, str]
    #: languages whose heading is believed right but not checked against the authentic text
    unverified: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Instrument:
    """The Convention or one of its Protocols."""

    code: str
    title: dict[str, str]
    working_group: str | None
    articles: dict[int, Article]
    #: the instrument's own entry into force; for a later party, see `treaty_status`
    in_force: date | None = None
    #: how many articles the instrument has (provision coverage counts against it)
    article_count: int = 0
    #: languages whose title is not yet checked against the authentic text
    title_unverified: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Cluster:
    """A thematic cluster of articles reviewed in one phase."""

    id: str
    title: dict[str, str]
    status: str
    articles: dict[str, tuple[int, ...]] = field(default_factory=dict)
    #: languages whose title is not yet checked
    title_unverified: frozenset[str] = frozenset()


@dataclass(frozen=True)
class InstrumentData:
    """Everything in the instruments file."""

    instruments: dict[str, Instrument]
    clusters: dict[str, Cluster]

    def article(self, instrument: str, number: int) -> Article | None:
        found = self.instruments.get(instrument)
        return found.articles.get(number) if found else None


def _texts(raw: dict[str, Any]) -> tuple[dict[str, str], frozenset[str]]:
    texts: dict[str, str] = {}
    unverified = set()
    for key, value in raw.items():
        language = key.rstrip("?")
        if key.endswith("?"):
            unverified.add(language)
        texts[language] = value
    return texts, frozenset(unverified)


def parse_instrument_data(raw: dict[str, Any]) -> InstrumentData:
    """Build typed instrument data from the parsed YAML mapping."""
    instruments = {}
    for code, body in raw["instruments"].items():
        articles = {}
        for number, heading in (body.get("articles") or {}).items():
            title, unverified = _texts(heading)
            articles[int(number)] = Article(int(number), title, unverified)
        title, title_unverified = _texts(body["title"])
        instruments[code] = Instrument(
            code=code,
            title=title,
            title_unverified=title_unverified,
            working_group=body.get("working_group"),
            articles=articles,
            in_force=body.get("in_force"),
            article_count=int(body.get("article_count") or 0),
        )
    clusters = {
        str(entry["id"]): Cluster(
            id=str(entry["id"]),
            title=_texts(entry["title"])[0],
            status=entry.get("status", "provisional"),
            articles={k: tuple(v) for k, v in (entry.get("articles") or {}).items()},
            title_unverified=_texts(entry["title"])[1],
        )
        for entry in raw["clusters"]
    }
    return InstrumentData(instruments=instruments, clusters=clusters)


@lru_cache(maxsize=4)
def load_instrument_data(path: Path = INSTRUMENTS_FILE) -> InstrumentData:
    """Read and cache the instruments file."""
    with path.open(encoding="utf-8") as handle:
        return parse_instrument_data(yamldata.load(handle))


@dataclass(frozen=True)
class ArticleHeading:
    """An article's heading in the reader's language, and whether it is checked."""

    number: int
    text: str | None
    is_unverified: bool


def article_heading(instrument: str, number: int, language: str) -> ArticleHeading:
    """The heading in `language`, else in English; None when no heading is on file."""
    article = load_instrument_data().article(instrument, number)
    if article is None:
        return ArticleHeading(number, None, False)
    if article.title.get(language):
        return ArticleHeading(number, article.title[language], language in article.unverified)
    english = article.title.get("en")
    return ArticleHeading(number, english, "en" in article.unverified)
