"""State names in the six UN languages, from pycountry's ISO 3166 translations."""

from __future__ import annotations

import gettext
from functools import lru_cache

import pycountry

from questionnaire.reference.models import State


@lru_cache(maxsize=8)
def _catalog(language: str) -> gettext.NullTranslations:
    if language == "en":
        return gettext.NullTranslations()
    return gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True
    )


@lru_cache(maxsize=2048)
def _iso_name(code: str, language: str) -> str | None:
    country = pycountry.countries.get(alpha_3=code)
    if country is None:
        return None
    # The common name reads better than the formal one ("Bolivia" for the heading).
    english = getattr(country, "common_name", None) or country.name
    if language == "en":
        return english
    translated = _catalog(language).gettext(english)
    if translated == english:
        translated = _catalog(language).gettext(country.name)
    return translated


def english_name(code: str, names: dict[str, str] | None = None) -> str:
    """The English name for a code, from the explicit names or pycountry."""
    if names and names.get("en"):
        return names["en"]
    return _iso_name(code, "en") or code


def state_name(state: State, language: str = "en") -> str:
    """The State's name in `language`, falling back to English."""
    if state.names:
        return state.names.get(language) or state.names.get("en") or state.code
    return _iso_name(state.code, language) or state.name_en
