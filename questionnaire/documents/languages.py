"""The languages of a conference room paper: the line of its heading that gives the language
its lists were written in ("Original: English", « Original : anglais »), and the rule that a
version in a language is made only from current translations of every list it contains."""

from __future__ import annotations

from flask_babel import LazyString, ngettext
from flask_babel import lazy_gettext as _l

from questionnaire.documents.eligibility import reader_language
from questionnaire.errors import RuleViolation
from questionnaire.reference.models import State
from questionnaire.reference.names import state_name
from questionnaire.wording import language_name
from questionnaire.workspace.languages import OFFICIAL_LANGUAGES
from questionnaire.workspace.models import ListOfObservations
from questionnaire.workspace.translations import ListInLanguage

#: "Original:" as each language's version of a UN document writes it.
ORIGINAL_PREFIX = {
    "en": "Original: ",
    "fr": "Original : ",
    "es": "Original: ",
    "ru": "Подлинный текст: ",
    "ar": "الأصل: ",
    "zh": "原件：",
}
#: The name of the original language after that prefix, in each language's version:
#: « Original : anglais », "Подлинный текст: английский", "الأصل: بالإنكليزية", "原件：英文".
ORIGINAL_NAMES = {
    "en": {
        "ar": "Arabic",
        "zh": "Chinese",
        "en": "English",
        "fr": "French",
        "ru": "Russian",
        "es": "Spanish",
    },
    "fr": {
        "ar": "arabe",
        "zh": "chinois",
        "en": "anglais",
        "fr": "français",
        "ru": "russe",
        "es": "espagnol",
    },
    "es": {
        "ar": "árabe",
        "zh": "chino",
        "en": "inglés",
        "fr": "francés",
        "ru": "ruso",
        "es": "español",
    },
    "ru": {
        "ar": "арабский",
        "zh": "китайский",
        "en": "английский",
        "fr": "французский",
        "ru": "русский",
        "es": "испанский",
    },
    "ar": {
        "ar": "بالعربية",
        "zh": "بالصينية",
        "en": "بالإنكليزية",
        "fr": "بالفرنسية",
        "ru": "بالروسية",
        "es": "بالإسبانية",
    },
    "zh": {
        "ar": "阿拉伯文",
        "zh": "中文",
        "en": "英文",
        "fr": "法文",
        "ru": "俄文",
        "es": "西班牙文",
    },
}


def original_line(originals: list[str], language: str) -> str:
    """The heading's original line of the version in `language`; several originals are
    joined by a slash, in the order of the official languages ("Original: English/French")."""
    names = ORIGINAL_NAMES[language]
    chosen = [code for code in OFFICIAL_LANGUAGES if code in originals] or ["en"]
    return ORIGINAL_PREFIX[language] + "/".join(names[code] for code in chosen)


def originals_of(lists: list[ListOfObservations]) -> list[str]:
    """The languages the lists' observations and summaries are written in."""
    found = {lst.original_language or "en" for lst in lists}
    found |= {lst.summary_language or "en" for lst in lists if lst.summary.strip()}
    return [code for code in OFFICIAL_LANGUAGES if code in found]


def check_translations(
    lists: list[tuple[State, int, ListInLanguage]], language: str, symbol: str
) -> None:
    """Refuse the version of `symbol` in `language` when a list (its State, its review,
    its texts in `language`) lacks a translation or has one made from an earlier text."""
    problems = [
        (state, review, found) for state, review, found in lists if found.missing or found.stale
    ]
    if not problems:
        return
    raise RuleViolation(
        _l(
            "%(symbol)s cannot be issued in %(language)s until the lists it contains are "
            "translated: %(problems)s Record the translations on each list's translations page "
            "(List of observations, then Translations).",
            symbol=symbol,
            language=LazyString(lambda: language_name(language, reader_language())),
            problems=LazyString(lambda: " ".join(_problem(*p, language) for p in problems)),
        )
    )


def _problem(state: State, review: int, found: ListInLanguage, language: str) -> str:
    reader = reader_language()
    name = language_name(language, reader)
    state_called = state_name(state, reader)
    sentences = []
    if found.missing:
        sentences.append(
            ngettext(
                "The list of observations of %(state)s (review %(review)s) has %(num)d element "
                "not translated into %(language)s.",
                "The list of observations of %(state)s (review %(review)s) has %(num)d elements "
                "not translated into %(language)s.",
                found.missing,
                state=state_called,
                review=review,
                language=name,
            )
        )
    if found.stale:
        sentences.append(
            ngettext(
                "The list of observations of %(state)s (review %(review)s) has %(num)d element "
                "whose translation into %(language)s is out of date: its original changed after "
                "it was translated.",
                "The list of observations of %(state)s (review %(review)s) has %(num)d elements "
                "whose translations into %(language)s are out of date: their original changed "
                "after they were translated.",
                found.stale,
                state=state_called,
                review=review,
                language=name,
            )
        )
    return " ".join(sentences)
