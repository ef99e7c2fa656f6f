"""Fixed wording of meeting documents that depends on the language: ordinal words, times of day,
a meeting's place and dates, a weekday with its date, agenda item labels.

English and French are written out; other languages take digits and the interface catalog's
sentences (which fall back to English until their catalogs exist).
"""

from __future__ import annotations

from datetime import date, timedelta

from babel import Locale
from babel.dates import format_date
from flask_babel import gettext as _

from questionnaire.dates import date_pattern

ORDINALS = {
    "en": [
        "first",
        "second",
        "third",
        "fourth",
        "fifth",
        "sixth",
        "seventh",
        "eighth",
        "ninth",
        "tenth",
        "eleventh",
        "twelfth",
        "thirteenth",
        "fourteenth",
        "fifteenth",
        "sixteenth",
        "seventeenth",
        "eighteenth",
        "nineteenth",
        "twentieth",
    ],
    "fr": [
        "première",
        "deuxième",
        "troisième",
        "quatrième",
        "cinquième",
        "sixième",
        "septième",
        "huitième",
        "neuvième",
        "dixième",
        "onzième",
        "douzième",
        "treizième",
        "quatorzième",
        "quinzième",
        "seizième",
        "dix-septième",
        "dix-huitième",
        "dix-neuvième",
        "vingtième",
    ],
}
#: Numbers below ten are written in words in UN documents.
CARDINALS = {
    "en": ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"],
    "fr": ["une", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf"],
}


def ordinal(number: int, language: str) -> str:
    """ "tenth" (« dixième », of a meeting); digits where no words are on file."""
    words = ORDINALS.get(language)
    return words[number - 1] if words and number <= len(words) else f"{number}."


def cardinal(number: int, language: str) -> str:
    words = CARDINALS.get(language)
    return words[number - 1] if words and 1 <= number <= len(words) else str(number)


def long_date(value: date, language: str) -> str:
    return format_date(value, date_pattern(language), locale=language)


def weekday_date(value: date, language: str) -> str:
    """ "Wednesday, 2 June 2027", « Mercredi 2 juin 2027 »."""
    separator = ", " if language == "en" else " "
    text = format_date(value, f"EEEE'{separator}'{date_pattern(language)}", locale=language)
    return text[:1].upper() + text[1:]


def time_of_day(hhmm: str, language: str) -> str:
    """ "10 a.m.", « 10 heures »."""
    hours, minutes = (int(part) for part in hhmm.split(":"))
    if language == "en":
        suffix = "a.m." if hours < 12 else "p.m."
        shown = hours % 12 or 12
        return f"{shown} {suffix}" if not minutes else f"{shown}.{minutes:02d} {suffix}"
    if language == "fr":
        return f"{hours} heures" if not minutes else f"{hours} h {minutes:02d}"
    return f"{hours:02d}:{minutes:02d}"


def place_and_dates(place: str, first: date, last: date, language: str) -> str:
    """ "Vienna, 2 and 3 June 2027", "Vienna, 2–4 June 2027", "Vienna, 30 June–2 July 2027"."""
    if first == last:
        return _("%(place)s, %(date)s", place=place, date=long_date(first, language))
    if (first.year, first.month) == (last.year, last.month):
        day, until = str(first.day), long_date(last, language)
        if last - first == timedelta(days=1):
            return _(
                "%(place)s, %(first_day)s and %(last_date)s",
                place=place,
                first_day=day,
                last_date=until,
            )
        return _(
            "%(place)s, %(first_day)s–%(last_date)s", place=place, first_day=day, last_date=until
        )
    return _(
        "%(place)s, %(first_date)s–%(last_date)s",
        place=place,
        first_date=long_date(first, language),
        last_date=long_date(last, language),
    )


def item_label(number: int, letter: str | None) -> str:
    """An item as the organization of work names it: "1 (a)", « 1 a) »."""
    if letter is None:
        return str(number)
    return _("%(number)s (%(letter)s)", number=number, letter=letter)


def sub_item_label(letter: str) -> str:
    """A sub-item's letter as the agenda lists it: "(a)", « a) »."""
    return _("(%(letter)s)", letter=letter)


def language_name(code: str, language: str) -> str:
    """The name of the language `code`, written in `language`: "English", « anglais »."""
    return Locale.parse(language).languages.get(code, code)


def own_language_name(language: str) -> str:
    """A version's language line, in its own language: "Français", "Español"."""
    name = Locale.parse(language).get_display_name(language) or language
    return name[:1].upper() + name[1:]
