"""The settings sheet of an XLSForm read for a bank: its title per language and, for a partial
bank, the reason (conventions: `xlsform`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from questionnaire.banks.xlsform_format import LANGUAGE_NAMES, Row, Sheet
from questionnaire.banks.xlsform_format import language_column as column_of


@dataclass
class FormSettings:
    """What the settings sheet gives: title, partial reason, where each title came from, and
    the (column, message) of each missing required title."""

    row: Row | None
    title: dict[str, str] = field(default_factory=dict)
    partial: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    missing: list[tuple[str, str]] = field(default_factory=list)
    #: the languages the bank declares (`languages` column; None: English and French)
    languages: list[str] | None = None
    #: languages whose texts no translator has checked yet (`unreviewed` column)
    unreviewed: list[str] = field(default_factory=list)


def read_settings(
    sheets: dict[str, Sheet], default_language: str, titles: dict[str, str]
) -> FormSettings:
    """The bank's title per language: from `titles` (the `--title` option), else the
    `bank_title::` and `form_title::<Language> (xx)` columns, else `form_title` for the
    default language; and the `partial::<Language> (xx)` reason."""
    sheet = sheets.get("settings")
    row = sheet.rows[0] if sheet and sheet.rows else None
    found = FormSettings(row)
    for language, name in LANGUAGE_NAMES.items():
        located = _title_in(row, language, default_language) if row else None
        if language in titles:
            found.title[language] = titles[language]
            found.notes.append(f"the {name} title comes from --title")
        elif located:
            found.title[language] = located[1]
            if located[0] != "form_title":  # the standard place needs no word
                found.notes.append(
                    f"the {name} title comes from the settings sheet, column {located[0]}"
                )
        if row and (reason := row.text("partial", language, default_language)):
            found.partial[language] = reason
    if row and row.get("languages"):
        found.languages = _codes(row.get("languages"))
    if row and row.get("unreviewed"):
        found.unreviewed = _codes(row.get("unreviewed"))
    for language in ("en", "fr"):
        if language not in found.title:
            column = (
                "form_title" if language == default_language else column_of("form_title", language)
            )
            message = (
                f"the {LANGUAGE_NAMES[language]} title is missing: write it in a {column} "
                f"column or give --title {language}=TEXT"
            )
            found.missing.append((column, message))
    return found


def _title_in(row: Row, language: str, default_language: str) -> tuple[str, str] | None:
    """(column, text) of the title in `language` on the settings row, if any."""
    for base in ("bank_title", "form_title"):
        header = row.sheet.translated(base, language)
        if header and (text := row.get(header)):
            return header, text
    if language == default_language and (text := row.get("form_title")):
        return "form_title", text
    return None


def _codes(value: str) -> list[str]:
    """Language codes written apart by spaces or commas, as the export writes them."""
    return [code for code in value.replace(",", " ").split() if code]
