"""State names in the six UN languages, as in United Nations documents.

The names are editable data (`reference/data/state_names.yaml`, the UN terminology short
names); nothing here derives a name from ISO 3166. Lists of States are sorted in the reader's
language with `collation_key`, which ignores case and accents as a UN list does.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from questionnaire import yamldata
from questionnaire.reference.instruments import DATA_DIR
from questionnaire.reference.models import State

NAMES_FILE = DATA_DIR / "state_names.yaml"
UN_LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")

StateLike = TypeVar("StateLike", bound=State)


class StateNamesError(ValueError):
    """The names file is malformed; the message names the entry and the field."""


@dataclass(frozen=True)
class StateNames:
    """One State's names per language, with the languages not yet checked."""

    code: str
    names: dict[str, str]
    unverified: frozenset[str]


@dataclass(frozen=True)
class NamesData:
    """The whole names file."""

    source: str
    states: dict[str, StateNames]


def parse_state_names(raw: object, where: str = "state_names.yaml") -> NamesData:
    """Check and type the parsed names file; every State needs all six languages."""
    if not isinstance(raw, dict) or not isinstance(raw.get("names"), dict):
        raise StateNamesError(f"{where}: top-level field `names` must be a mapping")
    states = {}
    for code, entry in raw["names"].items():
        if not isinstance(entry, dict):
            raise StateNamesError(f"{where}: names.{code}: expected a mapping of languages")
        for language in UN_LANGUAGES:
            value = entry.get(language)
            if not isinstance(value, str) or not value.strip():
                raise StateNamesError(f"{where}: names.{code}.{language}: the name is missing")
        unverified = entry.get("unverified") or []
        unknown = set(unverified) - set(UN_LANGUAGES)
        if unknown:
            raise StateNamesError(
                f"{where}: names.{code}.unverified: unknown language {', '.join(sorted(unknown))}"
            )
        names = {language: entry[language].strip() for language in UN_LANGUAGES}
        states[str(code)] = StateNames(str(code), names, frozenset(unverified))
    return NamesData(source=str(raw.get("source", "")), states=states)


@lru_cache(maxsize=2)
def load_state_names(path: Path = NAMES_FILE) -> NamesData:
    """Read and cache the names file."""
    with path.open(encoding="utf-8") as handle:
        return parse_state_names(yamldata.load(handle), path.name)


def names_of(code: str) -> StateNames | None:
    """The names on file for a code, or None."""
    return load_state_names().states.get(code)


def english_name(code: str, names: dict[str, str] | None = None) -> str:
    """The English name for a code: from the names file, else the given names, else the code."""
    found = names_of(code)
    if found:
        return found.names["en"]
    if names and names.get("en"):
        return names["en"]
    return code


def state_name(state: State, language: str = "en") -> str:
    """The State's name in `language` (English for a language with no name on file)."""
    found = names_of(state.code)
    if found:
        return found.names.get(language) or found.names["en"]
    if state.names:
        return state.names.get(language) or state.names.get("en") or state.code
    return state.name_en or state.code


def collation_key(text: str) -> tuple[str, str]:
    """A sort key that ignores accents, case and punctuation first, as a UN list does.

    Decomposing (NFKD) and dropping the combining marks puts Côte d'Ivoire with C, Îles Cook
    with I and Ёмкость with Е; Arabic short vowels and hamza carriers fold to the bare letter.
    Ties are broken by the full text so the order is stable. Chinese sorts by code point, not
    by pinyin or strokes.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    base = "".join(
        char
        for char in decomposed
        if not unicodedata.combining(char) and (char.isalnum() or char == " ")
    )
    return (" ".join(base.casefold().split()), text)


def name_keys(states: Iterable[State], language: str) -> dict[str, tuple[str, str]]:
    """The `collation_key` of each State's name in `language`, by code: for sorting many rows
    by their States with each name keyed once."""
    return {state.code: collation_key(state_name(state, language)) for state in states}


def sort_states(states: Iterable[StateLike], language: str) -> list[StateLike]:
    """The States sorted by their names in `language`."""
    return sorted(states, key=lambda state: collation_key(state_name(state, language)))


def sort_names(names: Sequence[str]) -> list[str]:
    """Names sorted with `collation_key`."""
    return sorted(names, key=collation_key)
