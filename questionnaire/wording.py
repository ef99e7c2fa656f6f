"""Fixed wording of meeting documents that depends on the language: ordinal words, times of day,
a meeting's place and dates, a weekday with its date, agenda item labels.

English and French are written out; other languages take digits and the interface catalog's
sentences (which fall back to English until their catalogs exist). Documents in Arabic write
their numbers in Arabic-Indic digits (٧ تموز/يوليه ٢٠٢٧), letter sub-items in the Arabic
alphabetical order (أ، ب، ج), and keep symbols left to right inside the text (`isolated`).
"""

from __future__ import annotations

from datetime import date, timedelta

from babel import Locale
from babel.dates import format_date
from flask_babel import gettext as _

from questionnaire.dates import date_pattern
from questionnaire.i18n import current_language

#: Languages written right to left.
RTL = frozenset({"ar"})
_ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
#: The letters of sub-items in Arabic documents, in the order of the abjad: (أ), (ب), (ج)…
# fmt: off
_ABJAD = ("أ", "ب", "ج", "د", "هـ", "و", "ز", "ح", "ط", "ي", "ك", "ل", "م",
          "ن", "س", "ع", "ف", "ص", "ق", "ر", "ش", "ت", "ث", "خ", "ذ", "ض")
# fmt: on
ARABIC_LETTERS = dict(zip("abcdefghijklmnopqrstuvwxyz", _ABJAD, strict=True))
#: Unicode's left-to-right isolate and its end: what `unicode-bidi: isolate` does, in text.
_LRI, _PDI = "\u2066", "\u2069"

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
    # Spanish: feminine, as "reunión" is; Russian: neuter, as "совещание" is; Arabic:
    # masculine and definite, following "الاجتماع".
    "es": [
        "primera",
        "segunda",
        "tercera",
        "cuarta",
        "quinta",
        "sexta",
        "séptima",
        "octava",
        "novena",
        "décima",
        "undécima",
        "duodécima",
        "decimotercera",
        "decimocuarta",
        "decimoquinta",
        "decimosexta",
        "decimoséptima",
        "decimoctava",
        "decimonovena",
        "vigésima",
    ],
    "ru": [
        "первое",
        "второе",
        "третье",
        "четвертое",
        "пятое",
        "шестое",
        "седьмое",
        "восьмое",
        "девятое",
        "десятое",
        "одиннадцатое",
        "двенадцатое",
        "тринадцатое",
        "четырнадцатое",
        "пятнадцатое",
        "шестнадцатое",
        "семнадцатое",
        "восемнадцатое",
        "девятнадцатое",
        "двадцатое",
    ],
    "ar": [
        "الأول",
        "الثاني",
        "الثالث",
        "الرابع",
        "الخامس",
        "السادس",
        "السابع",
        "الثامن",
        "التاسع",
        "العاشر",
        "الحادي عشر",
        "الثاني عشر",
        "الثالث عشر",
        "الرابع عشر",
        "الخامس عشر",
        "السادس عشر",
        "السابع عشر",
        "الثامن عشر",
        "التاسع عشر",
        "العشرون",
    ],
}
#: Numbers below ten are written in words in UN documents.
CARDINALS = {
    "en": ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"],
    "fr": ["une", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf"],
}


def ordinal(number: int, language: str) -> str:
    """ "tenth" (« dixième », « décima », « десятое », « العاشر », of a meeting); digits
    beyond the words on file ("21."), and in Chinese, where the sentence around the number
    makes it an ordinal ("第11次")."""
    words = ORDINALS.get(language)
    if words and number <= len(words):
        return words[number - 1]
    return numerals(number, language) if language in ("ar", "zh") else f"{number}."


def cardinal(number: int, language: str) -> str:
    words = CARDINALS.get(language)
    return words[number - 1] if words and 1 <= number <= len(words) else numerals(number, language)


def numerals(value: object, language: str) -> str:
    """`value` as text with the digits the document's language writes: ٣ in Arabic."""
    text = str(value)
    return text.translate(_ARABIC_INDIC) if language == "ar" else text


def isolated(symbol: str, language: str) -> str:
    """A symbol (CTOC/COP/WG.7/2027/1) kept left to right, as one unit, inside text written
    right to left; unchanged in the other languages."""
    return f"{_LRI}{symbol}{_PDI}" if language in RTL else symbol


def long_date(value: date, language: str) -> str:
    text = format_date(value, date_pattern(language, value), locale=language)
    return numerals(text, language)


#: How a weekday goes with its date: "Wednesday, 7 July 2027", « mercredi 7 juillet 2027 »,
#: "2027年7月7日星期三", "الأربعاء، ٧ تموز/يوليه ٢٠٢٧".
_WEEKDAY_FIRST = {"en": "{weekday}, {date}", "ar": "{weekday}، {date}", "zh": "{date}{weekday}"}


def weekday_date(value: date, language: str) -> str:
    """ "Wednesday, 2 June 2027", « Mercredi 2 juin 2027 »."""
    weekday = format_date(value, "EEEE", locale=language)
    form = _WEEKDAY_FIRST.get(language, "{weekday} {date}")
    text = form.format(weekday=weekday, date=long_date(value, language))
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
    return numerals(f"{hours:02d}:{minutes:02d}", language)


def place_and_dates(place: str, first: date, last: date, language: str) -> str:
    """ "Vienna, 2 and 3 June 2027", "Vienna, 2–4 June 2027", "Vienna, 30 June–2 July 2027"."""
    if first == last:
        return _("%(place)s, %(date)s", place=place, date=long_date(first, language))
    if (first.year, first.month) == (last.year, last.month):
        day, until = numerals(first.day, language), long_date(last, language)
        if language == "zh":  # "2027年7月7日和8日": the year and month come first
            day, until = long_date(first, language), f"{last.day}日"
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
    """An item as the organization of work names it, in the language of the current locale:
    "1 (a)", « 1 a) », "١ (أ)"."""
    language = current_language()
    shown = numerals(number, language)
    if letter is None:
        return shown
    return _("%(number)s (%(letter)s)", number=shown, letter=item_letter(letter, language))


def sub_item_label(letter: str) -> str:
    """A sub-item's letter as the agenda lists it: "(a)", « a) », "(أ)"."""
    return _("(%(letter)s)", letter=item_letter(letter, current_language()))


def item_letter(letter: str, language: str) -> str:
    """A sub-item's letter as the language writes it: Arabic documents letter them أ، ب، ج."""
    return ARABIC_LETTERS.get(letter, letter) if language == "ar" else letter


def paragraph_number(number: int, language: str) -> str:
    """A paragraph's or an agenda item's number: "1.", "١ -" in Arabic."""
    return f"{numerals(number, language)} -" if language == "ar" else f"{number}."


def language_name(code: str, language: str) -> str:
    """The name of the language `code`, written in `language`: "English", « anglais »."""
    return str(Locale.parse(language).languages.get(code, code))


def own_language_name(language: str) -> str:
    """A version's language line, in its own language: "Français", "Español"."""
    name = Locale.parse(language).get_display_name(language) or language
    return name[:1].upper() + name[1:]
