"""Dates and times in one style per language, as United Nations documents write them.

"2 May 2027" in English, « 2 mai 2027 » in French, "2 de mayo de 2027" in Spanish,
"2 мая 2027 г." in Russian, "2027年5月2日" in Chinese; times in 24 hours with their time zone
(the application keeps and shows UTC). Every page, e-mail and document formats dates through
these two functions, never through a locale's "short" or "medium" formats, which differ from
one locale to the next (US English puts the month first).
"""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import format_date, format_datetime

from questionnaire.i18n import current_language

#: The date patterns (CLDR syntax) of each language; others take English's.
DATE_PATTERNS = {
    "en": "d MMMM y",
    "fr": "d MMMM y",
    "es": "d 'de' MMMM 'de' y",
    "ru": "d MMMM y 'г'.",
    "ar": "d MMMM y",
    "zh": "y'年'M'月'd'日'",
}
#: The months as United Nations documents in Arabic name them: the name used in the Levant and
#: Iraq, then the one used in Egypt and the Maghreb ("تموز/يوليه"), not CLDR's single name.
ARABIC_MONTHS = (
    "كانون الثاني/يناير",
    "شباط/فبراير",
    "آذار/مارس",
    "نيسان/أبريل",
    "أيار/مايو",
    "حزيران/يونيه",
    "تموز/يوليه",
    "آب/أغسطس",
    "أيلول/سبتمبر",
    "تشرين الأول/أكتوبر",
    "تشرين الثاني/نوفمبر",
    "كانون الأول/ديسمبر",
)
#: What follows the date in a date and time: 24-hour time and the time zone. Times are kept and
#: shown in UTC (Flask-Babel's default zone, which the application never changes), written
#: "UTC" in every language as UN documents do (CLDR's French name would be "TU").
TIME_PATTERN = "HH:mm 'UTC'"


def date_pattern(language: str, value: date | None = None) -> str:
    """The CLDR pattern of a date in `language`; in Arabic the month of `value` is written
    out as UN documents write it (the pattern then holds for that month only)."""
    code = language.split("_")[0]
    if code == "ar" and value is not None:
        return f"d '{ARABIC_MONTHS[value.month - 1]}' y"
    return DATE_PATTERNS.get(code, DATE_PATTERNS["en"])


def un_date(value: date | datetime | None, _format: str | None = None) -> str:
    """A date in the reader's language; the second argument (a Babel format name that
    templates used to pass) is ignored: there is one style."""
    if value is None:
        return ""
    return format_date(value, date_pattern(current_language(), value))


def un_datetime(value: datetime | None, _format: str | None = None, rebase: bool = True) -> str:
    """A date and time in the reader's language, with the time zone."""
    if value is None:
        return ""
    language = current_language()
    comma = {"ar": "،", "zh": ""}.get(language, ",")  # "2027年5月2日 14:05 UTC"
    pattern = f"{date_pattern(language, value)}{comma} {TIME_PATTERN}"
    return format_datetime(value, pattern, rebase=rebase)
