"""Interface language and the choice of text in translated bank content."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.lists import format_list
from flask import Flask, has_request_context, request, session
from flask_babel import Babel, get_locale, get_translations
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup

TRANSLATIONS_DIR = Path(__file__).parent / "translations"
#: Languages the interface is translated into, in the order United Nations documents list the
#: six official languages (the English alphabetical order of their names: the "A C E F R S" of
#: a document's language line), which is also the order the language switch shows them in. No
#: language is put first: each is shown in its own name, and a list ordered by those names would
#: differ from one script to the next.
INTERFACE_LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")
#: The language of a visitor whose browser asks for none of the six.
DEFAULT_LANGUAGE = "en"
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
    """The user's saved language, else the session's choice, else the browser's; outside a
    request (a command, a job not writing in a recipient's language) there is no reader, and
    the text is English."""
    if not has_request_context():
        return _locale(DEFAULT_LANGUAGE)
    if getattr(current_user, "is_authenticated", False) and current_user.locale:
        return _locale(current_user.locale)
    chosen = session.get("locale")
    if chosen in INTERFACE_LANGUAGES:
        return _locale(chosen)
    return _locale(best_language(request.accept_languages))


def best_language(accepted: Iterable[tuple[str, float]]) -> str:
    """The interface language that best answers an Accept-Language header.

    The ranges are taken in the browser's order of preference, each by its primary subtag:
    `zh-CN`, `zh-Hans-SG` and `zh-TW` are answered in Chinese (the one Chinese the interface
    has), `es-419` in Spanish, `ar-EG` in Arabic. Werkzeug's `best_match` prefers any exact
    match to a better-ranked regional one (`fr-CA, en;q=0.5` gave English) and answers `*`
    with the first language offered; here `*` and unknown languages are passed over, and a
    visitor who asks for none of the six gets English.
    """
    for tag, quality in accepted:
        primary = tag.replace("_", "-").split("-", 1)[0].lower()
        if quality > 0 and primary in INTERFACE_LANGUAGES:
            return primary
    return DEFAULT_LANGUAGE


@lru_cache(maxsize=16)
def _locale(code: str) -> Locale:
    """Parsed once per language: Flask-Babel takes a Locale as it is, a code it parses."""
    return Locale.parse(code)


def current_language() -> str:
    return str(get_locale() or "en")


def text_direction(language: str) -> str:
    """`rtl` for Arabic, `ltr` for the other five."""
    return "rtl" if language.split("_")[0] in RTL_LANGUAGES else "ltr"


#: CLDR's plain English puts a comma before "and"; UN English (Oxford spelling) does not.
_LIST_LOCALES = {"en": "en_GB"}


def list_of(items: Sequence[object]) -> str:
    """Items joined as the reader's language joins a list ("A, B and C", « A, B et C »,
    "A、B和C", "A وB وC"), never with a comma written into a template."""
    language = current_language()
    return format_list([str(item) for item in items], locale=_LIST_LOCALES.get(language, language))


#: How a language separates the items of an enumeration without "and": codes such as the
#: instruments' (TIP، SOM in Arabic; TIP、SOM in Chinese).
_ENUMERATION_COMMAS = {"ar": "، ", "zh": "、"}


def codes(items: Sequence[object]) -> str:
    """Codes (the instruments' TIP, SOM…) enumerated with the reader's language's comma, without
    the "and" of a sentence's list (`list_of`)."""
    return _ENUMERATION_COMMAS.get(current_language(), ", ").join(str(item) for item in items)


def plural_texts(singular: str, plural: str) -> dict[str, str]:
    """A count's message in each plural category of the reader's language (CLDR's zero, one,
    two, few, many, other), `{n}` where the number goes, for a script that counts as the reader
    types: Arabic has six forms, Russian three, Chinese one; "one" and "other" are not enough."""
    translations = get_translations()
    rule = _locale(current_language()).plural_form
    texts: dict[str, str] = {}
    for number in range(200):  # every category of the six languages has an example below 200
        category = rule(number)
        if category not in texts:
            text = translations.ungettext(singular, plural, number)
            texts[category] = text.replace("%(num)d", "{n}")
    return texts


#: Unicode's directional isolates: what is between them is laid out as a unit of its own
#: direction, and does not reorder the punctuation and numbers around it.
FIRST_STRONG_ISOLATE, LEFT_TO_RIGHT_ISOLATE, POP_ISOLATE = "\u2068", "\u2066", "\u2069"


def isolated(text: str, language: str) -> str:
    """`text`, written in `language`, kept whole inside the reader's text when the two run in
    different directions (an English question not yet translated, in an Arabic page); as it is
    otherwise. Isolates rather than markup, so that pages, e-mails and exports all keep it."""
    if not text or text_direction(language) == text_direction(current_language()):
        return text
    return f"{FIRST_STRONG_ISOLATE}{text}{POP_ISOLATE}"


def left_to_right(text: str) -> str:
    """A reference or key (`5(1)(a)`, `TIP-5-1`) kept left to right in right-to-left text,
    where "3(a)" would otherwise show as "(a)3"."""
    if not text or text_direction(current_language()) == "ltr":
        return text
    return f"{LEFT_TO_RIGHT_ISOLATE}{text}{POP_ISOLATE}"


def sentences(*texts: str) -> str:
    """Whole sentences one after the other: Chinese writes no space between them."""
    separator = "" if current_language().startswith("zh") else " "
    return separator.join(text for text in texts if text)


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
        text: str = translations.ugettext(string)
        if context.eval_ctx.autoescape:
            text = Markup(text)
        if not variables and "%" not in text:
            return text  # what the formatting would give, without its cost
        return text % variables

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
            "text_direction": text_direction(language),
            "language_names": LANGUAGE_NAMES,
            "interface_languages": [
                (code, LANGUAGE_NAMES[code], text_direction(code)) for code in INTERFACE_LANGUAGES
            ],
        }

    app.add_template_filter(list_of)
    app.add_template_filter(codes)
    app.add_template_global(plural_texts)
