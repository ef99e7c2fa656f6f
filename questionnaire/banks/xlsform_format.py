"""The XLSForm format as question banks use it: sheets read as rows of text that remember
their row numbers and column headers, the names of languages, types and conditions.

Headers are matched without regard to case or surrounding spaces; translated columns
(`label::French (fr)`, `hint::fr`) are found by their language code, or by the language's name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from openpyxl.utils import get_column_letter

from questionnaire.banks.xlsx import read_workbook
from questionnaire.reference.instruments import InstrumentData

_CODE_IN_PARENTHESES = re.compile(r"\(([A-Za-z]{2,3})\)\s*$")
#: The languages of question banks, as XLSForm columns name them: `label::French (fr)`.
LANGUAGE_NAMES = {
    "en": "English",
    "fr": "French",
    "es": "Spanish",
    "ar": "Arabic",
    "ru": "Russian",
    "zh": "Chinese",
}
LANGUAGE_CODES = {
    "english": "en",
    "french": "fr",
    "français": "fr",
    "francais": "fr",
    "spanish": "es",
    "español": "es",
    "arabic": "ar",
    "russian": "ru",
    "chinese": "zh",
}


def language_column(base: str, language: str) -> str:
    """The header of a translated column: `label::French (fr)`."""
    return f"{base}::{LANGUAGE_NAMES.get(language, language)} ({language})"


def language_code(name: str) -> str:
    """`French (fr)`, `French` or `fr` -> `fr`; an unknown name is returned lower-cased."""
    match = _CODE_IN_PARENTHESES.search(name)
    if match:
        return match[1].lower()
    return LANGUAGE_CODES.get(name.strip().lower(), name.strip().lower())


@dataclass
class Sheet:
    """One sheet: its headers (by normalised name) and its non-empty rows."""

    name: str
    headers: list[str]
    rows: list[Row] = field(default_factory=list)
    #: normalised header -> column index
    index: dict[str, int] = field(default_factory=dict)
    #: base name (label, hint...) -> language code -> header as written
    translations: dict[str, dict[str, str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for position, header in enumerate(self.headers):
            base, separator, language = header.partition("::")
            base = base.strip().lower()
            if separator:
                self.translations.setdefault(base, {})[language_code(language)] = header
            self.index.setdefault(header.strip().lower(), position)

    def column_name(self, header: str) -> str:
        """`F (relevant)`: the column's letter and header, or the header alone when absent."""
        position = self.index.get(header.strip().lower())
        return header if position is None else f"{get_column_letter(position + 1)} ({header})"

    def translated(self, base: str, language: str) -> str | None:
        return self.translations.get(base, {}).get(language)

    def row(self, number: int) -> Row | None:
        return next((row for row in self.rows if row.number == number), None)


@dataclass
class Row:
    """One row of a sheet, as text."""

    sheet: Sheet
    number: int
    values: tuple[str, ...]

    def get(self, header: str) -> str:
        position = self.sheet.index.get(header.lower())
        return self.values[position] if position is not None and position < len(self.values) else ""

    def text(self, base: str, language: str, default_language: str = "en") -> str:
        """The text of `base` (label, hint) in `language`; an untranslated column counts for
        the default language."""
        header = self.sheet.translated(base, language)
        if header is None and language == default_language:
            header = base
        return self.get(header) if header else ""

    def has_content(self) -> bool:
        return any(self.values)


def read_sheets(source: Path | IO[bytes]) -> dict[str, Sheet]:
    """Every sheet of the workbook by lower-case name, read within bounds (see `xlsx`); rows
    without any text are left out. Raises WorkbookError."""
    sheets = {}
    for cells in read_workbook(source):
        header = cells.rows[0][1] if cells.rows and cells.rows[0][0] == 1 else ()
        sheet = Sheet(cells.name, list(header))
        sheet.rows = [Row(sheet, number, values) for number, values in cells.rows if number > 1]
        sheets[sheet.name.lower()] = sheet
    return sheets


# -- the conventions of bank forms ----------------------------------------------------------

#: Rows that describe the collection of data, not the questionnaire: skipped on import.
METADATA_TYPES = frozenset(
    {"start", "end", "today", "deviceid", "phonenumber", "username", "email", "audit"}
    | {"simserial", "subscriberid", "start-geopoint"}
)
#: Columns whose content no bank can keep: an error when a row fills them.
UNSUPPORTED_COLUMNS = ("constraint", "calculation", "choice_filter", "repeat_count", "default")
YES_NO_PARTIAL = ("yes", "partial", "no")
CHOICE_TYPES = ("yes_no_partial", "single_choice", "multiple_choice")
UNSUPPORTED_TYPES = {
    "begin_repeat": "repeat groups cannot be expressed: a bank question is answered once",
    "end_repeat": "repeat groups cannot be expressed: a bank question is answered once",
    "calculate": "calculations cannot be expressed in a question bank",
}
TRUE_VALUES = {"yes", "true", "true()", "1"}
FALSE_VALUES = {"", "no", "false", "false()", "0"}
KEY_PATTERN = re.compile(r"^[A-Z]{2,6}(-[A-Za-z0-9]+)+$")
SECTION_KEY_PATTERN = re.compile(r"^[a-z][a-z0-9-]*$")
OPTION_KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
PROVISION_PATTERN = re.compile(r"^[0-9]+(\([a-z0-9]+\))*$")
ARTICLE_NAME = re.compile(r"^art(?:icle)?[-_]?([0-9]+)$", re.IGNORECASE)
_TERM = re.compile(
    r"""^(?:\$\{(?P<a>[^}]+)\}\s*=\s*(?P<qa>['"])(?P<oa>[^'"]*)(?P=qa)"""
    r"""|selected\(\s*\$\{(?P<b>[^}]+)\}\s*,\s*(?P<qb>['"])(?P<ob>[^'"]*)(?P=qb)\s*\))$"""
)


def default_heading(data: InstrumentData, instrument: str, article: int) -> dict[str, str]:
    """'Article 5. Criminalization' per language: the label of an article's group when its
    section has no title of its own (the application shows the same heading)."""
    found = data.article(instrument, article)
    titles = found.title if found else {}
    return {language: f"Article {article}. {title}" for language, title in titles.items()}


def relevant_text(key: str, options: tuple[str, ...] | list[str], *, multiple: bool) -> str:
    """The XLSForm `relevant` expression of a condition on question `key`."""
    if multiple:
        return " or ".join(f"selected(${{{key}}}, '{option}')" for option in options)
    return " or ".join(f"${{{key}}} = '{option}'" for option in options)


def parse_relevant(expression: str) -> tuple[str, list[str]] | None:
    """(name, options) of `${q} = 'a' or selected(${q}, 'b')`; None for anything else."""
    names, options = set(), []
    for term in re.split(r"\s+or\s+", expression.strip()):
        term = term.strip()
        if term.startswith("(") and term.endswith(")"):
            term = term[1:-1].strip()
        match = _TERM.match(term)
        if match is None:
            return None
        names.add((match["a"] or match["b"]).strip())
        options.append(match["oa"] if match["a"] else match["ob"])
    return (names.pop(), options) if len(names) == 1 else None


def parse_type(text: str) -> tuple[str, list[str]]:
    """`select_one yes_no` -> ("select_one", ["yes_no"]); `begin group` -> ("begin_group", [])."""
    words = text.split()
    if not words:
        return "", []
    first = words[0].lower()
    if first in ("begin", "end", "select") and len(words) > 1:
        return f"{first}_{words[1].lower()}", words[2:]
    return first, words[1:]


@dataclass(frozen=True)
class FormProblem:
    """One thing in the XLSForm that the bank format cannot take."""

    sheet: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = "workbook" if self.sheet == "workbook" else f"{self.sheet} sheet"
        if self.row:
            where += f", row {self.row}"
        if self.column:
            where += f", column {self.column}"
        return f"{where}: {self.message}"
