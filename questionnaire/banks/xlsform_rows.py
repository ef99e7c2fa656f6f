"""What reading the rows of an XLSForm keeps as it goes, and how it reports a problem at its
sheet, row and column (the walk itself is `xlsform_reader.FormReader`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from questionnaire.banks.xlsform_format import (
    FALSE_VALUES,
    LANGUAGE_NAMES,
    TRUE_VALUES,
    FormProblem,
    Row,
    Sheet,
)
from questionnaire.banks.xlsform_format import language_column as column_of
from questionnaire.reference.instruments import InstrumentData


@dataclass
class QuestionRow:
    """A question read so far: its bank content, its type and its option keys."""

    spec: dict[str, Any]
    type: str
    options: tuple[str, ...]


class RowReader:
    """The state of a walk through an XLSForm's rows, the texts and flags of a row, and its
    problems."""

    def __init__(
        self,
        sheets: dict[str, Sheet],
        target: dict[str, Any],
        data: InstrumentData,
        titles: dict[str, str] | None = None,
    ):
        self.sheets = sheets
        self.titles = titles or {}  # language -> title given on the command line
        self.notes: list[str] = []
        self.target = target  # instrument, cluster, version, status
        self.instrument: str = target["instrument"]
        self.data = data
        self.problems: list[FormProblem] = []
        self.skipped: list[str] = []
        self.languages: list[str] = []
        self.default_language = "en"
        self.lists: dict[str, list[dict[str, Any]]] = {}
        self.questions: dict[str, QuestionRow] = {}
        self.keys: dict[str, str] = {}  # XLSForm name -> question key
        self.rows: dict[str, int] = {}
        self.sections: list[dict[str, Any]] = []
        self.section: dict[str, Any] | None = None
        self.group_row: Row | None = None
        self.chain: list[str] = []  # the current question and the follow-ups it opened
        self.guidance: dict[str, str] | None = None

    def problem(self, row: Row | None, column: str, message: str, sheet: str = "survey") -> None:
        found = self.sheets.get(sheet)
        at = found.column_name(column) if found and column else column
        self.problems.append(FormProblem(sheet, row.number if row else 1, at, message))

    def texts(self, row: Row, base: str, *, required: bool) -> dict[str, str]:
        """The translated texts of a row; English and French must both be there if any is."""
        texts = {
            language: text
            for language in self.languages or ["en"]
            if (text := row.text(base, language, self.default_language))
        }
        for language in ("en", "fr") if required or texts else ():
            header = row.sheet.translated(base, language)
            if header is None and language == self.default_language and base in row.sheet.index:
                header = base
            if language in texts or (header is None and row.sheet is self.sheets["survey"]):
                continue  # a missing column of the survey is reported once, on its header
            message = f"the {LANGUAGE_NAMES[language]} text is missing"
            self.problem(row, header or column_of(base, language), message, row.sheet.name.lower())
        return texts

    def flag(self, row: Row, column: str) -> bool:
        value = row.get(column).lower()
        if value not in TRUE_VALUES | FALSE_VALUES:
            self.problem(row, column, f"{row.get(column)!r} cannot be expressed: write yes or no")
        return value in TRUE_VALUES
