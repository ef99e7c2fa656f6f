"""Interface language and the choice of text in translated bank content."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel import Locale
from flask import Flask, request, session
from flask_babel import Babel, get_locale, get_translations
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup

TRANSLATIONS_DIR = Path(__file__).parent / "translations"
#: Languages the interface is translated into; bank content may offer more.
INTERFACE_LANGUAGES = ("en", "fr")
LANGUAGE_NAMES = {
    "en": "English",
    "fr": "Français",
    "es": "Español",
    "ru": "Русский",
    "ar": "العربية",
    "zh": "中文",
}
RTL_LANGUAGES = frozenset({"ar"})


def select_locale() -> Locale:
    """The user's saved language, else the session's choice, else the browser's."""
    if getattr(current_user, "is_authenticated", False) and current_user.locale:
        return _locale(current_user.locale)
    chosen = session.get("locale")
    if chosen in INTERFACE_LANGUAGES:
        return _locale(chosen)
    return _locale(request.accept_languages.best_match(INTERFACE_LANGUAGES) or "en")


@lru_cache(maxsize=16)
def _locale(code: str) -> Locale:
    """Parsed once per language: Flask-Babel takes a Locale as it is, a code it parses."""
    return Locale.parse(code)


def current_language() -> str:
    return str(get_locale() or "en")


@dataclass(frozen=True)
class Localized:
    """A text chosen for the reader's language; `language` says which one it is in."""

    text: str
    language: str

    @property
    def is_fallback(self) -> bool:
        return self.language != current_language()

    def __str__(self) -> str:
        return self.text


def localize(texts: Mapping[Any, str] | None, language: str | None = None) -> Localized | None:
    """Pick the text for `language` (default: the current one), falling back to English."""
    if not texts:
        return None
    language = language or current_language()
    for candidate in (language, "en", "fr"):
        value = texts.get(candidate)
        if value:
            return Localized(value, candidate)
    return None


def _template_translations(translations: Any) -> dict[str, Callable[..., Any]]:
    """`gettext` and `ngettext` for one rendering, bound to the request's catalog.

    Flask-Babel installs template functions that look the catalog up again on every call
    (locale selector, context stack, cache); a page with dozens of messages paid for that on
    each. These do exactly what Jinja's "newstyle" gettext does with Flask-Babel's functions
    (translate, mark safe under autoescaping so that the %-formatting escapes the variables,
    format even without variables), with the catalog looked up once per rendering. The
    i18n extension resolves `_`, `gettext` and `ngettext` from the template's context, so
    these take precedence over the environment's; imported macros keep Flask-Babel's.
    """

    @pass_context
    def gettext(context: Any, string: str, **variables: Any) -> str:
        text = translations.ugettext(string)
        if context.eval_ctx.autoescape:
            text = Markup(text)
        if not variables and "%" not in text:
            return text  # what the formatting would give, without its cost
        return text % variables  # type: ignore[no-any-return]

    @pass_context
    def ngettext(context: Any, singular: str, plural: str, num: int, **variables: Any) -> str:
        variables.setdefault("num", num)
        text = translations.ungettext(singular, plural, num)
        if context.eval_ctx.autoescape:
            text = Markup(text)
        return text % variables  # type: ignore[no-any-return]

    return {"gettext": gettext, "ngettext": ngettext}


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS_DIR))
    Babel(app, locale_selector=select_locale)

    @app.context_processor
    def _language_context() -> dict[str, object]:
        language = current_language()
        return {
            **_template_translations(get_translations()),
            "current_language": language,
            "text_direction": "rtl" if language in RTL_LANGUAGES else "ltr",
            "interface_languages": [(code, LANGUAGE_NAMES[code]) for code in INTERFACE_LANGUAGES],
        }
