"""Reading an instrument's status table as the UN Treaty Collection publishes it.

The table has one row per participant with the columns Participant, Signature and
"Ratification, Acceptance(A), Approval(AA), Accession(a), Succession(d)"; dates read
"12 Dec 2000", the kind of consent being a letter after the date (none: ratification).
Title lines above the header and notes below the table are skipped. See docs/treaty-status.md.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from openpyxl import load_workbook

from questionnaire.reference.names import load_state_names

#: Names the Treaty Collection has used for a State that differ from the UN short name.
FORMER_NAMES = {
    "czech republic": "CZE",
    "netherlands": "NLD",
    "turkey": "TUR",
    "swaziland": "SWZ",
    "the former yugoslav republic of macedonia": "MKD",
    "cape verde": "CPV",
    "palestine": "PSE",
}
CONSENT_SUFFIXES = {
    "": "ratification",
    "A": "acceptance",
    "AA": "approval",
    "a": "accession",
    "d": "succession",
}
MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        start=1,
    )
}
DATE_PATTERN = re.compile(r"^(\d{1,2})\s+([A-Za-z]{3})[a-z]*\.?\s+(\d{4})\s*(AA|A|a|d)?$")
#: Footnote markers the Collection prints after a participant's name ("Denmark 3", "China4,5").
FOOTNOTES = re.compile(r"[\s\d,*]+$")
#: Days after deposit on which the instrument enters into force for a later party
#: (Convention art. 38(2); TIP art. 17(2); SOM art. 22(2); FIR art. 18(2)).
DAYS_TO_ENTRY_INTO_FORCE = 30
#: Days after the fortieth deposit on which each instrument itself entered into force.
DAYS_FROM_FORTIETH_DEPOSIT = 90
PARTICIPANT, SIGNATURE, CONSENT = "Participant", "Signature", "Ratification"


class TreatyStatusError(ValueError):
    """The table cannot be imported; `problems` names each row and column at fault."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class StatusRow:
    """One participant's line of the table."""

    state_code: str
    signed_on: date | None
    consent_kind: str | None
    consent_on: date | None


def fold(text: str) -> str:
    """Lower-case, unaccented, straight-apostrophe, single-spaced text for matching names."""
    text = text.replace("’", "'").replace("‘", "'")
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(plain.casefold().split())


def _codes_by_name() -> dict[str, str]:
    names = load_state_names().states.values()
    found = {fold(entry.names["en"]): entry.code for entry in names}
    return {**FORMER_NAMES, **found}


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    return str(value).strip()


def read_rows(path: Path) -> list[list[object]]:
    """The cells of the file's first sheet (XLSX) or of the CSV, row by row."""
    if path.suffix.lower() == ".xlsx":
        workbook = load_workbook(path, read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            sheet.reset_dimensions()  # a declared A1:AMJ1048576 must not be walked
            return [list(row) for row in sheet.iter_rows(values_only=True)]
        finally:
            workbook.close()
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [list(row) for row in csv.reader(handle)]


def _header(rows: list[list[object]], where: str) -> tuple[int, dict[str, int]]:
    for index, row in enumerate(rows):
        cells = [_cell_text(cell) for cell in row]
        if cells and FOOTNOTES.sub("", cells[0]).casefold() == PARTICIPANT.casefold():
            columns = {PARTICIPANT: 0}
            for position, cell in enumerate(cells):
                for name in (SIGNATURE, CONSENT):
                    if cell.casefold().startswith(name.casefold()) and name not in columns:
                        columns[name] = position
            missing = [name for name in (SIGNATURE, CONSENT) if name not in columns]
            if missing:
                raise TreatyStatusError(
                    [f"{where}, row {index + 1}: no column {', '.join(missing)} in the header"]
                )
            return index, columns
    raise TreatyStatusError([f"{where}: no header row starting with the column Participant"])


def parse_date(value: object) -> tuple[date, str]:
    """A date cell and its consent suffix; ValueError if it is not a Treaty Collection date."""
    if isinstance(value, datetime):
        return value.date(), ""
    if isinstance(value, date):
        return value, ""
    match = DATE_PATTERN.match(_cell_text(value))
    if not match or match.group(2).casefold() not in MONTHS:
        raise ValueError("not a date like 12 Dec 2000")
    day, month, year, suffix = match.groups()
    try:
        return date(int(year), MONTHS[month.casefold()], int(day)), suffix or ""
    except ValueError:
        raise ValueError("not a date like 12 Dec 2000") from None


def _row(
    cells: list[object], columns: dict[str, int], codes: dict[str, str], where: str
) -> tuple[StatusRow | None, list[str]]:
    def cell(name: str) -> object:
        position = columns[name]
        return cells[position] if position < len(cells) else None

    name = FOOTNOTES.sub("", _cell_text(cell(PARTICIPANT)))
    problems = []
    code = codes.get(fold(name))
    if code is None:
        problems.append(f"{where}, column {PARTICIPANT}: {name!r} is not a known State")
    values: dict[str, tuple[date, str] | None] = {}
    for column in (SIGNATURE, CONSENT):
        raw = cell(column)
        values[column] = None
        if _cell_text(raw):
            try:
                values[column] = parse_date(raw)
            except ValueError as error:
                problems.append(f"{where}, column {column}: {_cell_text(raw)!r} is {error}")
    if problems or code is None:
        return None, problems
    signed, consent = values[SIGNATURE], values[CONSENT]
    return StatusRow(
        state_code=code,
        signed_on=signed[0] if signed else None,
        consent_kind=CONSENT_SUFFIXES[consent[1]] if consent else None,
        consent_on=consent[0] if consent else None,
    ), []


def parse_status_table(path: Path) -> list[StatusRow]:
    """Every participant of the table; raises TreatyStatusError listing every problem."""
    rows = read_rows(path)
    start, columns = _header(rows, path.name)
    codes = _codes_by_name()
    found: list[StatusRow] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for index in range(start + 1, len(rows)):
        cells = rows[index]
        if not any(_cell_text(cell) for cell in cells):
            if found or problems:
                break  # the notes below the table start after a blank line
            continue
        if not _cell_text(cells[0]):
            continue
        where = f"{path.name}, row {index + 1}"
        row, row_problems = _row(cells, columns, codes, where)
        problems.extend(row_problems)
        if row is not None:
            if row.state_code in seen:
                problems.append(f"{where}: the State is listed again (row {seen[row.state_code]})")
            seen[row.state_code] = index + 1
            found.append(row)
    if problems:
        raise TreatyStatusError(problems)
    if not found:
        raise TreatyStatusError([f"{path.name}: the table lists no participant"])
    return found


def entry_into_force(consent_on: date, instrument_in_force: date | None) -> date:
    """When the instrument entered into force for a State that deposited on `consent_on`.

    A deposit up to the fortieth (at the latest 90 days before the instrument's own entry into
    force) takes effect on that date; a later one on the thirtieth day after deposit, and never
    before the instrument itself is in force.
    """
    day = consent_on + timedelta(days=DAYS_TO_ENTRY_INTO_FORCE)
    if instrument_in_force is None:
        return day
    if consent_on <= instrument_in_force - timedelta(days=DAYS_FROM_FORTIETH_DEPOSIT):
        return instrument_in_force
    return max(day, instrument_in_force)
