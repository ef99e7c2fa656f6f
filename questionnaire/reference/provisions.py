"""The provision texts on file, shown beside the questions that ask about them."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from questionnaire.reference.instruments import DATA_DIR

PROVISIONS_FILE = DATA_DIR / "provisions.yaml"


@dataclass(frozen=True)
class ProvisionText:
    """The text of one article in one language, as copied from a public source."""

    text: str
    is_complete: bool
    source: str
    language: str


@lru_cache(maxsize=2)
def _load(path: Path = PROVISIONS_FILE) -> dict:
    if not path.exists():
        return {}
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def provision_text(instrument: str, article: int, language: str) -> ProvisionText | None:
    """The article's text in `language`, else in English, else None (not on file)."""
    entry = (_load().get(instrument) or {}).get(article) or {}
    for candidate in (language, "en"):
        found = entry.get(candidate)
        if found and found.get("text"):
            return ProvisionText(
                text=found["text"].strip(),
                is_complete=bool(found.get("complete", False)),
                source=found.get("source", ""),
                language=candidate,
            )
    return None
